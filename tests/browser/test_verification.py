"""verifikator1 judges every row of one innovation from the keyboard and verifies it, returns another to
its OPD with a note, and the OPD's operator then sees the note on the row."""

import pytest
from playwright.sync_api import expect

from innovasi.accounts.enums import OpdKind, Role
from scoring.services import verification
from submissions import services
from submissions.models import Innovation

from ..factories import CycleFactory, OpdFactory, RegionFactory, UserFactory, innovation_create
from ..submissions.conftest import MANDATORY, complete_profile, fill
from .conftest import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    region = RegionFactory(name="Kabupaten Mojokerto", code="35.16")
    cycle = CycleFactory(region=region)
    dinkes = OpdFactory(region=region, name="Dinas Kesehatan", short_name="Dinkes")
    bappeda = OpdFactory(region=region, name="Bappeda", short_name="Bappeda", kind=OpdKind.BADAN)
    operator = UserFactory(
        username="operator.dinkes", region=region, role=Role.OPERATOR, opd=dinkes, password="inovasi-demo"
    )
    verifikator = UserFactory(
        username="verifikator1", region=region, role=Role.VERIFIKATOR, opd=bappeda, password="inovasi-demo"
    )
    admin = UserFactory(username="admin", region=region, role=Role.ADMIN, opd=bappeda)
    for name in ("Posyandu Digital", "Ambulans Desa"):
        innovation = innovation_create(cycle, dinkes, operator, name=name, **complete_profile())
        fill(innovation, operator, dict.fromkeys(MANDATORY, 2))
        services.innovation_transition(innovation=innovation, user=operator, to_state="diajukan")
        verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin)
    return operator, verifikator


def test_verifier_verifies_one_and_returns_another(page, people):
    log_in(page, "verifikator1", "inovasi-demo")
    expect(page.locator("h1")).to_have_text("Antrean verifikasi saya")

    # Every row accepted from the keyboard: J moves to the next row, S accepts it at the claimed level.
    page.get_by_role("link", name="Posyandu Digital").click()
    expect(page.locator("h1")).to_contain_text("Posyandu Digital")
    page.wait_for_load_state("load")
    for code in MANDATORY:
        page.keyboard.press("j")
        page.keyboard.press("s")
        expect(page.locator("article.verdict-row", has_text=code).locator(".verdict-badge")).to_have_text(
            "Sesuai · tingkat 2"
        )
    expect(page.get_by_text("Semua baris sudah dinilai.")).to_be_visible()
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_text("«Posyandu Digital» terverifikasi. OPD diberi tahu.")).to_be_visible()

    # The other: SID-17 rejected with a reason and a note for the OPD, the rest accepted, then returned.
    page.get_by_role("link", name="Ambulans Desa").click()
    expect(page.locator("h1")).to_contain_text("Ambulans Desa")
    row = page.locator("article.verdict-row", has_text="SID-17")
    row.get_by_label("Tidak sesuai", exact=True).check()
    expect(row.get_by_label("Tingkat diterima")).to_be_disabled()  # a rejection scores 0, whatever the level
    row.get_by_label("Alasan putusan", exact=False).fill("SK penugasan tidak menyebut nama inovasi.")
    row.get_by_label("Catatan untuk OPD").fill("Unggah SK penugasan yang menyebut nama inovasi.")
    row.get_by_role("button", name="Simpan putusan").click()
    expect(
        page.locator("article.verdict-row", has_text="SID-17").get_by_text("Putusan tersimpan")
    ).to_be_visible()
    for code in ("SID-16", "SID-32", "SID-33", "SID-35"):
        target = page.locator("article.verdict-row", has_text=code)
        target.get_by_label("Sesuai", exact=True).check()
        target.get_by_role("button", name="Simpan putusan").click()
        expect(
            page.locator("article.verdict-row", has_text=code).get_by_text("Putusan tersimpan")
        ).to_be_visible()
    page.get_by_role("button", name="Kembalikan ke OPD").click()
    expect(page.get_by_text("«Ambulans Desa» dikembalikan ke OPD untuk diperbaiki.")).to_be_visible()
    assert dict(Innovation.objects.values_list("name", "state")) == {
        "Posyandu Digital": "terverifikasi",
        "Ambulans Desa": "revisi",
    }
    log_out(page)

    # The OPD sees its notification and the note on the row concerned.
    log_in(page, "operator.dinkes", "inovasi-demo")
    expect(page.get_by_test_id("unread-count")).to_have_text("2")
    page.get_by_role("link", name="Ambulans Desa").click()
    expect(page.get_by_test_id("to-fix")).to_contain_text("Perlu diperbaiki: SID-17")
    expect(page.locator("article.claim-row", has_text="SID-17").locator(".row-thread")).to_contain_text(
        "Unggah SK penugasan yang menyebut nama inovasi."
    )


def test_keyboard_shortcuts_act_only_on_a_focused_row_and_ask_before_changing_a_saved_verdict(page, people):
    from scoring.models import Verification

    log_in(page, "verifikator1", "inovasi-demo")
    page.get_by_role("link", name="Posyandu Digital").click()
    expect(page.locator("h1")).to_contain_text("Posyandu Digital")
    page.wait_for_load_state("load")
    rows = page.locator("article.verdict-row")

    # A shortcut on a focused row that has no verdict yet works at once.
    rows.nth(0).focus()
    page.keyboard.press("s")
    expect(rows.nth(0).locator(".verdict-badge")).to_have_text("Sesuai · tingkat 2")

    # A sentence typed while a button has the focus is text: no shortcut fires, nothing changes.
    rows.nth(1).get_by_role("button", name="Pratinjau").first.focus()
    page.keyboard.type("Saya kira tidak sesuai, jadi ulangi saja; untuk SK juga.")
    page.wait_for_timeout(500)  # what a shortcut would have sent has had time to arrive
    expect(rows.nth(1).get_by_label("Tidak sesuai", exact=True)).not_to_be_checked()
    expect(rows.nth(1).get_by_label("Sesuai", exact=True)).not_to_be_checked()
    expect(rows.nth(0).locator(".verdict-badge")).to_have_text("Sesuai · tingkat 2")
    assert list(Verification.objects.exclude(verdict="pending").values_list("verdict", flat=True)) == [
        "sesuai"
    ]

    # On a row whose verdict is saved, a shortcut asks first: declined, nothing changes.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    rows.nth(0).focus()
    page.keyboard.press("t")
    assert asked == ["Putusan baris ini sudah tersimpan. Ganti putusannya?"]
    expect(rows.nth(0).get_by_label("Sesuai", exact=True)).to_be_checked()
    expect(rows.nth(0)).to_be_focused()

    # Confirmed, it picks the rejection and goes to its reason, as on a row not yet judged.
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("t")
    expect(rows.nth(0).get_by_label("Tidak sesuai", exact=True)).to_be_checked()
    expect(rows.nth(0).get_by_label("Alasan putusan", exact=False)).to_be_focused()
    assert Verification.objects.get(verdict="sesuai")  # not saved until the verifier saves the row

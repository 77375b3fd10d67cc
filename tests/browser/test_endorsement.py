"""The OPD head's endorsement in Chromium. On: the admin switches it on in the region's settings, the
operator submits two innovations, Bappeda does not see them yet, the head sends one back with a note (the
operator reads it) and endorses the other, which the verifier then finds in their queue. Off: the operator's
Ajukan goes straight to the verifier, and the head's page says nothing waits."""

import pytest
from playwright.sync_api import expect

from innovasi.accounts.enums import OpdKind, Role
from scoring.services import verification
from submissions.models import Innovation

from ..factories import CycleFactory, OpdFactory, RegionFactory, UserFactory, innovation_create
from ..submissions.conftest import MANDATORY, complete_profile, fill
from .conftest import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "inovasi-demo"


@pytest.fixture
def dinkes():
    """Dinas Kesehatan with its operator and head, Bappeda with its admin and a verifier, and two
    innovations ready to submit."""
    region = RegionFactory(name="Kabupaten Mojokerto", code="35.16")
    cycle = CycleFactory(region=region)
    opd = OpdFactory(region=region, name="Dinas Kesehatan", short_name="Dinkes")
    bappeda = OpdFactory(region=region, name="Bappeda", short_name="Bappeda", kind=OpdKind.BADAN)
    people = {
        "operator": UserFactory(
            username="operator.dinkes", region=region, role=Role.OPERATOR, opd=opd, password=PASSWORD
        ),
        "head": UserFactory(
            username="kepala.dinkes",
            first_name="Kepala",
            last_name="Dinkes",
            region=region,
            role=Role.KEPALA_OPD,
            opd=opd,
            password=PASSWORD,
        ),
        "verifikator": UserFactory(
            username="verifikator1", region=region, role=Role.VERIFIKATOR, opd=bappeda, password=PASSWORD
        ),
        "admin": UserFactory(
            username="admin", region=region, role=Role.ADMIN, opd=bappeda, is_staff=True, password=PASSWORD
        ),
    }
    for name in ("Posyandu Digital", "Ambulans Desa"):
        innovation = innovation_create(cycle, opd, people["operator"], name=name, **complete_profile())
        fill(innovation, people["operator"], dict.fromkeys(MANDATORY, 2))
    return people


def submit(page, name, confirmation):
    page.get_by_role("link", name=name).click()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Ajukan", exact=True).click()
    expect(page.locator("h1")).to_contain_text(name)
    assert asked == [confirmation]


def assign_and_open_in_the_queue(page, name, people):
    """The admin assigns the verifier (their own page, another test's); the verifier finds it waiting."""
    verification.assignment_set(
        innovation=Innovation.objects.get(name=name), verifikator=people["verifikator"], by=people["admin"]
    )
    log_in(page, "verifikator1", PASSWORD)
    expect(page.locator("h1")).to_have_text("Antrean verifikasi saya")
    page.get_by_role("link", name=name).click()
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.get_by_role("button", name="Kembalikan ke OPD")).to_be_visible()


def test_with_endorsement_the_head_decides_before_the_verifier_sees_it(page, dinkes):
    # The admin switches the endorsement on; the page names the OPDs still without a head.
    log_in(page, "admin", PASSWORD)
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Pengaturan wilayah", exact=True).click()
    page.get_by_label("Pengesahan kepala OPD").check()
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.get_by_text("Pengaturan wilayah disimpan.")).to_be_visible()
    expect(page.get_by_label("Pengesahan kepala OPD")).to_be_checked()
    expect(page.locator(".history-list")).to_contain_text("pengesahan kepala OPD")
    log_out(page)

    # The operator submits both: they wait for the head.
    log_in(page, "operator.dinkes", PASSWORD)
    for name in ("Posyandu Digital", "Ambulans Desa"):
        submit(
            page,
            name,
            "Ajukan inovasi ini kepada kepala OPD untuk disahkan? Setelah diajukan, OPD tidak dapat "
            "mengubahnya lagi kecuali dikembalikan.",
        )
        expect(page.get_by_text("Inovasi diajukan kepada kepala OPD untuk disahkan")).to_be_visible()
        expect(page.get_by_test_id("awaiting-endorsement")).to_be_visible()
        page.get_by_role("link", name="Inovasi", exact=True).first.click()
    log_out(page)

    # Bappeda does not see them yet.
    log_in(page, "verifikator1", PASSWORD)
    page.get_by_role("link", name="Inovasi", exact=True).first.click()
    expect(page.get_by_text("Posyandu Digital")).to_have_count(0)
    log_out(page)

    # The head: both wait on the home page; one goes back with a note, the other on to Bappeda.
    log_in(page, "kepala.dinkes", PASSWORD)
    expect(page.locator("h1")).to_have_text("Menunggu pengesahan Anda")
    waiting = page.get_by_test_id("endorsements")
    expect(waiting).to_contain_text("Posyandu Digital")
    expect(waiting).to_contain_text("Ambulans Desa")
    waiting.get_by_role("link", name="Ambulans Desa").click()
    box = page.get_by_test_id("endorse-box")
    box.get_by_label("Catatan untuk operator", exact=False).fill("Foto kegiatan belum ada; lengkapi dulu.")
    box.get_by_role("button", name="Kembalikan kepada operator").click()
    expect(
        page.get_by_text("«Ambulans Desa» dikembalikan kepada operator dengan catatan Anda.")
    ).to_be_visible()
    expect(page.get_by_test_id("endorsements")).not_to_contain_text("Ambulans Desa")
    page.get_by_role("link", name="Posyandu Digital").click()
    expect(page.get_by_role("heading", name="Indikator dan bukti")).to_be_visible()  # read-only: no form
    expect(page.get_by_role("link", name="Ubah", exact=True)).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sahkan dan teruskan ke Bappeda").click()
    expect(page.get_by_text("«Posyandu Digital» disahkan dan diteruskan ke Bappeda.")).to_be_visible()
    expect(page.get_by_text("Tidak ada inovasi yang menunggu pengesahan Anda.")).to_be_visible()
    log_out(page)

    # The operator reads the head's note where they fix the innovation.
    log_in(page, "operator.dinkes", PASSWORD)
    page.get_by_role("link", name="Ambulans Desa").click()
    expect(page.get_by_test_id("endorsement-note")).to_contain_text("Foto kegiatan belum ada; lengkapi dulu.")
    log_out(page)

    assert dict(Innovation.objects.values_list("name", "state")) == {
        "Posyandu Digital": "diajukan",
        "Ambulans Desa": "draft",
    }
    assign_and_open_in_the_queue(page, "Posyandu Digital", dinkes)


def test_without_endorsement_ajukan_goes_straight_to_the_verifier(page, dinkes):
    log_in(page, "operator.dinkes", PASSWORD)
    submit(
        page,
        "Posyandu Digital",
        "Ajukan inovasi ini? Setelah diajukan, OPD tidak dapat mengubahnya lagi kecuali dikembalikan.",
    )
    expect(page.get_by_text("Inovasi diajukan ke Bappeda untuk diverifikasi.")).to_be_visible()
    log_out(page)

    log_in(page, "kepala.dinkes", PASSWORD)
    expect(page.get_by_test_id("endorsement-off")).to_be_visible()
    expect(page.get_by_text("Tidak ada inovasi yang menunggu pengesahan Anda.")).to_be_visible()
    log_out(page)

    assert Innovation.objects.get(name="Posyandu Digital").state == "diajukan"
    assign_and_open_in_the_queue(page, "Posyandu Digital", dinkes)

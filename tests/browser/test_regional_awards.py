"""The province's Inotek round across its regencies, in Chromium: the province's admin opens the scheme
from the preset and sets a limit of one entry per region; two regencies enter one verified innovation
each, each seeing only its own; a juror who declares a conflict with one regency never sees its entry;
the province finalises and issues the certificates in its name; a regency reads its result."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Certificate
from scoring.models import AwardScheme

from ..factories import CycleFactory
from ..reports.conftest import verified_cycle  # noqa: F401
from ..scoring.regional import entrants, province, province_admin, provincial_juror  # noqa: F401
from .conftest import issue_winners_certificates, log_in, log_out, score_and_submit

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "inovasi-demo"


def test_an_inotek_round_from_the_call_to_the_certificates(page, province, province_admin, entrants):  # noqa: F811
    CycleFactory(region=province)
    for user in (province_admin, entrants["admin"], entrants["other_admin"]):
        user.set_password(PASSWORD)
        user.save()
    for username in ("juri.prov1", "juri.prov2"):
        juror = provincial_juror(province, username)
        juror.set_password(PASSWORD)
        juror.save()
    own, other = entrants["own"][2], entrants["other"][0]  # Sekolah Literasi; Pasar Daring of Kota Lain

    # The province opens the scheme for its regencies, one entry each, and seats two jurors.
    log_in(page, "admin.jatim", PASSWORD)
    page.get_by_role("link", name="Penghargaan").click()
    page.get_by_label("Buat skema dari contoh siap pakai").select_option("inotek_provinsi")
    page.get_by_role("button", name="Buat skema").click()
    expect(page.get_by_role("heading", name="Inotek Award — kabupaten/kota")).to_be_visible()
    page.get_by_label("Batas entri per kabupaten/kota").fill("1")
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.get_by_text("Pengaturan skema disimpan.")).to_be_visible()
    for username in ("juri.prov1", "juri.prov2"):
        page.locator("#jury-category").select_option(label="Inovasi Daerah")
        page.get_by_label("Akun juri").select_option(label=f"{username} ({username}) · Universitas Airlangga")
        page.get_by_role("button", name="Tugaskan", exact=True).click()
        expect(page.get_by_text("menjadi juri Inovasi Daerah")).to_be_visible()
    expect(page.get_by_test_id("entries-per-region")).to_contain_text("Kabupaten Uji: 0/1")
    log_out(page)

    # Each regency enters one verified innovation and sees its own entry only; the limit then holds.
    for admin, innovation, hidden in (
        (entrants["admin"], own, other),
        (entrants["other_admin"], other, own),
    ):
        log_in(page, admin.username, PASSWORD)
        page.get_by_role("link", name="Penghargaan").click()
        page.get_by_role("link", name="Lomba provinsi").click()
        page.get_by_role("link", name=re.compile("Inotek Award")).click()
        option = page.get_by_label("Inovasi terverifikasi").locator("option", has_text=innovation.name)
        page.get_by_label("Inovasi terverifikasi").select_option(option.get_attribute("value"))
        page.get_by_label("Kategori").select_option(label="Inovasi Daerah")
        page.get_by_role("button", name="Ajukan", exact=True).click()
        expect(page.get_by_text(f"«{innovation.name}» diajukan ke kategori Inovasi Daerah.")).to_be_visible()
        expect(page.get_by_test_id("own-entries")).to_contain_text(innovation.name)
        expect(page.get_by_test_id("own-entries")).not_to_contain_text(hidden.name)
        expect(page.get_by_test_id("entries-count")).to_have_text("1 dari 1")
        expect(page.get_by_text("sudah mengajukan 1 entri, batas dari provinsi")).to_be_visible()
        expect(page.get_by_role("button", name="Ajukan", exact=True)).to_have_count(0)
        log_out(page)

    # The deadline passes: the sheets can be sent (entries no longer come in).
    AwardScheme.objects.filter(cycle__region=province).update(
        entry_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    # juri.prov1 declares a conflict with Kota Lain before seeing any entry: its entry never shows.
    log_in(page, "juri.prov1", PASSWORD)
    page.get_by_role("link", name=re.compile("Inotek Award")).click()
    page.get_by_label("Kota Lain").check()
    page.get_by_label("Saya menyatakan dengan sebenarnya").check()
    page.get_by_role("button", name="Simpan pernyataan dan mulai menilai").click()
    expect(page.get_by_test_id("declared-regions")).to_contain_text("Kota Lain")
    expect(page.get_by_test_id("hidden-entries")).to_have_text(
        "1 entri dari wilayah tersebut tidak ditampilkan."
    )
    expect(page.get_by_role("heading", name=own.name)).to_be_visible()
    expect(page.get_by_text(other.name)).to_have_count(0)
    score_and_submit(page, {own.name: 80})
    expect(page.get_by_text(other.name)).to_have_count(0)  # nor in the ranking shown after submitting
    log_out(page)

    # juri.prov2 declares none and scores both.
    log_in(page, "juri.prov2", PASSWORD)
    page.get_by_role("link", name=re.compile("Inotek Award")).click()
    page.get_by_label("Saya menyatakan dengan sebenarnya").check()
    page.get_by_role("button", name="Simpan pernyataan dan mulai menilai").click()
    score_and_submit(page, {own.name: 90, other.name: 70})
    log_out(page)

    # The province finalises (the other categories are empty: it says why) and issues the certificates.
    log_in(page, "admin.jatim", PASSWORD)
    page.get_by_role("link", name="Penghargaan").click()
    page.get_by_role("link", name=re.compile("Inotek Award")).click()
    expect(page.get_by_test_id("finalise-gaps")).to_contain_text(
        f"{other.name} (Inovasi Daerah) dinilai 1 dari 2 juri"
    )
    page.get_by_label("Alasan tetap memfinalkan").fill("Kategori lain tanpa entri; konflik juri dicatat.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finalkan dengan alasan ini").click()
    expect(page.get_by_text("Skema difinalkan; hasilnya terkunci.")).to_be_visible()
    issue_winners_certificates(page, 2)
    winner = Certificate.objects.get(award__startswith="Juara 1")
    assert winner.region == province
    log_out(page)
    page.goto(f"/sertifikat/{winner.code}/")
    expect(page.get_by_test_id("holder")).to_have_text(f"{own.opd.name}, Kabupaten Uji")

    # Kabupaten Uji reads its result, and still nothing of Kota Lain's entry.
    log_in(page, entrants["admin"].username, PASSWORD)
    page.goto("/penghargaan/provinsi/")
    page.get_by_role("link", name=re.compile("Inotek Award")).click()
    expect(page.get_by_test_id("own-entries")).to_contain_text("Juara 1")
    expect(page.get_by_text(other.name)).to_have_count(0)

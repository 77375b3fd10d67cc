"""The operator's journey: create an innovation, fill the profile and the indicators with uploads, watch
the kematangan change, fail to submit with a mandatory row empty, complete it and submit."""

import re

import pytest
from playwright.sync_api import expect

from innovasi.accounts.enums import Role
from submissions.models import Innovation
from submissions.samples import pdf_bytes

from ..factories import CycleFactory, OpdFactory, RegionFactory, UserFactory, innovation_create
from .conftest import held_back, log_in

pytestmark = pytest.mark.django_db(transaction=True)

DESIGN = " ".join(["Inovasi ini memangkas antrean layanan kesehatan ibu dan anak di desa."] * 30)


@pytest.fixture
def operator():
    region = RegionFactory(name="Kabupaten Mojokerto", code="35.16")
    CycleFactory(region=region)
    opd = OpdFactory(region=region, name="Dinas Kesehatan", short_name="Dinkes")
    return UserFactory(
        username="operator.dinkes", region=region, role=Role.OPERATOR, opd=opd, password="inovasi-demo"
    )


def row(page, code):
    return page.locator("article.claim-row", has=page.locator(f"#kode-{code}"))


def answered(page):
    """Wait until htmx has no request in flight (it marks the element of each with ``htmx-request``)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def choose(page, code, level, basis=None):
    target = row(page, code)
    if basis:
        target.get_by_label("Dasar pengukuran").select_option(basis)
        answered(page)  # the basis's answer brings the levels of that basis
    target.get_by_label("Tingkat").select_option(str(level))
    answered(page)


def upload(page, code, tmp_path):
    path = tmp_path / f"{code.lower()}.pdf"
    path.write_bytes(pdf_bytes(f"Bukti {code}"))
    row(page, code).locator("input[type=file]").set_input_files(str(path))
    row(page, code).get_by_role("button", name="Unggah", exact=True).click()
    expect(row(page, code).get_by_role("link", name=f"{code.lower()}.pdf")).to_be_visible()


def test_operator_files_and_submits_an_innovation(page, operator, tmp_path):
    log_in(page, "operator.dinkes", "inovasi-demo")
    page.get_by_role("link", name="Inovasi baru").first.click()
    page.get_by_label("Nama inovasi").fill("Posyandu Digital Majapahit")
    page.get_by_role("button", name="Buat draf").click()

    # The profile, with the rich-text editor for the rancang bangun.
    page.get_by_label("Tahapan").select_option("penerapan")
    page.get_by_label("Jenis").select_option("digital")
    page.get_by_label("Bentuk").select_option("pelayanan_publik")
    page.get_by_label(re.compile("Inisiator")).select_option("opd")  # not "Nama inisiator"
    page.get_by_label("Nama inisiator").fill("Dinas Kesehatan")
    page.get_by_label("Urusan utama").select_option(label="Kesehatan")
    page.get_by_role("textbox", name="Rancang bangun dan pokok perubahan").fill(DESIGN)
    assert page.locator(".word-count").inner_text() == "330 / 300 kata"
    page.get_by_role("textbox", name="Tujuan").fill("Mempercepat layanan posyandu.")
    page.get_by_role("textbox", name="Manfaat").fill("Ibu dan balita terlayani lebih cepat.")
    page.get_by_role("textbox", name="Hasil inovasi").fill("Antrean turun separuh.")
    page.get_by_label("Waktu uji coba").fill("2024-02-01")
    page.get_by_label("Waktu penerapan").fill("2024-08-01")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Profil disimpan sebagai draf.")).to_be_visible()
    expect(page.get_by_test_id("kematangan")).to_have_text("0,00")

    # Indicators: a level alone scores nothing; with its evidence the kematangan rises at once.
    choose(page, "SID-16", 2)
    expect(page.get_by_test_id("kematangan")).to_have_text("0,00")
    upload(page, "SID-16", tmp_path)
    expect(page.get_by_test_id("kematangan")).to_have_text("6,00")
    for code in ("SID-17", "SID-32"):
        choose(page, code, 3)
        upload(page, code, tmp_path)
    choose(page, "SID-33", 1, basis="a")
    upload(page, "SID-33", tmp_path)
    expect(page.get_by_test_id("kematangan")).to_have_text("21,00")
    expect(page.get_by_test_id("missing-mandatory")).to_have_text("SID-35 Video inovasi daerah")

    # With the video row empty the button says it cannot be used yet, and why.
    expect(page.get_by_test_id("rows-filled")).to_have_text("4 dari 20 baris terisi")
    expect(page.get_by_test_id("submit-disabled")).to_be_disabled()
    expect(page.get_by_test_id("submit-disabled")).to_have_text(
        re.compile("Belum dapat diajukan: 1 hal lagi")
    )
    expect(page.locator("#submit-problems")).to_have_text("Indikator wajib SID-35 belum dipilih tingkatnya.")
    assert Innovation.objects.get().state == "draft"

    # The video by link, then submission succeeds.
    choose(page, "SID-35", 2)
    row(page, "SID-35").get_by_placeholder(re.compile("tautan YouTube")).fill("https://youtu.be/posyandu")
    row(page, "SID-35").get_by_role("button", name="Unggah", exact=True).click()
    expect(page.get_by_test_id("kematangan")).to_have_text("29,00")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ajukan", exact=True).click()
    expect(page.get_by_text("Inovasi diajukan ke Bappeda untuk diverifikasi.")).to_be_visible()
    assert Innovation.objects.get().state == "diajukan"
    expect(page.get_by_text("Status: Draf → Diajukan")).to_be_visible()


def test_on_a_phone_the_bar_keeps_the_score_and_rows_left_in_view_and_an_unsent_file_is_warned_of(
    page, operator, tmp_path
):
    innovation = innovation_create(
        operator.opd.region.cycles.get(), operator.opd, operator, name="Antre Online"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "operator.dinkes", "inovasi-demo")
    page.goto(f"/inovasi/{innovation.pk}/ubah/")

    bar = page.get_by_test_id("phone-bar")
    row(page, "SID-25").scroll_into_view_if_needed()  # halfway down the rows, far from the aside
    box = bar.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 844
    expect(bar).to_contain_text("20 baris belum terisi")
    page.screenshot(path=str(tmp_path / "phone.png"))

    choose(page, "SID-25", 1)
    expect(bar).to_contain_text("19 baris belum terisi")
    path = tmp_path / "bukti.pdf"
    path.write_bytes(pdf_bytes("Bukti"))
    row(page, "SID-25").locator("input[type=file]").set_input_files(str(path))
    expect(row(page, "SID-25").get_by_text("Berkas dipilih tetapi belum diunggah")).to_be_visible()

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]


def test_the_checklist_shows_the_last_write_when_a_level_is_chosen_and_evidence_uploaded_at_once(
    page, operator, tmp_path
):
    """The operator picks a mandatory row's level and uploads its evidence before the level's answer is
    back: the checklist each answer carries must not end on the level's, which knew of no evidence."""
    innovation = innovation_create(
        operator.opd.region.cycles.get(), operator.opd, operator, name="Antre Online"
    )
    log_in(page, "operator.dinkes", "inovasi-demo")
    page.goto(f"/inovasi/{innovation.pk}/ubah/")

    level_saved = held_back(page, re.compile(r"/indikator/\d+/$"))
    row(page, "SID-16").get_by_label("Tingkat").select_option("2")
    release = level_saved()
    path = tmp_path / "bukti.pdf"
    path.write_bytes(pdf_bytes("Bukti"))
    row(page, "SID-16").locator("input[type=file]").set_input_files(str(path))
    row(page, "SID-16").get_by_role("button", name="Unggah", exact=True).click()
    page.wait_for_timeout(1000)  # time enough for an upload sent beside the level to be answered first
    release()

    expect(row(page, "SID-16").get_by_role("link", name="bukti.pdf")).to_be_visible()
    expect(page.locator("#submit-problems")).not_to_contain_text("SID-16")

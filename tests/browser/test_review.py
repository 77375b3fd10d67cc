"""A return fixed in one pass: the verifier returns an innovation with notes on two rows (a rejection
reason picked from the catalogue's list, an unsaved note guarded), the OPD sees the banner, each row's
verdict and note, answers one, fixes both and resubmits, and the verifier then sees the answers and the
new files."""

import re

import pytest
from playwright.sync_api import expect

from scoring.models import Verification
from scoring.services import verification
from submissions.models import ClaimComment, Innovation
from submissions.samples import pdf_bytes

from ..scoring.conftest import judge_all
from .conftest import held_back, log_in, log_out
from .test_verification import people  # noqa: F401  (the fixture: two submitted innovations of Dinkes)

pytestmark = pytest.mark.django_db(transaction=True)


def _row(page, code):
    return page.locator("article.verdict-row", has_text=code)


def _judge(page, code, verdict):
    row = _row(page, code)
    row.get_by_label(verdict, exact=True).check()
    row.get_by_role("button", name="Simpan putusan").click()
    expect(_row(page, code).get_by_text("Putusan tersimpan")).to_be_visible()


def test_a_return_is_fixed_in_one_pass(page, people, tmp_path):  # noqa: F811
    log_in(page, "verifikator1", "inovasi-demo")
    page.get_by_role("link", name="Ambulans Desa").click()
    expect(page.locator("h1")).to_contain_text("Ambulans Desa")
    running = page.get_by_test_id("running-kematangan")
    expect(running).to_contain_text("0,00")

    # SID-17: the reason is one click from the catalogue's list, and stays editable before saving.
    sk = _row(page, "SID-17")
    sk.get_by_role("button", name="Dokumen tidak menyebutkan nama inovasi").click()
    expect(sk.get_by_label("Tidak sesuai", exact=True)).to_be_checked()
    reason = sk.get_by_label("Alasan putusan", exact=False)
    expect(reason).to_have_value("Dokumen tidak menyebutkan nama inovasi")
    reason.press("End")
    reason.type(" (SK 2025)")
    sk.get_by_label("dibaca OPD", exact=False).fill("Unggah SK penugasan yang menyebut nama inovasi.")
    sk.get_by_role("button", name="Simpan putusan").click()
    expect(_row(page, "SID-17").get_by_text("Putusan tersimpan")).to_be_visible()
    photo = _row(page, "SID-32")
    photo.get_by_label("Tidak dapat diukur", exact=True).check()
    photo.get_by_label("Alasan putusan", exact=False).fill("Lama waktu tidak dapat dihitung dari dokumen")
    photo.get_by_role("button", name="Simpan putusan").click()
    expect(_row(page, "SID-32").get_by_text("Putusan tersimpan")).to_be_visible()
    accepted = _row(page, "SID-16")
    accepted.get_by_label("Sesuai", exact=True).check()
    accepted.get_by_label("Tingkat diterima").select_option("1")
    accepted.get_by_role("button", name="Simpan putusan").click()
    expect(_row(page, "SID-16").get_by_text("Putusan tersimpan")).to_be_visible()
    for code in ("SID-33", "SID-35"):
        _judge(page, code, "Sesuai")
    # Claimed 3×2 + 2×2 + 2×2 + 3×2 + 4×2 = 28; verified so far 3×1 + 3×2 + 4×2 = 17.
    expect(running).to_contain_text("17,00")
    expect(running).to_contain_text("28,00")

    # A note typed on a row but not saved is not lost on "Kembalikan": the verifier is asked first.
    _row(page, "SID-33").get_by_label("dibaca OPD", exact=False).fill("Foto kegiatan diperjelas.")
    page.get_by_label("Catatan umum untuk OPD", exact=False).fill("Mohon diperbaiki sebelum 15 Desember.")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Kembalikan ke OPD").click()
    expect(page.locator("h1")).to_contain_text("Ambulans Desa")
    assert len(asked) == 1
    assert "SID-33" in asked[0]
    assert Innovation.objects.get(name="Ambulans Desa").state == "diajukan"
    # Saving a verdict refreshes the box's figures, not the general note typed in it.
    _row(page, "SID-33").get_by_label("Sesuai", exact=True).check()
    _row(page, "SID-33").get_by_role("button", name="Simpan putusan").click()
    expect(_row(page, "SID-33").get_by_text("Putusan tersimpan")).to_be_visible()
    expect(page.get_by_label("Catatan umum untuk OPD", exact=False)).to_have_value(
        "Mohon diperbaiki sebelum 15 Desember."
    )
    page.get_by_role("button", name="Kembalikan ke OPD").click()
    expect(page.get_by_text("«Ambulans Desa» dikembalikan ke OPD untuk diperbaiki.")).to_be_visible()
    log_out(page)

    # The OPD: the banner names the rows to fix, each row shows its verdict and the verifier's note.
    log_in(page, "operator.dinkes", "inovasi-demo")
    page.get_by_role("link", name="Ambulans Desa").click()
    banner = page.get_by_test_id("to-fix")
    expect(banner).to_contain_text("Perlu diperbaiki: SID-17, SID-32, SID-33")
    expect(banner).to_contain_text("0 dari 3 sudah ditandai diperbaiki")
    rows = {code: page.locator("article.claim-row", has_text=code) for code in ("SID-16", "SID-17", "SID-32")}
    expect(rows["SID-16"].get_by_test_id("row-verdict")).to_contain_text("tingkat 1 diterima (diklaim 2)")
    expect(rows["SID-17"].get_by_test_id("row-verdict")).to_contain_text("Tidak sesuai")
    expect(rows["SID-17"]).to_contain_text("Unggah SK penugasan yang menyebut nama inovasi.")
    expect(rows["SID-32"]).to_contain_text("Tidak dapat diukur: Lama waktu tidak dapat dihitung dari dokumen")
    banner.get_by_role("link", name="SID-17").click()
    expect(rows["SID-17"]).to_be_in_viewport()

    # An answer typed but not sent is guarded when leaving the page.
    rows["SID-17"].get_by_label("Jawaban untuk verifikator", exact=False).fill("SK baru sudah diunggah.")
    left = []
    page.once("dialog", lambda dialog: (left.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Lihat ringkasan dan riwayat").click()
    expect(page.locator("h1")).to_contain_text("Ambulans Desa")
    assert left == ["beforeunload"]

    # Fix both rows: a new file on each, an answer on one, both marked fixed.
    for code, name in (("SID-17", "sk-penugasan-2025.pdf"), ("SID-32", "linimasa.pdf")):
        path = tmp_path / name
        path.write_bytes(pdf_bytes(name))
        upload = rows[code].locator("form.evidence-upload")
        upload.locator("input[type=file]").set_input_files(str(path))
        upload.get_by_role("button", name="Unggah", exact=True).click()
        expect(rows[code].get_by_role("link", name=name)).to_be_visible()
    rows["SID-17"].get_by_label("Sudah diperbaiki").check()
    rows["SID-17"].get_by_role("button", name="Simpan jawaban").click()
    expect(rows["SID-17"].get_by_text("Jawaban tersimpan")).to_be_visible()
    expect(rows["SID-17"].get_by_test_id("row-fixed")).to_be_visible()
    expect(rows["SID-17"]).to_contain_text("SK baru sudah diunggah.")
    for code in ("SID-32", "SID-33"):
        row = page.locator("article.claim-row", has_text=code)
        row.get_by_label("Sudah diperbaiki").check()
        row.get_by_role("button", name="Simpan jawaban").click()
        expect(row.get_by_test_id("row-fixed")).to_be_visible()
    expect(banner).to_contain_text("3 dari 3 sudah ditandai diperbaiki")
    # The verdict of a row changed since is waiting again.
    expect(rows["SID-17"].get_by_test_id("row-verdict")).to_contain_text("menunggu verifikasi ulang")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ajukan kembali").click()
    expect(page.get_by_text("Inovasi diajukan ke Bappeda untuk diverifikasi.")).to_be_visible()
    assert Innovation.objects.get(name="Ambulans Desa").state == "diajukan"
    log_out(page)

    # The verifier sees the answer, the marks and which files are new.
    log_in(page, "verifikator1", "inovasi-demo")
    page.get_by_role("link", name="Ambulans Desa").click()
    expect(page.locator("h1")).to_contain_text("Ambulans Desa")
    sk = _row(page, "SID-17")
    expect(sk).to_contain_text("SK baru sudah diunggah.")
    expect(sk.get_by_test_id("row-fixed")).to_have_text("OPD: sudah diperbaiki")
    expect(sk.get_by_test_id("evidence-new")).to_have_count(1)
    expect(sk.locator("li", has_text="sk-penugasan-2025.pdf").get_by_test_id("evidence-new")).to_be_visible()
    expect(_row(page, "SID-35").get_by_test_id("evidence-new")).to_have_count(0)
    assert list(
        Verification.objects.filter(claim__innovation__name="Ambulans Desa", verdict="pending")
        .order_by("claim__indicator__position")
        .values_list("claim__indicator__code", flat=True)
    ) == ["SID-17", "SID-32"]
    assert ClaimComment.objects.filter(kind="jawaban").count() == 1


def test_the_banner_counts_both_rows_when_two_are_marked_fixed_before_the_first_answer_is_back(
    page,
    people,  # noqa: F811
):
    """Each answer carries the banner of rows to fix as it stood: the first, which knew of one row fixed,
    must not arrive last and stay in view."""
    _operator, verifikator = people
    innovation = Innovation.objects.get(name="Ambulans Desa")
    rejected = {"verdict": "tidak_sesuai", "reason": "Dokumen tidak menyebut nama inovasi"}
    judge_all(innovation, verifikator, **{"SID-17": rejected, "SID-32": rejected})
    verification.verification_finish(innovation=innovation, user=verifikator, action="return")
    log_in(page, "operator.dinkes", "inovasi-demo")
    page.goto(f"/inovasi/{innovation.pk}/ubah/")
    banner = page.get_by_test_id("to-fix")
    expect(banner).to_contain_text("0 dari 2 sudah ditandai diperbaiki")

    rows = {code: page.locator("article.claim-row", has_text=code) for code in ("SID-17", "SID-32")}

    def mark_fixed(code):
        rows[code].get_by_label("Sudah diperbaiki").check()
        rows[code].get_by_role("button", name="Simpan jawaban").click()

    first_saved = held_back(page, re.compile(r"/jawab/$"))
    mark_fixed("SID-17")
    release = first_saved()
    mark_fixed("SID-32")
    page.wait_for_timeout(1000)  # time enough for a second answer sent beside the first to come back
    release()

    for row in rows.values():
        expect(row.get_by_test_id("row-fixed")).to_be_visible()
    expect(banner).to_contain_text("2 dari 2 sudah ditandai diperbaiki")

"""Constraints of the submissions models, the rich text rules and the upload checks."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from innovasi.uploads import safe_name, upload_check
from submissions.models import Claim, Evidence
from submissions.richtext import richtext_clean, richtext_words
from submissions.samples import image_bytes, mp4_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def test_claim_one_per_innovation_and_indicator(draft):
    claim = draft.claims.first()

    with pytest.raises(IntegrityError):
        Claim.objects.create(innovation=draft, indicator=claim.indicator)


def test_claim_level_above_3_refused_by_the_database(draft):
    with pytest.raises(IntegrityError):
        draft.claims.filter(pk=draft.claims.first().pk).update(level=4)


def test_evidence_is_a_file_or_a_link_never_neither(draft, operator_a):
    with pytest.raises(IntegrityError):
        Evidence.objects.create(claim=draft.claims.first(), kind="pdf", uploaded_by=operator_a)


def test_innovation_has_one_claim_per_sid_indicator(draft):
    assert draft.claims.count() == 20
    assert set(draft.claims.values_list("indicator__group", flat=True)) == {"sid"}


def test_richtext_keeps_formatting_and_drops_the_rest():
    cleaned = richtext_clean(
        '<p onclick="x()">Halo <b>tebal</b> <a href="javascript:x">tautan</a></p><script>x()</script>'
    )

    assert cleaned == "<p>Halo <b>tebal</b> tautan</p>"


def test_richtext_plain_text_becomes_paragraphs():
    assert richtext_clean("Satu <2>\nbaris\n\nDua") == "<p>Satu &lt;2&gt;<br>baris</p><p>Dua</p>"


@pytest.mark.parametrize(
    ("html", "words"),
    [
        ("<p>Satu dua&nbsp;tiga</p>", 3),
        ("<ul><li>satu</li><li>dua</li></ul><p>tiga – empat</p>", 4),
        ("<p><b>Per</b>bup 12/2025</p>", 2),
        ("", 0),
    ],
)
def test_richtext_words_counted_without_markup(html, words):
    assert richtext_words(html) == words


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("perbup.pdf", pdf_bytes("x"), "pdf"),
        ("foto.JPEG", image_bytes("x", "JPEG"), "jpg"),
        ("layar.png", image_bytes("x"), "png"),
        ("video.mp4", mp4_bytes(), "mp4"),
    ],
)
def test_upload_check_accepts_allowed_kind(name, content, kind):
    assert upload_check(upload(name, content), ["pdf", "jpg", "png", "mp4"])[0] == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "surat.png",
            pdf_bytes("x"),
            "Isi berkas «surat.png» adalah PDF, tetapi nama berkasnya tidak berakhiran .pdf. Periksa berkasnya lalu unggah lagi.",
        ),
        (
            "surat.pdf",
            b"<!doctype html><html><script>alert(1)</script></html>",
            "Isi berkas «surat.pdf» bukan PDF, JPG atau PNG. Berkas HTML, SVG, dokumen Office dan program tidak diterima.",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Isi berkas «logo.svg» bukan PDF, JPG atau PNG. Berkas HTML, SVG, dokumen Office dan program tidak diterima.",
        ),
        (
            "setup.pdf",
            b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00",
            "Isi berkas «setup.pdf» bukan PDF, JPG atau PNG. Berkas HTML, SVG, dokumen Office dan program tidak diterima.",
        ),
        ("kosong.pdf", b"", "Berkas «kosong.pdf» kosong. Pilih berkas yang berisi."),
        (
            "video.mp4",
            mp4_bytes(),
            "Berkas «video.mp4» adalah MP4; di sini hanya PDF, JPG atau PNG yang diterima.",
        ),
    ],
)
def test_upload_check_refuses_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as error:
        upload_check(upload(name, content), ["pdf", "jpg", "png"])

    assert error.value.messages == [message]


def test_upload_check_refuses_a_file_over_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    content = pdf_bytes("x")
    big = content + b"%" * (3 * 1024 - len(content))

    with pytest.raises(ValidationError) as error:
        upload_check(upload("besar.pdf", big), ["pdf"])

    assert error.value.messages == [
        "Berkas «besar.pdf» berukuran 3,0\xa0KB, melebihi batas 1,0\xa0KB per berkas."
    ]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\surat dinas.pdf", "surat_dinas.pdf"),
        ("/abs/path/SK Bupati (2025).pdf", "SK_Bupati_2025.pdf"),
        ("..", "berkas"),
    ],
)
def test_upload_names_lose_their_path(name, safe):
    assert safe_name(name) == safe


def test_upload_stored_under_an_unguessable_path(draft, operator_a):
    from submissions import services

    from .conftest import pdf_upload

    evidence = services.evidence_add(
        claim=draft.claims.first(), user=operator_a, uploaded=pdf_upload("SK.pdf")
    )

    assert evidence.original_name == "SK.pdf"
    assert evidence.file.name.startswith("bukti/")
    assert "SK" not in evidence.file.name
    assert len(evidence.file.name) == len("bukti/") + 32 + len(".pdf")

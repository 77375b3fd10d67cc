import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from innovasi.standards.models import Urusan
from submissions import services
from submissions.samples import image_bytes, pdf_bytes

from ..factories import innovation_create

WORDS_320 = " ".join(f"kata{i}" for i in range(320))
MANDATORY = ("SID-16", "SID-17", "SID-32", "SID-33", "SID-35")


def complete_profile():
    return {
        "tahapan": "penerapan",
        "inisiator": "opd",
        "inisiator_name": "Dinas Kesehatan",
        "jenis": "digital",
        "bentuk": "pelayanan_publik",
        "urusan_utama": Urusan.objects.get(code="kesehatan"),
        "rancang_bangun": f"<p>{WORDS_320}</p>",
        "rancang_bangun_words": 320,
        "tujuan": "<p>Tujuan</p>",
        "manfaat": "<p>Manfaat</p>",
        "hasil": "<p>Hasil</p>",
        "waktu_uji_coba": datetime.date(2024, 1, 10),
        "waktu_penerapan": datetime.date(2024, 6, 1),
    }


def pdf_upload(name="bukti.pdf"):
    return SimpleUploadedFile(name, pdf_bytes("Bukti uji"), content_type="application/pdf")


def png_upload(name="bukti.png"):
    return SimpleUploadedFile(name, image_bytes("Bukti uji"), content_type="image/png")


def fill(innovation, user, levels, *, evidence=True):
    """Choose ``levels`` ({code: level}) and, with ``evidence``, attach one accepted file or link to each."""
    claims = {claim.indicator.code: claim for claim in innovation.claims.select_related("indicator")}
    for code, level in levels.items():
        claim = claims[code]
        services.claim_update(
            claim=claim, user=user, level=level, basis="a" if code == "SID-33" else "", note="", version=None
        )
        if evidence:
            kinds = claim.indicator.evidence_kinds
            if "pdf" in kinds:
                services.evidence_add(claim=claim, user=user, uploaded=pdf_upload())
            elif "link" in kinds:
                services.evidence_add(claim=claim, user=user, link="https://youtu.be/demo")
            else:
                services.evidence_add(claim=claim, user=user, uploaded=png_upload())


@pytest.fixture
def draft(cycle, opd_a, operator_a):
    return innovation_create(cycle, opd_a, operator_a, name="Posyandu Digital")


@pytest.fixture
def ready(draft, operator_a):
    """A draft that may be submitted: complete profile, every mandatory row with a level and evidence."""
    for field, value in complete_profile().items():
        setattr(draft, field, value)
    draft.save()
    fill(draft, operator_a, dict.fromkeys(MANDATORY, 2))
    draft.refresh_from_db()
    return draft

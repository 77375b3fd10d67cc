"""The OPD's forms: what the claim form offers to choose."""

import pytest
from django.utils import translation

from submissions.forms import ClaimForm

pytestmark = pytest.mark.django_db


def basis_choices(claim, language):
    with translation.override(language):
        return [(value, str(label)) for value, label in ClaimForm(claim=claim).fields["basis"].choices]


def test_claim_form_offers_each_basis_with_its_label_in_the_page_language(draft):
    claim = draft.claims.get(indicator__code="SID-33")

    assert basis_choices(claim, "id") == [
        ("", "— pilih dasar —"),
        ("a", "a · Jumlah penerima manfaat"),
        ("b", "b · Cakupan unit sasaran"),
        ("c", "c · Efisiensi belanja"),
        ("d", "d · Penambahan pendapatan"),
        ("e", "e · Produk yang dihasilkan atau diperjualbelikan"),
        ("f", "f · Tren kinerja positif"),
    ]
    assert basis_choices(claim, "en")[:2] == [
        ("", "— choose a basis —"),
        ("a", "a · Number of beneficiaries"),
    ]


def test_claim_form_without_bases_has_no_basis_field(draft):
    claim = draft.claims.get(indicator__code="SID-16")

    assert "basis" not in ClaimForm(claim=claim).fields

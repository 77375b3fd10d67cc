"""The form fields every app uses in place of Django's own (innovasi.forms)."""

import pytest
from django.core.exceptions import ValidationError

from innovasi.accounts.models import Opd
from innovasi.forms import ModelMultipleChoiceField

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999", "abc"])
def test_multiple_choice_refuses_an_id_no_database_holds(opd_a, value):
    field = ModelMultipleChoiceField(queryset=Opd.objects.all())

    with pytest.raises(ValidationError) as refused:
        field.clean([str(opd_a.pk), value])

    assert refused.value.messages == [f"“{value}” bukan nilai yang valid."]


def test_multiple_choice_takes_ids_it_offers(opd_a, opd_b):
    field = ModelMultipleChoiceField(queryset=Opd.objects.all())

    assert set(field.clean([str(opd_a.pk), str(opd_b.pk)])) == {opd_a, opd_b}

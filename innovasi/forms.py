"""Form fields every app uses in place of Django's own."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# The database's integers: SQLite raises OverflowError for a parameter outside them, PostgreSQL refuses
# it in a bigint column.
DATABASE_INTEGERS = range(-(2**63), 2**63)


class DateInput(forms.DateInput):
    """The browser's date picker; the value it sends and shows is ISO (YYYY-MM-DD) in every language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but an id past the database's integers is an invalid choice, not a server error: Django
    checks that each value is a number and then asks the database for ``pk__in`` those numbers, where a
    20-digit one breaks the query (Django bounds ``pk=`` lookups, not ``pk__in``)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(field, models.IntegerField) and isinstance(value, list | tuple):
            for pk in value:
                try:
                    number = int(pk)
                except (TypeError, ValueError):
                    continue  # Django's own check refuses it with its message
                if number not in DATABASE_INTEGERS:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)

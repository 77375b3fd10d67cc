from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NAME_MAX_LENGTH


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Untuk apa atau aplikasi mana token ini, mis. «Dasbor Diskominfo»."),
    )

"""The authentication forms, laid out with crispy-forms' Bootstrap 5 pack."""

from crispy_forms.helper import FormHelper
from django.contrib.auth import forms as auth_forms
from django.core import validators
from django.utils.translation import gettext_lazy as _


class CrispyMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class LoginForm(CrispyMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Kata sandi")
        # Django sets the username's max_length after the field is made, so nothing checks it: a longer
        # name reached authenticate() and django-axes' record of the failure (PostgreSQL: value too long).
        username = self.fields["username"]
        username.validators.append(validators.MaxLengthValidator(username.max_length))


class PasswordChangeForm(CrispyMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(CrispyMixin, auth_forms.PasswordResetForm):
    """Only the e-mail field: ``services.password_reset_request`` does the rest, the same for every address.

    Django's ``save()`` would look the account up and render its mail in the request, which makes a known
    address answer slower than an unknown one; it is refused here so that no view calls it by mistake.
    """

    def save(self, *args, **kwargs):
        raise NotImplementedError("use innovasi.accounts.services.password_reset_request")


class SetPasswordForm(CrispyMixin, auth_forms.SetPasswordForm):
    pass

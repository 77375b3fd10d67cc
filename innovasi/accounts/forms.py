"""The authentication forms, the admin's forms for the region, its settings, its OPDs and users, laid out
with crispy-forms' Bootstrap 5 pack."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core import validators
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from innovasi.standards.enums import EvidenceKind
from innovasi.uploads import upload_check

from .enums import OVERSEEING_KINDS, OpdKind, RegionKind, Role
from .models import REGION_SETTINGS_FIELDS, Region
from .numbering import nip_normalise

LOGO_KINDS = [EvidenceKind.PNG, EvidenceKind.JPG]
LOGO_MAX_BYTES = 1024 * 1024  # printed about 2 cm wide: a larger file only slows every document


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


class RegionSetupForm(CrispyMixin, forms.Form):
    name = forms.CharField(
        label=_("Nama wilayah"), max_length=200, help_text=_("Misalnya «Kabupaten Mojokerto».")
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=RegionKind.choices, initial=RegionKind.KABUPATEN)
    code = forms.CharField(
        label=_("Kode wilayah"),
        max_length=20,
        help_text=_("Kode Kemendagri: 35.16 untuk kabupaten atau kota, 35 untuk provinsi."),
    )
    # Offered only when the portal holds regions a new one could lie in (a province, the nation).
    parent_code = forms.ChoiceField(
        label=_("Wilayah induk"),
        required=False,
        help_text=_(
            "Provinsi tempat kabupaten atau kota ini berada (atau wilayah nasional untuk provinsi): admin "
            "dan pimpinan wilayah induk dapat membaca dasbor dan peringkat wilayah ini, tanpa mengubahnya."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Region.objects.filter(kind__in=OVERSEEING_KINDS).order_by("kind", "name")
        choices = [(region.code, f"{region.name} ({region.code})") for region in parents]
        if choices:
            self.fields["parent_code"].choices = [("", _("— tidak di bawah wilayah lain —")), *choices]
        else:
            del self.fields["parent_code"]


class OpdForm(CrispyMixin, forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    short_name = forms.CharField(
        label=_("Nama singkat"),
        max_length=60,
        help_text=_("Misalnya «Dinkes». Impor berkas OPD mengenali OPD dari nama singkatnya."),
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=OpdKind.choices)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class UserForm(CrispyMixin, forms.Form):
    """An account's name, e-mail, role and OPD: the invitation (``seen`` unused) and the change of an
    account. The OPDs offered are the region's active ones (and the account's own, if inactive)."""

    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel"), max_length=254)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    opd = forms.ModelChoiceField(
        label=_("OPD"),
        queryset=None,
        required=False,
        help_text=_(
            "Wajib untuk operator dan kepala OPD; verifikator dari OPD ini tidak memverifikasi inovasinya "
            "sendiri."
        ),
    )
    affiliation = forms.CharField(
        label=_("Afiliasi"),
        max_length=200,
        required=False,
        help_text=_("Untuk juri dari luar pemerintahan: universitas atau lembaga tempatnya bekerja."),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, opds, role_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds
        if role_fixed:
            self.fields["role"].disabled = True
            self.fields["role"].help_text = _("Peran akun Anda sendiri diubah oleh admin lain.")


class ImportForm(CrispyMixin, forms.Form):
    """The file to preview; once the preview is clean, its confirmation carries ``plan``: the checked rows,
    signed (``imports.plan_sign``), so that what is imported is what was previewed."""

    file = forms.FileField(label=_("Berkas Excel (.xlsx) atau CSV"), required=False)
    plan = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("file") and not cleaned_data.get("plan"):
            raise forms.ValidationError(_("Pilih berkas yang akan diimpor."), code="required")
        return cleaned_data


class RegionSettingsForm(CrispyMixin, forms.ModelForm):
    """The letterhead, the place and date, the two signatories and the certificate numbering of a region.

    The logo is checked like every upload (its content sniffed: PNG or JPG, at most 1 MB); the NIPs are
    read with or without spaces and kept as printed; a signatory needs both name and title. The model's
    own validators check the numbering pattern (it must carry the running number).
    """

    # A plain file input: removing the logo is the checkbox below, not the clearable widget's own.
    logo = forms.FileField(label=_("Logo baru"), required=False, widget=forms.FileInput)
    logo_remove = forms.BooleanField(label=_("Hapus logo"), required=False)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Versi pengaturan tidak terkirim: muat ulang halaman lalu simpan lagi.")
        },
    )

    class Meta:
        model = Region
        fields = REGION_SETTINGS_FIELDS
        help_texts = {
            "certificate_number_pattern": _(
                "Isian: {nomor} nomor urut, {nomor:3} nomor urut tiga angka (001), {tahun} tahun terbit, "
                "{bulan} bulan terbit dalam angka Romawi. Dengan {tahun}, nomor urut mulai lagi dari 1 "
                "setiap tahun. Contoh: {nomor:3}/PIAGAM/BAPPEDA/{tahun}."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True
        self.fields["logo"].help_text = _(
            "PNG atau JPG, paling besar %(size)s. Dicetak di kop dan di piagam."
        ) % {"size": filesizeformat(LOGO_MAX_BYTES)}
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.settings_version)

    def clean_logo(self):
        uploaded = self.cleaned_data.get("logo") or None
        if uploaded is not None:
            upload_check(uploaded, LOGO_KINDS, limit=LOGO_MAX_BYTES)
        return uploaded

    def clean_signatory_nip(self):
        return nip_normalise(self.cleaned_data["signatory_nip"])

    def clean_report_signatory_nip(self):
        return nip_normalise(self.cleaned_data["report_signatory_nip"])

    def clean(self):
        cleaned_data = super().clean()
        for who, name, title in (
            (_("kepala daerah"), "signatory_name", "signatory_title"),
            (_("kepala Bappeda"), "report_signatory_name", "report_signatory_title"),
        ):
            given = {field: (cleaned_data.get(field) or "").strip() for field in (name, title)}
            for field, other in ((name, title), (title, name)):
                if given[other] and not given[field] and field not in self.errors:
                    self.add_error(
                        field,
                        _("Isi juga %(field)s: dokumen mencetak nama dan jabatan %(who)s bersama-sama.")
                        % {"field": Region._meta.get_field(field).verbose_name, "who": who},
                    )
        if cleaned_data.get("logo") and cleaned_data.get("logo_remove"):
            self.add_error("logo_remove", _("Pilih salah satu: unggah logo baru atau hapus logo."))
        return cleaned_data

    def settings_values(self):
        """The checked settings, for ``services.region_settings_update``."""
        return {name: self.cleaned_data[name] for name in REGION_SETTINGS_FIELDS}

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from innovasi.forms import DateInput, ModelMultipleChoiceField
from innovasi.standards.models import Urusan

from .models import PROFILE_FIELDS, Innovation
from .selectors import REQUIRED_PROFILE_FIELDS

# No regional innovation is older than the Republic.
EARLIEST_DATE = datetime.date(1945, 8, 17)
DATE_FIELDS = ("waktu_uji_coba", "waktu_penerapan", "waktu_pengembangan")


class RichTextarea(forms.Textarea):
    """A textarea that static/js/app.js turns into a small editor (bold, italic, lists); plain without JS."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 8, "data-richtext": "true", **(attrs or {})})


class InnovationCreateForm(forms.Form):
    name = forms.CharField(label=_("Nama inovasi"), max_length=255)


class InnovationProfileForm(forms.ModelForm):
    """The profile. Only the name is required to save a draft: completeness is checked on submission, and
    the fields it needs (``REQUIRED_PROFILE_FIELDS``) carry the mark of a required field."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    video_url = forms.URLField(label=_("Tautan video"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Innovation
        fields = [*PROFILE_FIELDS, "urusan_lain"]
        field_classes = {"urusan_lain": ModelMultipleChoiceField}

        widgets = {
            "waktu_uji_coba": DateInput(),
            "waktu_penerapan": DateInput(),
            "waktu_pengembangan": DateInput(),
            "rancang_bangun": RichTextarea({"rows": 14, "data-word-count": "true"}),
            "tujuan": RichTextarea(),
            "manfaat": RichTextarea(),
            "hasil": RichTextarea(),
            "urusan_lain": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "urusan_lain": _("Tahan Ctrl (atau ⌘) untuk memilih lebih dari satu."),
            "waktu_pengembangan": _("Isi bila inovasi dikembangkan setelah diterapkan."),
            "video_url": _("Tautan YouTube atau Google Drive video inovasi (paling lama 5 menit)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        urusan = Urusan.objects.order_by("position")
        self.fields["urusan_utama"].queryset = urusan
        self.fields["urusan_lain"].queryset = urusan
        self.initial.setdefault("version", self.instance.version)
        self.fields["rancang_bangun"].help_text = _(
            "Paling sedikit %(minimum)d kata: dasar hukum, permasalahan, isu strategis, metode, keunikan, "
            "dan cara kerja inovasi."
        ) % {"minimum": self.instance.cycle.catalogue.min_words}
        for name in REQUIRED_PROFILE_FIELDS:
            field = self.fields[name.removesuffix("_id")]
            field.label = format_html(
                '{} <span class="required-mark" aria-hidden="true">*</span>'
                '<span class="visually-hidden"> ({})</span>',
                field.label,
                _("wajib untuk diajukan"),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            HTML(
                format_html(
                    '<p class="small text-body-secondary">{}</p>',
                    _(
                        "Tanda * menandai isian yang wajib sebelum diajukan; draf boleh disimpan belum lengkap."
                    ),
                )
            ),
            Fieldset(
                _("Identitas"),
                "name",
                Row(Column("tahapan"), Column("jenis"), Column("bentuk")),
                Row(Column("inisiator"), Column("inisiator_name")),
                Row(Column("tematik"), Column("urusan_utama")),
                "urusan_lain",
            ),
            Fieldset(
                _("Uraian"),
                Field("rancang_bangun"),
                HTML(
                    format_html(
                        '<div class="word-count small text-body-secondary mb-3" data-word-count-for="id_rancang_bangun"'
                        ' data-minimum="{}" aria-live="polite"></div>',
                        self.instance.cycle.catalogue.min_words,
                    )
                ),
                "tujuan",
                "manfaat",
                "hasil",
            ),
            Fieldset(
                _("Waktu dan video"),
                Row(Column("waktu_uji_coba"), Column("waktu_penerapan"), Column("waktu_pengembangan")),
                "video_url",
            ),
        )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in DATE_FIELDS:
            moment = data.get(name)
            if moment and moment > today:
                self.add_error(name, _("Tanggal ini belum terjadi: isi tanggal yang sudah lewat."))
            elif moment and moment < EARLIEST_DATE:
                self.add_error(name, _("Tanggal sebelum 17 Agustus 1945 tidak mungkin: periksa tahunnya."))
        trial, applied, developed = (data.get(name) for name in DATE_FIELDS)
        if trial and applied and applied < trial:
            self.add_error("waktu_penerapan", _("Waktu penerapan tidak boleh sebelum waktu uji coba."))
        if applied and developed and developed < applied:
            self.add_error("waktu_pengembangan", _("Waktu pengembangan tidak boleh sebelum waktu penerapan."))
        main, others = data.get("urusan_utama"), data.get("urusan_lain")
        if main and others and main in others:
            self.add_error("urusan_lain", _("Urusan utama tidak perlu dipilih lagi sebagai urusan lain."))
        return data


class ClaimForm(forms.Form):
    """One indicator row: the level (with the basis first for indicator 33) and a note."""

    level = forms.TypedChoiceField(label=_("Tingkat"), coerce=int, required=False, empty_value=0)
    basis = forms.ChoiceField(label=_("Dasar pengukuran"), required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        options = list(claim.indicator.options.all())
        bases = sorted({option.basis for option in options if option.basis})
        self.fields["basis"].choices = [
            ("", _("— pilih dasar —")),
            *((basis, claim.indicator.basis_display(basis)) for basis in bases),
        ]
        basis = self.data.get(self.add_prefix("basis"), claim.basis) if self.is_bound else claim.basis
        shown = [option for option in options if option.basis == (basis if bases else "")]
        self.fields["level"].choices = [
            (0, _("— belum dipilih —")),
            *((option.level, f"{option.level} · {option.label} ({option.score:g})") for option in shown),
        ]
        if not bases:
            del self.fields["basis"]
        self.initial.update(
            {"level": claim.level, "basis": claim.basis, "note": claim.note, "version": claim.version}
        )

    def clean(self):
        data = super().clean()
        if "basis" in self.fields and data.get("level") and not data.get("basis"):
            self.add_error("basis", _("Pilih dasar pengukuran (a–f) sebelum memilih tingkat."))
        return data


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("Unggah berkas bukti"))


class EvidenceLinkForm(forms.Form):
    link = forms.URLField(label=_("Tautan video"), max_length=500, assume_scheme="https")


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Berkas PDF"))


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Inovasi siklus sebelumnya"), queryset=Innovation.objects.none())
    change_note = forms.CharField(
        label=_("Apa yang berubah sejak siklus sebelumnya?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wajib diisi: pengembangan, perluasan, atau perbaikan yang dilakukan."),
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].label_from_instance = lambda innovation: (
            f"{innovation.name} ({innovation.cycle.name})"
        )

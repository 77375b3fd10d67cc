from django import forms
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.models import Opd, Region
from innovasi.forms import ModelMultipleChoiceField
from submissions.models import Innovation

from .enums import Verdict
from .models import AwardScheme


class VerdictForm(forms.Form):
    """The verdict on one row: sesuai at a level up to the claim's, or a rejection with its reason."""

    verdict = forms.ChoiceField(
        label=_("Putusan"),
        choices=[(v.value, v.label) for v in Verdict if v != Verdict.PENDING],
        widget=forms.RadioSelect,
    )
    level = forms.TypedChoiceField(label=_("Tingkat diterima"), coerce=int, required=False, empty_value=0)
    reason = forms.CharField(label=_("Alasan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opd_note = forms.CharField(
        label=_("Catatan untuk OPD"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Versi putusan tidak terkirim: muat ulang baris ini lalu simpan lagi.")
        },
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        options = {
            option.level: option.label
            for option in claim.indicator.options.all()
            if option.basis == (claim.basis or "")
        }
        self.fields["level"].choices = [
            (level, f"{level} · {options.get(level, '')}") for level in range(claim.level, 0, -1)
        ]
        verification = getattr(claim, "verification", None)
        if verification is not None:
            self.initial.update(
                verdict=verification.verdict if verification.verdict != Verdict.PENDING else None,
                level=verification.level or claim.level,
                reason=verification.reason,
                opd_note=verification.opd_note,
                version=verification.version,
            )
        else:
            self.initial.update(level=claim.level, version=1)


class AssignForm(forms.Form):
    innovations = ModelMultipleChoiceField(
        label=_("Inovasi"), queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )
    verifikator = forms.ChoiceField(label=_("Verifikator"), required=False)

    def __init__(self, *args, innovations, verifikators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovations"].queryset = Innovation.objects.filter(
            pk__in=[i.pk for i in innovations]
        ).select_related("opd")
        self.fields["verifikator"].choices = [
            ("", _("Saran seimbang (paling sedikit tugas terbuka)")),
            *((str(user.pk), f"{user} ({user.open_work})") for user in verifikators),
        ]
        self._verifikators = {str(user.pk): user for user in verifikators}

    def clean_verifikator(self):
        value = self.cleaned_data["verifikator"]
        return self._verifikators.get(value) if value else None


class SpdEntryForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Tingkat"), coerce=int, empty_value=0, required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (0, _("— belum diisi —")),
            *((option.level, f"{option.level} · {option.label}") for option in entry.indicator.options.all()),
        ]
        self.initial.update(level=entry.level, note=entry.note, version=entry.version)


class SpdEvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas bukti"))


class ScaleLabelsField(forms.CharField):
    """The scale's labels, one a line as "5 = Sangat baik", kept as {"5": "Sangat baik"}."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(
                f"{score} = {label}" for score, label in sorted(value.items(), key=lambda i: int(i[0]))
            )
        return value

    def to_python(self, value):
        labels = {}
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            score, separator, label = line.partition("=")
            if not separator or not score.strip().isdecimal() or not label.strip():
                raise forms.ValidationError(
                    _(
                        "Label nilai baris %(line)d: tulis satu nilai, tanda =, lalu labelnya, mis. «5 = Sangat baik»."
                    )
                    % {"line": number}
                )
            labels[str(int(score))] = label.strip()
        return labels


# A scheme open to the regions below also sets how many entries each may send, and until when.
ENTRY_FIELDS = ("entries_per_region", "entry_deadline")


class SchemeSettingsForm(forms.ModelForm):
    # The scheme's version the form was made on: scheme_update refuses it once someone saved since.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Versi pengaturan tidak terkirim: muat ulang halaman lalu simpan lagi.")
        },
    )
    scale_labels = ScaleLabelsField(
        label=_("Label nilai (tidak wajib)"),
        required=False,
        help_text=_("Satu per baris, mis. «1 = Sangat kurang». Ditampilkan kepada juri di lembar penilaian."),
    )

    class Meta:
        model = AwardScheme
        fields = [
            "name",
            "scale_min",
            "scale_max",
            "scale_labels",
            "aggregation",
            "normalise",
            "winners",
            "honourable_mentions",
            "disagreement_threshold",
            "hide_scores_until_submitted",
            "tie_break",
            *ENTRY_FIELDS,
        ]
        widgets = {"entry_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        for name in ENTRY_FIELDS:
            if self.instance.open_to_regions_below:
                self.fields[name].required = True
            else:
                del self.fields[name]

    @property
    def settings(self):
        """The settings as ``scheme_update`` takes them (after ``is_valid``)."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class ConflictForm(forms.Form):
    """A juror's declaration: the OPDs of the nominees, or in a scheme open to the regions below the
    kabupaten/kota (the other list is empty and not shown)."""

    opds = ModelMultipleChoiceField(
        label=_("OPD yang berhubungan dengan Anda (keluarga, pekerjaan, pembimbingan, dan sebagainya)"),
        queryset=Opd.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = ModelMultipleChoiceField(
        label=_(
            "Kabupaten/kota yang berhubungan dengan Anda (tempat bekerja, proyek, keluarga, dan sebagainya)"
        ),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    no_conflict = forms.BooleanField(
        label=_("Saya menyatakan dengan sebenarnya bahwa daftar di atas lengkap."), required=True
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        _conflict_choices_set(self, choices)


def _conflict_choices_set(form, choices):
    """Offer ``choices`` (``selectors.awards.conflict_choices``: OPDs, or regions) in the field of their
    kind."""
    form.fields["regions" if choices.model is Region else "opds"].queryset = choices


class ConflictChangeForm(forms.Form):
    """The admin's change of a juror's conflict declaration: the OPDs (or regions) it names afterwards, and
    why."""

    opds = ModelMultipleChoiceField(
        label=_("OPD yang berkonflik"),
        queryset=Opd.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = ModelMultipleChoiceField(
        label=_("Kabupaten/kota yang berkonflik"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tulis alasan perubahan pernyataan konflik.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        _conflict_choices_set(self, choices)

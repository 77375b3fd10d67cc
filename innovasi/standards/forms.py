"""The admin's forms for a region's cycles: opening one on a catalogue, its dates, moving it to another
stage, and extending an OPD's deadline. Each checks what its service checks, with the same messages,
beside the field concerned; the service checks it again (a form may be stale)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innovasi.forms import DateInput

from .enums import CycleState, DeadlineKind
from .models import SCHEDULE_FIELDS, Cycle
from .services.cycles import (
    extension_problems,
    schedule_problems,
    transition_goes_back,
    transition_refusal,
    transition_targets,
)


def _date_field(name):
    return forms.DateField(label=Cycle._meta.get_field(name).verbose_name.capitalize(), widget=DateInput())


class ScheduleFields(forms.Form):
    """A cycle's name and its dates, each after the one before."""

    name = forms.CharField(label=_("Nama siklus"), max_length=200)
    opens_on = _date_field("opens_on")
    filing_closes_on = _date_field("filing_closes_on")
    verification_closes_on = _date_field("verification_closes_on")
    revision_closes_on = _date_field("revision_closes_on")
    final_on = _date_field("final_on")

    def clean(self):
        cleaned_data = super().clean()
        for field, message in schedule_problems(self.schedule).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned_data

    @property
    def schedule(self):
        return {name: self.cleaned_data.get(name) for name in SCHEDULE_FIELDS}


class CycleCreateForm(ScheduleFields):
    catalogue = forms.ModelChoiceField(
        label=_("Katalog indikator"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Pilih katalog yang belum memiliki siklus di wilayah Anda.")},
    )
    field_order = ["catalogue", "name", *SCHEDULE_FIELDS]

    def __init__(self, *args, catalogues, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue"].queryset = catalogues
        self.fields["name"].required = False
        self.fields["name"].help_text = _(
            "Kosongkan untuk memakai nama baku, mis. «IID 2026 — %(region)s»."
        ) % {"region": region.name}
        self.region = region

    def clean(self):
        cleaned_data = super().clean()
        catalogue = cleaned_data.get("catalogue")
        if catalogue is not None and not cleaned_data.get("name"):
            cleaned_data["name"] = f"IID {catalogue.year} — {self.region.name}"
        return cleaned_data


class CycleUpdateForm(ScheduleFields):
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        required=False,
        max_length=500,
        help_text=_("Tercatat di riwayat siklus, mis. «surat edaran BSKDN memundurkan batas pelaporan»."),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": _("Versi siklus tidak terkirim: muat ulang halaman lalu simpan lagi.")},
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(
            name=cycle.name,
            version=cycle.version,
            **{name: getattr(cycle, name) for name in SCHEDULE_FIELDS},
        )


class TransitionForm(forms.Form):
    """Moving a cycle to the next stage, or back one with a reason: the confirmation page's form."""

    to_state = forms.ChoiceField(label=_("Pindah ke tahap"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila siklus dimundurkan; tercatat di riwayat siklus."),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": _("Versi siklus tidak terkirim: muat ulang halaman lalu ulangi.")},
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["to_state"].choices = [(state.value, state.label) for state in transition_targets(cycle)]
        self.fields["to_state"].error_messages["invalid_choice"] = _(
            "Siklus pada tahap %(stage)s hanya dapat dipindahkan ke tahap sesudahnya atau sebelumnya."
        ) % {"stage": cycle.get_state_display()}
        self.initial.setdefault("version", cycle.version)

    def clean(self):
        cleaned_data = super().clean()
        to_state, note = cleaned_data.get("to_state"), cleaned_data.get("note", "")
        if to_state:
            refusal = transition_refusal(self.cycle, to_state, note)
            if refusal:
                # A move back without its reason: the message belongs beside the reason's field.
                missing_reason = transition_goes_back(self.cycle, to_state) and not note.strip()
                self.add_error("note" if missing_reason else None, refusal)
        return cleaned_data

    @property
    def target(self):
        value = self.data.get(self.add_prefix("to_state")) or self.initial.get("to_state")
        return CycleState(value) if value in dict(self.fields["to_state"].choices) else None


class ExtensionForm(forms.Form):
    """One OPD's later deadline, with its reason."""

    opd = forms.ModelChoiceField(
        label=_("OPD"),
        queryset=None,
        error_messages={"invalid_choice": _("Pilih OPD dari wilayah siklus ini.")},
    )
    kind = forms.ChoiceField(label=_("Batas yang diperpanjang"), choices=DeadlineKind.choices)
    closes_on = forms.DateField(label=_("Diperpanjang sampai"), widget=DateInput())
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan perpanjangan.")},
    )

    def __init__(self, *args, cycle, opds, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["opd"].queryset = opds

    def clean(self):
        cleaned_data = super().clean()
        kind, closes_on = cleaned_data.get("kind"), cleaned_data.get("closes_on")
        if kind and closes_on:
            problem = extension_problems(cycle=self.cycle, kind=kind, closes_on=closes_on)
            if problem:
                self.add_error("closes_on", problem)
        return cleaned_data

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovasi.standards.models import Cycle, Indicator
from submissions.models import Claim, Innovation, StoredUpload

from ..enums import Verdict


class Assignment(models.Model):
    """Which verifikator verifies an innovation. Reassigning changes the verifikator and keeps every
    verdict already given (verdicts belong to the claims, not to the assignment)."""

    innovation = models.OneToOneField(Innovation, on_delete=models.CASCADE, related_name="assignment")
    verifikator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("verifikator"),
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("ditugaskan pada"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penugasan verifikasi")
        verbose_name_plural = _("penugasan verifikasi")

    def __str__(self):
        return f"{self.innovation} → {self.verifikator}"


class VerdictStates:
    """What a verdict says, for templates (also on its history records)."""

    @property
    def is_judged(self):
        return self.verdict != Verdict.PENDING

    @property
    def is_accepted(self):
        return self.verdict == Verdict.SESUAI


class Verification(VerdictStates, models.Model):
    """The verifier's verdict on one claim. ``level`` is the level accepted (≤ the claimed level) when
    the verdict is ``sesuai``; a reason is required otherwise. ``opd_note`` is what the OPD should fix.

    ``version`` guards against two verifiers overwriting each other; every change is kept in history.
    """

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="verification")
    verdict = models.CharField(_("putusan"), max_length=20, choices=Verdict.choices, default=Verdict.PENDING)
    level = models.PositiveSmallIntegerField(_("tingkat diterima"), default=0)
    reason = models.TextField(_("alasan"), blank=True)
    opd_note = models.TextField(_("catatan untuk OPD"), blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(bases=[VerdictStates, models.Model])

    class Meta:
        verbose_name = _("verifikasi indikator")
        verbose_name_plural = _("verifikasi indikator")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=3), name="verification_level_0_to_3"),
            models.CheckConstraint(
                condition=~Q(verdict=Verdict.SESUAI) | Q(level__gte=1), name="verification_sesuai_has_a_level"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=[Verdict.PENDING, Verdict.SESUAI]) | ~Q(reason=""),
                name="verification_rejection_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.claim} · {self.get_verdict_display()}"


class SpdEntry(models.Model):
    """One region-level (SPD) row of a cycle, filled by the admin with a level and evidence.

    It counts in the claimed index as soon as it has a level and evidence, and in the verified index
    once someone other than its author (a verifikator or a second admin) has accepted it. Any change
    of level or evidence withdraws the acceptance.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="spd_entries")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("tingkat"), default=0)
    note = models.TextField(_("catatan"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data SPD")
        verbose_name_plural = _("data SPD")
        ordering = ["indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "indicator"], name="spd_entry_one_per_cycle_indicator"),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=3), name="spd_entry_level_0_to_3"),
            models.CheckConstraint(
                condition=Q(accepted_by__isnull=True) | ~Q(accepted_by=models.F("entered_by")),
                name="spd_entry_four_eyes",
            ),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.indicator.code}"

    @property
    def region_id(self):
        return self.cycle.region_id


class SpdEvidence(StoredUpload):
    """One piece of evidence of a region-level (SPD) row."""

    upload_folder = "spd"

    entry = models.ForeignKey(SpdEntry, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("jenis"), max_length=10)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bukti SPD")
        verbose_name_plural = _("bukti SPD")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def region_id(self):
        return self.entry.cycle.region_id

from django.db import models
from django.utils.translation import gettext_lazy as _

from innovasi.standards.models import Cycle

from ..enums import SnapshotKind


class IndexSnapshot(models.Model):
    """The engine's whole result for a cycle at one moment, claimed or verified.

    ``inputs_hash`` is the SHA-256 of the engine inputs (rules included): equal hashes mean equal
    results, so a recompute whose inputs did not change writes nothing. ``result`` holds the region's
    figures, each innovation's kematangan and eligibility, the OPD contributions and the next actions.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(_("jenis"), max_length=10, choices=SnapshotKind.choices)
    computed_at = models.DateTimeField(_("dihitung pada"))
    catalogue_code = models.CharField(_("katalog"), max_length=40)
    engine_version = models.CharField(_("versi mesin"), max_length=20)
    inputs_hash = models.CharField(_("sidik masukan"), max_length=64)
    inputs = models.JSONField(_("masukan"))
    result = models.JSONField(_("hasil"))
    iid = models.DecimalField(_("IID"), max_digits=6, decimal_places=2)
    category = models.CharField(_("kategori"), max_length=60)

    class Meta:
        verbose_name = _("potret indeks")
        verbose_name_plural = _("potret indeks")
        get_latest_by = "computed_at"
        indexes = [
            # Every page reads the newest snapshot of a cycle and kind; history pages walk them in order.
            models.Index(fields=["cycle", "kind", "-computed_at"], name="snapshot_newest"),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.get_kind_display()} · {self.computed_at:%Y-%m-%d %H:%M}"


class CycleScoreState(models.Model):
    """Bookkeeping of the recompute of a cycle, in the database so that it survives Redis being down.

    A change sets ``changed_at``; a task is enqueued unless one is already waiting (``enqueued_at`` after
    the last ``started_at``); a run sets ``started_at`` first and ``computed_at`` (= its start) when done.
    A recompute is pending while ``changed_at`` is later than ``computed_at``.
    """

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, primary_key=True, related_name="score_state"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status perhitungan siklus")
        verbose_name_plural = _("status perhitungan siklus")

    def __str__(self):
        return str(self.cycle)

    @property
    def is_pending(self):
        return self.changed_at is not None and (
            self.computed_at is None or self.changed_at > self.computed_at
        )

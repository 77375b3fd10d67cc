from decimal import Decimal

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

    # Not a column: selectors.index.snapshot_history sets it on the rows it returns (the IID change from the
    # snapshot before, None for the first).
    delta: Decimal | None

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

    @property
    def region_id(self):
        return self.cycle.region_id


class CycleScoreState(models.Model):
    """The database's record of a cycle's pending recompute: the truth that survives Redis, a killed
    worker and lost tasks.

    Every change that may move a number adds one to ``changes`` in the transaction that makes it, so the
    count commits with the change or not at all. A recompute reads ``changes`` (under the cycle's lock)
    before it reads the data and records the value in ``computed_changes`` when it has written: the
    cycle is pending while ``changes`` is greater. A change committed after the recompute read the count
    is therefore never missed, however the two interleave.

    ``enqueued_at`` / ``started_at`` only coalesce the tasks sent after each change (none is sent while
    one is waiting to start); a lost task is made good by the sweep (``recompute_pending``).
    ``changed_at`` and ``computed_at`` are the moments, for people and for the dashboard's cache key.
    """

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, primary_key=True, related_name="score_state"
    )
    changes = models.PositiveBigIntegerField(default=0)
    computed_changes = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status perhitungan siklus")
        verbose_name_plural = _("status perhitungan siklus")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(computed_changes__lte=models.F("changes")),
                name="score_state_computes_only_recorded_changes",
            )
        ]

    def __str__(self):
        return str(self.cycle)

    @property
    def is_pending(self):
        return self.changes > self.computed_changes

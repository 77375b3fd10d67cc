from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    SESUAI = "sesuai", _("Sesuai")
    TIDAK_SESUAI = "tidak_sesuai", _("Tidak sesuai")
    TIDAK_DAPAT_DIUKUR = "tidak_dapat_diukur", _("Tidak dapat diukur")


class SnapshotKind(models.TextChoices):
    CLAIMED = "claimed", _("Klaim")
    VERIFIED = "verified", _("Terverifikasi")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Rata-rata")
    MEDIAN = "median", _("Median")
    TRIMMED_MEAN = "trimmed_mean", _("Rata-rata tanpa nilai tertinggi dan terendah")


class TieBreak(models.TextChoices):
    """The keys of ``scoring.awards.TIE_BREAKS``."""

    KEMATANGAN = "kematangan", _("Kematangan terverifikasi lebih tinggi, lalu pengajuan lebih awal")
    PENGAJUAN = "pengajuan", _("Pengajuan lebih awal, lalu kematangan terverifikasi lebih tinggi")
    KESEPAKATAN = (
        "kesepakatan",
        _(
            "Simpangan antarjuri lebih kecil, lalu kematangan terverifikasi lebih tinggi, lalu pengajuan lebih awal"
        ),
    )


class ExclusionReason(models.TextChoices):
    OWN_OPD = "own_opd", _("Nominasi dari OPD juri sendiri")
    DECLARED = "declared", _("Konflik kepentingan yang dinyatakan juri")
    DECLARED_REGION = "declared_region", _("Entri dari kabupaten/kota yang dinyatakan juri berkonflik")


class ConflictChange(models.TextChoices):
    DECLARED = "declared", _("Dinyatakan juri")
    CHANGED_BY_ADMIN = "changed_by_admin", _("Diubah admin")


class AwardPlace(models.TextChoices):
    WINNER = "winner", _("Juara")
    HONOURABLE = "honourable", _("Harapan")
    NONE = "none", _("—")

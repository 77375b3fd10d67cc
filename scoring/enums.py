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

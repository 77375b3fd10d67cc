from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorGroup(models.TextChoices):
    SPD = "spd", _("SPD (Satuan Pemerintah Daerah)")
    SID = "sid", _("SID (Satuan Inovasi Daerah)")


class UrusanGroup(models.TextChoices):
    WAJIB_YANDAS = "wajib_yandas", _("Wajib pelayanan dasar")
    WAJIB_NON_YANDAS = "wajib_non_yandas", _("Wajib non pelayanan dasar")
    PILIHAN = "pilihan", _("Pilihan")
    PENUNJANG = "penunjang", _("Penunjang")


class CycleState(models.TextChoices):
    """The stage a cycle is in, in order; the admin moves it one stage at a time (``cycle_transition``).

    The values predate the stages' names (``open`` is pengisian) and stay: they are stored, and other apps
    filter on them."""

    DRAFT = "draft", _("Persiapan")
    OPEN = "open", _("Pengisian")
    VERIFICATION = "verification", _("Verifikasi")
    REVISION = "revision", _("Perbaikan")
    FINAL = "final", _("Final")


# The stages in their order; a transition moves to the next one, or back to the one before.
CYCLE_STAGES = tuple(CycleState)
# The stages in which innovations are filed, verified and recomputed: neither prepared nor closed.
RUNNING_CYCLE_STATES = (CycleState.OPEN, CycleState.VERIFICATION, CycleState.REVISION)


class DeadlineKind(models.TextChoices):
    """The deadlines an OPD is held to, and that the admin may extend for one OPD."""

    FILING = "filing", _("Batas pengisian")
    REVISION = "revision", _("Batas perbaikan")


class EvidenceKind(models.TextChoices):
    PDF = "pdf", "PDF"
    JPG = "jpg", "JPG"
    PNG = "png", "PNG"
    MP4 = "mp4", "MP4"
    LINK = "link", _("Tautan")

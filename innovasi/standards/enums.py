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
    DRAFT = "draft", _("Draf")
    OPEN = "open", _("Dibuka")
    VERIFICATION = "verification", _("Verifikasi")
    FINAL = "final", _("Final")


class EvidenceKind(models.TextChoices):
    PDF = "pdf", "PDF"
    JPG = "jpg", "JPG"
    PNG = "png", "PNG"
    MP4 = "mp4", "MP4"
    LINK = "link", _("Tautan")

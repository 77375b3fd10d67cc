from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class OpdKind(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    SEKRETARIAT = "sekretariat", _("Sekretariat/Bagian")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan/Desa")
    RSUD = "rsud", _("RSUD")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    SEKOLAH = "sekolah", _("Sekolah")
    LAINNYA = "lainnya", _("Lainnya")


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator OPD")
    VERIFIKATOR = "verifikator", _("Verifikator")
    ADMIN = "admin", _("Admin Bappeda")
    JURI = "juri", _("Juri")
    PIMPINAN = "pimpinan", _("Pimpinan")

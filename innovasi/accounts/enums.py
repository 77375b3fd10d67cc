from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    """Regions nest: ``nasional`` ⊃ ``provinsi`` ⊃ ``kabupaten``/``kota`` (``services.region``)."""

    NASIONAL = "nasional", _("Nasional")
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


# The kinds a region's parent may be, by the region's kind (no entry: it has no parent).
PARENT_KINDS = {
    RegionKind.PROVINSI: (RegionKind.NASIONAL,),
    RegionKind.KABUPATEN: (RegionKind.PROVINSI,),
    RegionKind.KOTA: (RegionKind.PROVINSI,),
}
# The regions that have regions below them: their admin and pimpinan read those (the ranking).
OVERSEEING_KINDS = (RegionKind.NASIONAL, RegionKind.PROVINSI)


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
    KEPALA_OPD = "kepala_opd", _("Kepala OPD")
    VERIFIKATOR = "verifikator", _("Verifikator")
    ADMIN = "admin", _("Admin Bappeda")
    JURI = "juri", _("Juri")
    PIMPINAN = "pimpinan", _("Pimpinan")


# The roles of people who work for one OPD: their account names it.
OPD_ROLES = (Role.OPERATOR, Role.KEPALA_OPD)


class DateStyle(models.TextChoices):
    """How the documents write a date (always in Indonesian: they leave the building)."""

    LONG = "panjang", _("Panjang: 5 Desember 2026")
    LONG_PADDED = "panjang_dua_angka", _("Panjang, tanggal dua angka: 05 Desember 2026")
    NUMERIC = "angka", _("Angka: 05-12-2026")
    NUMERIC_SLASH = "angka_garis_miring", _("Angka dengan garis miring: 05/12/2026")


# The date_format string of each style (Django's date format characters).
DATE_FORMATS = {
    DateStyle.LONG: "j F Y",
    DateStyle.LONG_PADDED: "d F Y",
    DateStyle.NUMERIC: "d-m-Y",
    DateStyle.NUMERIC_SLASH: "d/m/Y",
}

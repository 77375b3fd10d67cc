from django.db import models
from django.utils.translation import gettext_lazy as _


class InnovationState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    # Submitted by the operator where the region asks for the OPD head's endorsement: with the head.
    MENUNGGU_PENGESAHAN = "menunggu_pengesahan", _("Menunggu pengesahan kepala OPD")
    DIAJUKAN = "diajukan", _("Diajukan")
    REVISI = "revisi", _("Revisi")
    TERVERIFIKASI = "terverifikasi", _("Terverifikasi")


class CommentKind(models.TextChoices):
    """What a message in a row's thread is: the verifier's note at a return, or the OPD's answer to it."""

    RETURN_NOTE = "catatan", _("Catatan verifikator")
    ANSWER = "jawaban", _("Jawaban OPD")


# The states in which the OPD may still change its innovation.
EDITABLE_STATES = (InnovationState.DRAFT, InnovationState.REVISI)
# The states in which the innovation has not reached Bappeda (a draft, or waiting for the OPD head's
# endorsement): only its OPD sees it.
OPD_ONLY_STATES = (InnovationState.DRAFT, InnovationState.MENUNGGU_PENGESAHAN)


class Tahapan(models.TextChoices):
    INISIATIF = "inisiatif", _("Inisiatif")
    UJI_COBA = "uji_coba", _("Uji coba")
    PENERAPAN = "penerapan", _("Penerapan")


class Inisiator(models.TextChoices):
    KEPALA_DAERAH = "kepala_daerah", _("Kepala Daerah")
    ANGGOTA_DPRD = "anggota_dprd", _("Anggota DPRD")
    OPD = "opd", _("OPD")
    ASN = "asn", _("ASN")
    MASYARAKAT = "masyarakat", _("Masyarakat")


class Jenis(models.TextChoices):
    DIGITAL = "digital", _("Digital")
    NON_DIGITAL = "non_digital", _("Non digital")


class Bentuk(models.TextChoices):
    TATA_KELOLA = "tata_kelola", _("Inovasi tata kelola pemerintahan daerah")
    PELAYANAN_PUBLIK = "pelayanan_publik", _("Inovasi pelayanan publik")
    LAINNYA = "lainnya", _("Inovasi daerah lainnya sesuai urusan")


class Tematik(models.TextChoices):
    DIGITALISASI = "digitalisasi_layanan", _("Digitalisasi layanan pemerintahan")
    KEMISKINAN = "penanggulangan_kemiskinan", _("Penanggulangan kemiskinan")
    INVESTASI = "kemudahan_investasi", _("Kemudahan investasi")
    PRIORITAS_PRESIDEN = "prioritas_presiden", _("Prioritas aktual presiden")
    NON_TEMATIK = "non_tematik", _("Non tematik")


class DocumentKind(models.TextChoices):
    ANGGARAN = "anggaran", _("Anggaran")
    PROFIL_BISNIS = "profil_bisnis", _("Profil bisnis")
    HAKI = "haki", _("Dokumen HAKI")
    PENGHARGAAN = "penghargaan", _("Penghargaan")

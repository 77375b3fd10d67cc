from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    INNOVATION_PDF = "innovation_pdf", _("Laporan Inovasi Daerah (PDF)")
    VERIFICATION_RECORD_PDF = "verification_record_pdf", _("Berita acara verifikasi (PDF)")
    CYCLE_PDF = "cycle_pdf", _("Laporan Indeks Inovasi Daerah (PDF)")
    BRIEF_PDF = "brief_pdf", _("Ringkasan satu halaman untuk pimpinan (PDF)")
    CERTIFICATES_PDF = "certificates_pdf", _("Piagam penghargaan (PDF)")
    CYCLE_XLSX = "cycle_xlsx", _("Rekap inovasi (Excel)")
    AWARD_PDF = "award_pdf", _("Laporan penghargaan (PDF)")
    AWARD_CERTIFICATES_PDF = "award_certificates_pdf", _("Piagam para juara (PDF)")
    CERTIFICATE_PREVIEW_PDF = "certificate_preview_pdf", _("Pratinjau piagam (PDF)")
    NATIONAL_PACKAGE = "national_package", _("Paket unggah aplikasi IID nasional (ZIP)")
    WORKBOOK_XLSX = "workbook_xlsx", _("Buku kerja siklus (Excel)")
    WORKBOOK_ZIP = "workbook_zip", _("Buku kerja siklus dengan berkas bukti (ZIP)")
    RANKING_PDF = "ranking_pdf", _("Peringkat wilayah (PDF)")
    RANKING_XLSX = "ranking_xlsx", _("Peringkat wilayah (Excel)")


class ReportState(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class WorkbookImportState(models.TextChoices):
    """Where an uploaded workbook is: checked by a worker, then waiting for its uploader's confirmation
    (``ready``) or refused with its problems, then imported by a worker (all of it, or nothing)."""

    CHECKING = "checking", _("Sedang diperiksa")
    REFUSED = "refused", _("Ditolak")
    READY = "ready", _("Menunggu konfirmasi")
    IMPORTING = "importing", _("Sedang diimpor")
    DONE = "done", _("Selesai diimpor")
    FAILED = "failed", _("Gagal")

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovasi.accounts.models import Opd, Region
from innovasi.standards.models import Cycle
from submissions.models import Innovation

from .enums import ReportKind, ReportState, WorkbookImportState

CERTIFICATE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def certificate_code():
    """A short random code that resolves a certificate (about 50 bits: not guessable)."""
    return "-".join("".join(secrets.choice(CERTIFICATE_CODE_ALPHABET) for _ in range(5)) for _ in range(2))


def report_path(instance, filename):
    return f"laporan/{instance.pk}/{filename}"


class GeneratedReport(models.Model):
    """A document asked for in the portal and rendered by a worker: its state, progress and file.

    Rendering never happens in a request; a failure is recorded here with its message and can be retried.
    Files are removed by Celery beat after ``expires_at``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("jenis"), max_length=30, choices=ReportKind.choices)
    params = models.JSONField(_("parameter"), default=dict)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    state = models.CharField(
        _("status"), max_length=10, choices=ReportState.choices, default=ReportState.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan"), default=0)
    error = models.TextField(_("pesan kesalahan"), blank=True)
    file = models.FileField(_("berkas"), upload_to=report_path, blank=True, max_length=255)
    title = models.CharField(_("judul"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("diminta pada"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai dibuat pada"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kedaluwarsa pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_at_most_100")
        ]
        indexes = [
            # "My reports" lists a user's newest reports; beat finds the expired ones.
            models.Index(fields=["requested_by", "-created_at"], name="report_by_user"),
            models.Index(fields=["expires_at"], name="report_expiry"),
        ]

    def __str__(self):
        return self.title or self.get_kind_display()

    @property
    def is_pending(self):
        return self.state == ReportState.PENDING

    @property
    def is_done(self):
        return self.state == ReportState.DONE

    @property
    def is_failed(self):
        return self.state == ReportState.FAILED


def workbook_import_path(instance, filename):
    return f"impor-buku-kerja/{instance.pk}/{filename}"


class WorkbookImport(models.Model):
    """An uploaded workbook (and its ZIP of evidence) between its preview and its import: the files stay
    here, on the server, so that the confirmation imports exactly what was previewed and nothing is
    uploaded twice.

    A worker checks it (``problems``: every bad cell; ``summary``: what the import would do), its uploader
    confirms a clean one, and a worker imports it, checking it again in the import's transaction: all of
    it or nothing. ``opd`` is the OPD an operator's import is held to (None: the whole region, an admin's).
    The files are removed with the row after ``expires_at``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="workbook_imports")
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workbook_imports"
    )
    state = models.CharField(
        _("status"), max_length=10, choices=WorkbookImportState.choices, default=WorkbookImportState.CHECKING
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan"), default=0)
    workbook = models.FileField(_("buku kerja"), upload_to=workbook_import_path, max_length=255)
    workbook_name = models.CharField(_("nama buku kerja"), max_length=255)
    evidence = models.FileField(
        _("ZIP berkas bukti"), upload_to=workbook_import_path, blank=True, max_length=255
    )
    evidence_name = models.CharField(_("nama ZIP berkas bukti"), max_length=255, blank=True)
    language = models.CharField(_("bahasa"), max_length=10, default="id")
    problems = models.JSONField(_("masalah"), default=list, blank=True)
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    error = models.TextField(_("pesan kesalahan"), blank=True)
    created_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    checked_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    started_at = models.DateTimeField(_("mulai diimpor pada"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kedaluwarsa pada"))

    class Meta:
        verbose_name = _("impor buku kerja")
        verbose_name_plural = _("impor buku kerja")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="workbook_import_progress_at_most_100"
            )
        ]
        indexes = [
            # Beat finds the expired uploads and the checks or imports a lost worker left behind.
            models.Index(fields=["expires_at"], name="workbook_import_expiry"),
            models.Index(fields=["state", "created_at"], name="workbook_import_state"),
        ]

    def __str__(self):
        return self.workbook_name

    @property
    def is_busy(self):
        return self.state in (WorkbookImportState.CHECKING, WorkbookImportState.IMPORTING)

    @property
    def is_ready(self):
        return self.state == WorkbookImportState.READY


# Who a certificate is given to: an OPD, and its region when another region issues it.
HOLDER_LENGTH = 200


class Certificate(models.Model):
    """A piagam penghargaan: what it certifies, its number, the place and date, the logo and the signatory
    are fixed when it is issued (``services.certificates_issue``), and its code resolves it.

    The number comes from the region's pattern and running number (``CertificateSequence``): unique in the
    region, never reused. Certificates issued before numbering existed have none ("").
    """

    code = models.CharField(_("kode verifikasi"), max_length=11, unique=True, default=certificate_code)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(_("nomor piagam"), max_length=100, blank=True, default="")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="certificates")
    innovation = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="certificates")
    award = models.CharField(_("penghargaan"), max_length=300)
    holder_opd = models.CharField(_("pemegang (OPD)"), max_length=HOLDER_LENGTH)
    holder_innovation = models.CharField(_("inovasi"), max_length=255)
    year = models.PositiveSmallIntegerField(_("tahun"))
    signatory_name = models.CharField(_("nama penandatangan"), max_length=200)
    signatory_title = models.CharField(_("jabatan penandatangan"), max_length=200)
    signatory_nip = models.CharField(_("NIP penandatangan"), max_length=21, blank=True)
    region_name = models.CharField(_("wilayah"), max_length=200)
    heading = models.CharField(_("kop"), max_length=200, blank=True)
    place_date = models.CharField(_("tempat dan tanggal"), max_length=200, blank=True)
    # The region's logo file when it was issued (a new logo is a new file: this one stays).
    logo = models.FileField(_("logo"), max_length=255, blank=True)
    issued_at = models.DateTimeField(_("diterbitkan pada"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )
    source = models.CharField(_("dasar"), max_length=60, default="verified")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("piagam")
        verbose_name_plural = _("piagam")
        ordering = ["holder_opd", "holder_innovation"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "award", "source"], name="certificate_once_per_award"
            ),
            models.UniqueConstraint(
                fields=["region", "number"],
                condition=~models.Q(number=""),
                name="certificate_number_unique_per_region",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.holder_innovation}"


class CertificateSequence(models.Model):
    """The last running number a region gave its certificates, per year of issue when its pattern carries
    the year (``year`` 0 when it does not). Only ever goes up: a number once given is never given again,
    even when its certificate is gone. Written under a lock on the region's row
    (``services.certificates_issue``), so that two admins issuing at once take turns."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="certificate_sequence_per_region_year")
        ]

    def __str__(self):
        return f"{self.region_id}/{self.year}: {self.last}"

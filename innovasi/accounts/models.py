import uuid
from pathlib import PurePath

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import OPD_ROLES, DateStyle, OpdKind, RegionKind, Role
from .numbering import certificate_pattern_validate, nip_validate

DEFAULT_CERTIFICATE_PATTERN = "{nomor:3}/PIAGAM/{tahun}"
# What the settings page changes (the logo apart: it is a file), in the page's order.
REGION_SETTINGS_FIELDS = (
    "letterhead_government",
    "letterhead_office",
    "letterhead_address",
    "signing_place",
    "date_style",
    "signatory_name",
    "signatory_title",
    "signatory_nip",
    "report_signatory_name",
    "report_signatory_title",
    "report_signatory_nip",
    "certificate_number_pattern",
    "opd_endorsement",
)


def below(region_id):
    """The regions below region ``region_id``, as a filter on Region: those it is the parent of, and their
    children (the tree is at most nasional ⊃ provinsi ⊃ kabupaten/kota). The rule
    ``permissions.oversees`` and the selectors use this one definition."""
    return Q(parent_id=region_id) | Q(parent__parent_id=region_id)


def region_logo_path(instance, filename):
    """A new name for every logo uploaded: certificates issued earlier keep pointing at the logo they
    were printed with (``reports.Certificate.logo``), so a replaced logo's file is never overwritten."""
    return f"wilayah/{instance.pk}/logo-{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Region(models.Model):
    """A province, regency or city whose innovations the portal scores, with the settings its documents
    print: the letterhead (logo, lines, address), the place and date, the two signatories (the head of
    the region signs certificates, the head of Bappeda the reports) and the certificate numbering.

    Regions nest: a kabupaten or kota may lie in a provinsi, a provinsi in the nasional region, which lies
    in none (``parent``). Every region is a pemda of its own (OPDs, cycles, IID); the admin and pimpinan
    of a region also read the regions below it. ``services.region.region_place`` keeps the tree
    consistent (the kinds, no cycle); the constraints below hold what one row can.

    Every change of the settings is kept in the history (``settings_version`` only counts the saves, so
    that a form opened before someone else saved is refused rather than overwriting their change).
    """

    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=RegionKind.choices)
    code = models.CharField(_("kode wilayah"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("wilayah induk"),
    )
    logo = models.FileField(_("logo"), upload_to=region_logo_path, blank=True, max_length=255)
    letterhead_government = models.CharField(
        _("kop: baris pemerintah daerah"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya PEMERINTAH KABUPATEN MOJOKERTO."),
    )
    letterhead_office = models.CharField(
        _("kop: baris perangkat daerah"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya BADAN PERENCANAAN PEMBANGUNAN DAERAH."),
    )
    letterhead_address = models.CharField(
        _("kop: alamat"),
        max_length=300,
        blank=True,
        help_text=_("Alamat, telepon, surel dan laman, dalam satu baris."),
    )
    signing_place = models.CharField(
        _("tempat penandatanganan"),
        max_length=100,
        blank=True,
        help_text=_("Ditulis sebelum tanggal di atas tanda tangan, misalnya Mojokerto."),
    )
    date_style = models.CharField(
        _("format tanggal"), max_length=30, choices=DateStyle.choices, default=DateStyle.LONG
    )
    signatory_name = models.CharField(_("nama kepala daerah"), max_length=200, blank=True)
    signatory_title = models.CharField(
        _("jabatan kepala daerah"), max_length=200, blank=True, help_text=_("Misalnya Bupati Mojokerto.")
    )
    signatory_nip = models.CharField(
        _("NIP kepala daerah"),
        max_length=21,
        blank=True,
        validators=[nip_validate],
        help_text=_("Kosongkan bila tidak ada (kepala daerah yang dipilih tidak ber-NIP)."),
    )
    report_signatory_name = models.CharField(_("nama kepala Bappeda"), max_length=200, blank=True)
    report_signatory_title = models.CharField(
        _("jabatan kepala Bappeda"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya Kepala Badan Perencanaan Pembangunan Daerah."),
    )
    report_signatory_nip = models.CharField(
        _("NIP kepala Bappeda"), max_length=21, blank=True, validators=[nip_validate]
    )
    certificate_number_pattern = models.CharField(
        _("pola nomor piagam"),
        max_length=80,
        default=DEFAULT_CERTIFICATE_PATTERN,
        validators=[certificate_pattern_validate],
    )
    # The filing workflow: with it, what an OPD's operator submits goes first to the head of the OPD
    # (a ``kepala_opd`` account of that OPD), who endorses it or sends it back, and only then to Bappeda.
    opd_endorsement = models.BooleanField(
        _("pengesahan kepala OPD"),
        default=False,
        help_text=_(
            "Inovasi yang diajukan operator menunggu pengesahan kepala OPD-nya (akun berperan Kepala OPD) "
            "sebelum sampai ke Bappeda. Kepala OPD mengesahkannya atau mengembalikannya dengan catatan."
        ),
    )
    settings_version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["settings_version"])

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["name"]
        constraints = [
            # What one row can hold of the tree; the parent's kind is the service's (another row).
            models.CheckConstraint(
                condition=~Q(kind=RegionKind.NASIONAL) | Q(parent__isnull=True),
                name="region_nasional_has_no_parent",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="region_not_its_own_parent",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def can_sign_certificates(self):
        return bool(self.signatory_name.strip() and self.signatory_title.strip())

    @property
    def region_id(self):
        """Lets the region predicates treat a region like any object that belongs to one."""
        return self.pk


class Opd(models.Model):
    """A regional government work unit (Organisasi Perangkat Daerah) that files innovations."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="opds", verbose_name=_("wilayah")
    )
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=OpdKind.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="opd_unique_name_per_region"),
            # An import finds an OPD by its short name (any case): one OPD per short name in a region.
            models.UniqueConstraint(
                "region",
                Lower("short_name"),
                condition=~Q(short_name=""),
                name="opd_unique_short_name_per_region",
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class User(AbstractUser):
    """A person using the portal: one region, one role and, for an operator or the head of an OPD, one
    OPD."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("wilayah"),
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, blank=True)
    opd = models.ForeignKey(
        Opd, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("OPD")
    )
    # Where someone from outside the government works: a juror's university or institute, printed beside
    # their name on the jury lists and the award report.
    affiliation = models.CharField(_("afiliasi"), max_length=200, blank=True)
    # Who changed a user's role, OPD or active flag, and when. Not the password hash (a copy of it is a
    # copy too many) nor the moment of the last log-in (see save()).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=OPD_ROLES) | Q(opd__isnull=False), name="user_opd_role_has_opd"
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(region__isnull=False), name="user_with_role_has_region"
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # A log-in saves only last_login (django.contrib.auth's update_last_login), which the history does
        # not keep: without this every log-in would add a record that changes nothing.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) == {"last_login"}:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.role == Role.OPERATOR and self.opd_id is None:
            raise ValidationError({"opd": _("Operator harus terdaftar pada satu OPD.")})
        if self.role == Role.KEPALA_OPD and self.opd_id is None:
            raise ValidationError({"opd": _("Kepala OPD harus terdaftar pada satu OPD.")})
        if self.role and self.region_id is None:
            raise ValidationError({"region": _("Pengguna dengan peran harus terdaftar pada satu wilayah.")})
        if self.opd_id and self.region_id and self.opd.region_id != self.region_id:
            raise ValidationError({"opd": _("OPD harus berada di wilayah pengguna.")})


class Notification(models.Model):
    """A message to one user, shown in the portal and, when asked, sent by e-mail.

    ``key`` makes delivery idempotent: the same event never notifies the same user twice, however
    often the task that announces it runs. ``emailed_at`` records that the e-mail left.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    title = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat surel pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user_and_event")
        ]
        indexes = [
            # The navbar counts a user's unread notifications on every page.
            models.Index(fields=["user", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return self.title


class PasswordResetRequest(models.Model):
    """One request for a password-reset mail, kept while the throttle counts it (``accounts.services``).

    In the database, not the cache, so that the throttle holds with Redis down and across web processes.
    The address and the client are keyed hashes: the table tells how often, never who or which account.
    """

    address_hash = models.CharField(max_length=64)
    client_hash = models.CharField(max_length=64)
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [
            # password_reset_request counts one address's and one client's requests within the window.
            models.Index(fields=["address_hash", "requested_at"], name="reset_request_address"),
            models.Index(fields=["client_hash", "requested_at"], name="reset_request_client"),
            # password_reset_mail prunes the requests older than the window.
            models.Index(fields=["requested_at"], name="reset_request_time"),
        ]

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M:%S}"

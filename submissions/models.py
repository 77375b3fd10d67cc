import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovasi.accounts.models import Opd
from innovasi.standards.enums import EvidenceKind
from innovasi.standards.models import Cycle, Indicator, Urusan

from .enums import (
    EDITABLE_STATES,
    Bentuk,
    CommentKind,
    DocumentKind,
    Inisiator,
    InnovationState,
    Jenis,
    Tahapan,
    Tematik,
)
from .files import INLINE_KINDS

RICH_TEXT_FIELDS = ("rancang_bangun", "tujuan", "manfaat", "hasil")
# The single-valued fields of the national profile form (IID.md §2) the OPD fills, in the form's order;
# the urusan lain (many-to-many) and the documents are kept apart.
PROFILE_FIELDS = (
    "name",
    "tahapan",
    "inisiator",
    "inisiator_name",
    "jenis",
    "bentuk",
    "tematik",
    "urusan_utama",
    *RICH_TEXT_FIELDS,
    "waktu_uji_coba",
    "waktu_penerapan",
    "waktu_pengembangan",
    "video_url",
)


# The alphabet of the keys the portal gives its innovations: no 0/O, 1/I (read aloud, typed by hand).
KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
KEY_MAX_LENGTH = 40


def innovation_key():
    """A new innovation's key: "INO-" and six characters (30 bits: unique within a cycle in practice; the
    constraint ``innovation_unique_key_per_cycle`` holds it)."""
    return f"INO-{get_random_string(6, KEY_ALPHABET)}"


def unguessable_path(instance, filename):
    """Store every upload under a random name: the user's file name is kept only in the database."""
    return f"{instance.upload_folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class StoredUpload(models.Model):
    """What every kind of uploaded file keeps (evidence, supporting documents, SPD evidence): the file
    under a random name in its kind's ``upload_folder``, the name its uploader gave it, its size, who
    uploaded it and when. The content is checked before it is stored (``innovasi.uploads.upload_check``)."""

    upload_folder = ""

    file = models.FileField(_("berkas"), upload_to=unguessable_path, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    class Meta:
        abstract = True


class Innovation(models.Model):
    """One innovation of an OPD in a cycle, with every field of the national profile (IID.md §2).

    ``version`` grows with every save of the profile: a save that carries an older version is refused,
    so that two people editing at once never overwrite each other. The ``score_*`` fields are a copy of
    the newest index snapshot, written only by the scoring app, for the lists.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="innovations", verbose_name=_("siklus")
    )
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="innovations", verbose_name=_("OPD"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuat oleh")
    )
    state = models.CharField(
        _("status"), max_length=20, choices=InnovationState.choices, default=InnovationState.DRAFT
    )
    version = models.PositiveIntegerField(_("versi"), default=1)
    # What a workbook names the innovation by (reports.workbook): importing a workbook again finds it by
    # its key and updates it, never duplicates it. Given by the portal, or taken from the workbook that
    # brought the innovation in; unique in its cycle, whatever the case.
    key = models.CharField(_("kode inovasi"), max_length=KEY_MAX_LENGTH, default=innovation_key)

    name = models.CharField(_("nama inovasi"), max_length=255)
    tahapan = models.CharField(_("tahapan"), max_length=20, choices=Tahapan.choices, blank=True)
    inisiator = models.CharField(_("inisiator"), max_length=20, choices=Inisiator.choices, blank=True)
    inisiator_name = models.CharField(_("nama inisiator"), max_length=200, blank=True)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices, blank=True)
    bentuk = models.CharField(_("bentuk"), max_length=20, choices=Bentuk.choices, blank=True)
    tematik = models.CharField(_("tematik"), max_length=30, choices=Tematik.choices, blank=True)
    urusan_utama = models.ForeignKey(
        Urusan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("urusan utama"),
    )
    urusan_lain = models.ManyToManyField(
        Urusan, blank=True, related_name="+", verbose_name=_("urusan lain yang beririsan")
    )
    rancang_bangun = models.TextField(_("rancang bangun dan pokok perubahan"), blank=True)
    rancang_bangun_words = models.PositiveIntegerField(_("jumlah kata rancang bangun"), default=0)
    tujuan = models.TextField(_("tujuan"), blank=True)
    manfaat = models.TextField(_("manfaat"), blank=True)
    hasil = models.TextField(_("hasil inovasi"), blank=True)
    waktu_uji_coba = models.DateField(_("waktu uji coba"), null=True, blank=True)
    waktu_penerapan = models.DateField(_("waktu penerapan"), null=True, blank=True)
    waktu_pengembangan = models.DateField(_("waktu pengembangan"), null=True, blank=True)
    video_url = models.URLField(_("tautan video"), max_length=500, blank=True)

    is_published = models.BooleanField(_("terbit di galeri"), default=False)
    published_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True)

    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("salinan dari"),
    )
    change_note = models.TextField(_("apa yang berubah"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    return_note = models.TextField(
        _("catatan pengembalian"),
        blank=True,
        help_text=_(
            "Catatan umum verifikator saat mengembalikan untuk revisi; dihapus saat diajukan kembali."
        ),
    )
    endorsement_note = models.TextField(
        _("catatan kepala OPD"),
        blank=True,
        help_text=_(
            "Catatan kepala OPD saat mengembalikan inovasi kepada operator; dihapus saat diajukan lagi."
        ),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    kematangan_claimed = models.DecimalField(
        _("kematangan klaim"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    kematangan_verified = models.DecimalField(
        _("kematangan terverifikasi"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    scored_at = models.DateTimeField(_("dihitung pada"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["kematangan_claimed", "kematangan_verified", "scored_at"])

    class Meta:
        verbose_name = _("inovasi")
        verbose_name_plural = _("inovasi")
        ordering = ["-updated_at"]
        indexes = [
            # The OPD home lists its innovations of a cycle; the dashboard counts them per OPD and state.
            models.Index(fields=["cycle", "opd", "state"], name="innovation_cycle_opd_state"),
            # The gallery's published_fingerprint (count and newest moments of the published ones), asked
            # on every view of a gallery page.
            models.Index(
                fields=["published_at", "updated_at", "scored_at"],
                condition=Q(is_published=True),
                name="innovation_published",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(state="terverifikasi"),
                name="innovation_published_only_verified",
            ),
            # A workbook's rows find their innovation by key (any case); the index serves that lookup too.
            models.UniqueConstraint("cycle", Lower("key"), name="innovation_unique_key_per_cycle"),
        ]

    def __str__(self):
        return self.name

    @property
    def region_id(self):
        return self.opd.region_id

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_draft(self):
        return self.state == InnovationState.DRAFT

    @property
    def is_returned(self):
        return self.state == InnovationState.REVISI

    @property
    def is_verified(self):
        return self.state == InnovationState.TERVERIFIKASI

    @property
    def is_awaiting_endorsement(self):
        return self.state == InnovationState.MENUNGGU_PENGESAHAN

    @property
    def has_reached_bappeda(self):
        """Whether it was ever at Bappeda: ``submitted_at`` is set when it gets there (with the OPD-head
        endorsement, when the head endorses it). A submission waiting for the head that has been at
        Bappeda before was returned by its verifier; sent back, it is returned (revisi) again."""
        return self.submitted_at is not None

    @property
    def is_in_verification(self):
        """Waiting for the OPD head, submitted or returned: its verified figures are still provisional."""
        return self.state in (
            InnovationState.MENUNGGU_PENGESAHAN,
            InnovationState.DIAJUKAN,
            InnovationState.REVISI,
        )


class Claim(models.Model):
    """The OPD's choice for one SID indicator of an innovation: a level (0 = none yet), a basis, a note."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="claims")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="claims", verbose_name=_("indikator")
    )
    level = models.PositiveSmallIntegerField(_("tingkat"), default=0)
    basis = models.CharField(_("dasar pengukuran"), max_length=1, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # Set at each return: the verifier wrote a note on this row (the row's thread holds it), and whether
    # the OPD has since marked the row fixed.
    needs_fix = models.BooleanField(_("perlu diperbaiki"), default=False)
    fixed = models.BooleanField(_("sudah diperbaiki"), default=False)
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("klaim indikator")
        verbose_name_plural = _("klaim indikator")
        ordering = ["indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "indicator"], name="claim_one_per_innovation_indicator"
            ),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=3), name="claim_level_0_to_3"),
        ]

    def __str__(self):
        return f"{self.innovation} · {self.indicator.code}"

    @property
    def basis_display(self):
        """The chosen measurement basis as users read it ("a · Jumlah penerima manfaat"); "" without one."""
        return self.indicator.basis_display(self.basis) if self.basis else ""


class ClaimComment(models.Model):
    """One message of a row's thread: the verifier's note when the innovation is returned, or the OPD's
    answer to it. Never changed or removed: the thread is the record of what was said."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("jenis"), max_length=10, choices=CommentKind.choices)
    body = models.TextField(_("isi"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("pesan baris")
        verbose_name_plural = _("pesan baris")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.claim} · {self.get_kind_display()}"

    @property
    def is_return_note(self):
        return self.kind == CommentKind.RETURN_NOTE


class Evidence(StoredUpload):
    """One piece of evidence of a claim: an uploaded file (sniffed, stored under a random name) or a link
    (then without file or name)."""

    upload_folder = "bukti"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("jenis"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("berkas"), upload_to=unguessable_path, blank=True, max_length=255)
    link = models.URLField(_("tautan"), max_length=500, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EvidenceKind.LINK) & ~Q(link="") & Q(file=""))
                | (~Q(kind=EvidenceKind.LINK) & Q(link="") & ~Q(file="")),
                name="evidence_is_a_file_or_a_link",
            )
        ]

    def __str__(self):
        return self.original_name or self.link

    @property
    def is_previewable(self):
        """A PDF or an image, shown in the verifier's preview pane."""
        return self.kind in INLINE_KINDS


class Document(StoredUpload):
    """An optional supporting document of the profile (anggaran, profil bisnis, HAKI, penghargaan): one PDF each."""

    upload_folder = "dokumen"

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dokumen pendukung")
        verbose_name_plural = _("dokumen pendukung")
        constraints = [models.UniqueConstraint(fields=["innovation", "kind"], name="document_one_per_kind")]

    def __str__(self):
        return self.original_name

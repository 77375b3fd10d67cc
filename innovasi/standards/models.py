import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovasi.accounts.models import Opd, Region

from .enums import CycleState, DeadlineKind, IndicatorGroup, UrusanGroup
from .scoring import row_score


class Catalogue(models.Model):
    """The indicators and rule parameters of one assessment year (``iid-2026``, ``iid-2023``, …).

    ``rules`` holds the catalogue file's validated ``rules:`` block as data (divisor floor, count score,
    bands, eligibility window, …): the scoring engine reads its parameters from here, never from code.
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("tahun penilaian"))
    name = models.CharField(_("nama"), max_length=200)
    source = models.TextField(_("sumber"), blank=True)
    confidence = models.TextField(_("tingkat keyakinan"), blank=True)
    assumptions = models.JSONField(_("asumsi"), default=list, blank=True)
    rules = models.JSONField(_("aturan"))
    # Drawn anew with every change of the catalogue, its indicators and options, or of an urusan (the
    # yandas affairs are in every catalogue's rules): what was computed under another revision is stale.
    # Random rather than counted, so that a change rolled back never shares its revision with a later one.
    revision = models.UUIDField(_("revisi"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("katalog indikator")
        verbose_name_plural = _("katalog indikator")
        ordering = ["-year", "code"]

    def __str__(self):
        return self.name

    @property
    def min_words(self):
        """The least words of a rancang bangun for an innovation to be eligible (the engine reads the same
        value through its Rules)."""
        return self.rules["eligibility"]["rancang_bangun_min_words"]


class Indicator(models.Model):
    catalogue = models.ForeignKey(
        Catalogue, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("katalog")
    )
    code = models.CharField(_("kode"), max_length=20)
    group = models.CharField(_("kelompok"), max_length=3, choices=IndicatorGroup.choices)
    position = models.PositiveSmallIntegerField(_("urutan"))
    variable = models.CharField(_("variabel"), max_length=200, blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=5, decimal_places=2)
    mandatory = models.BooleanField(_("wajib"), default=False)
    name_id = models.CharField(_("nama (Indonesia)"), max_length=300)
    name_en = models.CharField(_("nama (Inggris)"), max_length=300, blank=True)
    # The guidance on every row (the catalogue file's own wording, see its ``assumptions``): Indonesian and
    # English side by side, like the names; the properties below pick the page's language.
    description_id = models.TextField(_("keterangan (Indonesia)"), blank=True)
    description_en = models.TextField(_("keterangan (Inggris)"), blank=True)
    evidence_id = models.TextField(_("bukti yang diminta (Indonesia)"), blank=True)
    evidence_en = models.TextField(_("bukti yang diminta (Inggris)"), blank=True)
    examples_id = models.JSONField(_("contoh bukti yang sah (Indonesia)"), default=list, blank=True)
    examples_en = models.JSONField(_("contoh bukti yang sah (Inggris)"), default=list, blank=True)
    rejection_reasons_id = models.JSONField(
        _("alasan penolakan yang umum (Indonesia)"), default=list, blank=True
    )
    rejection_reasons_en = models.JSONField(
        _("alasan penolakan yang umum (Inggris)"), default=list, blank=True
    )
    # {"a": {"id": "Jumlah penerima manfaat", "en": "Number of beneficiaries"}, …}; empty without bases.
    basis_labels = models.JSONField(_("nama dasar pengukuran"), default=dict, blank=True)
    evidence_kinds = models.JSONField(_("jenis berkas bukti"), default=list)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["catalogue", "position"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="indicator_unique_code_per_catalogue"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.name_id}"

    @property
    def name(self):
        """The name in the language of the page (Indonesian unless English is chosen and given)."""
        return self.name_en if get_language() == "en" and self.name_en else self.name_id

    def _in_language(self, field):
        """``<field>_en`` on an English page, else ``<field>_id``; the other language when that one is empty
        (a catalogue loaded before the Indonesian texts existed still shows its English ones)."""
        english, indonesian = getattr(self, f"{field}_en"), getattr(self, f"{field}_id")
        return (english or indonesian) if get_language() == "en" else (indonesian or english)

    @property
    def description(self):
        """What the indicator measures, in the language of the page."""
        return self._in_language("description")

    @property
    def evidence(self):
        """What must be uploaded, in the language of the page."""
        return self._in_language("evidence")

    @property
    def examples(self):
        """What valid evidence looks like (a list of lines), in the language of the page."""
        return self._in_language("examples")

    @property
    def rejection_reasons(self):
        """Common reasons a verifier rejects the row (a list of lines), in the language of the page."""
        return self._in_language("rejection_reasons")

    def basis_label(self, basis):
        """The name of measurement basis ``basis`` ("a" → "Jumlah penerima manfaat") in the language of the
        page; "" for no basis or one the catalogue does not name."""
        labels = self.basis_labels.get(basis or "", {})
        return labels.get("en") if get_language() == "en" and labels.get("en") else labels.get("id", "")

    def basis_display(self, basis):
        """A basis as users read it: "a · Jumlah penerima manfaat" (the bare letter when it has no label)."""
        label = self.basis_label(basis)
        return f"{basis} · {label}" if label else basis

    @property
    def has_basis(self):
        """Indicator 33 (Kemanfaatan) asks for a measurement basis a–f before the level (the catalogue
        names each basis its options use: ``catalogue_parse`` refuses one that does not)."""
        return bool(self.basis_labels)

    @property
    def max_score(self):
        return row_score(self.weight, 3, True)


class Option(models.Model):
    """One parameter of an indicator: a level (1–3), for indicator 33 per basis, with its score."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="options")
    level = models.PositiveSmallIntegerField(_("tingkat"))
    basis = models.CharField(_("dasar pengukuran"), max_length=1, blank=True)
    label_id = models.CharField(_("parameter (Indonesia)"), max_length=300)
    label_en = models.CharField(_("parameter (Inggris)"), max_length=300, blank=True)
    score = models.DecimalField(_("skor"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameter")
        ordering = ["indicator", "basis", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "basis", "level"], name="option_unique_level_per_basis"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="option_level_1_to_3"),
            models.CheckConstraint(condition=Q(score__gte=0), name="option_score_not_negative"),
        ]

    def __str__(self):
        prefix = f"{self.basis}. " if self.basis else ""
        return f"{prefix}{self.level} — {self.label_id}"

    @property
    def label(self):
        """The parameter in the language of the page (Indonesian unless English is chosen and given)."""
        return self.label_en if get_language() == "en" and self.label_en else self.label_id


class Urusan(models.Model):
    """A government affair (urusan pemerintahan); six of them are the basic services (yandas)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    group = models.CharField(_("kelompok"), max_length=20, choices=UrusanGroup.choices)
    position = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("urusan")
        verbose_name_plural = _("urusan")
        ordering = ["position"]

    def __str__(self):
        return self.name

    @property
    def is_yandas(self):
        return self.group == UrusanGroup.WAJIB_YANDAS


# A cycle's dates in the order of its stages: each one after the one before (the constraints below).
SCHEDULE_FIELDS = ("opens_on", "filing_closes_on", "verification_closes_on", "revision_closes_on", "final_on")


class Cycle(models.Model):
    """One assessment cycle of a region on one catalogue, e.g. "IID 2026, Kabupaten Mojokerto".

    Its stages — persiapan, pengisian, verifikasi, perbaikan, final — have dates: filing opens on
    ``opens_on`` and closes after ``filing_closes_on``, verification runs to ``verification_closes_on``,
    returned innovations are resubmitted until ``revision_closes_on``, and the results are final on
    ``final_on``. ``state`` is the stage the admin has moved the cycle to (``services.cycle_transition``);
    the deadlines an OPD is held to are decided by ``selectors.deadline_window``, which also reads the
    OPD's extensions.
    """

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("wilayah")
    )
    catalogue = models.ForeignKey(
        Catalogue, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("katalog")
    )
    name = models.CharField(_("nama"), max_length=200)
    opens_on = models.DateField(_("pengisian dibuka"))
    filing_closes_on = models.DateField(_("batas pengisian"))
    verification_closes_on = models.DateField(_("batas verifikasi"))
    revision_closes_on = models.DateField(_("batas perbaikan"))
    final_on = models.DateField(_("tanggal final"))
    state = models.CharField(_("tahap"), max_length=20, choices=CycleState.choices, default=CycleState.DRAFT)
    # Raised by every change made in the portal, which refuses a form opened on an older version.
    version = models.PositiveIntegerField(_("versi"), default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("siklus penilaian")
        verbose_name_plural = _("siklus penilaian")
        ordering = ["region", "-catalogue__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "catalogue"], name="cycle_one_per_region_and_catalogue"
            ),
            # The old single closing date may have fallen on the opening day: kept valid.
            models.CheckConstraint(
                condition=Q(filing_closes_on__gte=F("opens_on")), name="cycle_filing_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(verification_closes_on__gt=F("filing_closes_on")),
                name="cycle_verification_closes_after_filing",
            ),
            models.CheckConstraint(
                condition=Q(revision_closes_on__gt=F("verification_closes_on")),
                name="cycle_revision_closes_after_verification",
            ),
            models.CheckConstraint(
                condition=Q(final_on__gt=F("revision_closes_on")), name="cycle_final_after_revision"
            ),
        ]

    def __str__(self):
        return self.name

    def deadline(self, kind):
        """The cycle's own deadline of ``kind`` (a DeadlineKind), before any OPD's extension."""
        return self.filing_closes_on if kind == DeadlineKind.FILING else self.revision_closes_on


class DeadlineExtension(models.Model):
    """One OPD's later deadline in a cycle (filing or revision), granted by the admin with a reason.

    An extension never shortens: the OPD's deadline is the later of the cycle's and this one
    (``selectors.deadline_window``). Changing or withdrawing one is kept in its history.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("siklus")
    )
    opd = models.ForeignKey(
        Opd, on_delete=models.PROTECT, related_name="deadline_extensions", verbose_name=_("OPD")
    )
    kind = models.CharField(_("batas"), max_length=20, choices=DeadlineKind.choices)
    closes_on = models.DateField(_("diperpanjang sampai"))
    reason = models.TextField(_("alasan"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diberikan oleh")
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perpanjangan batas waktu")
        verbose_name_plural = _("perpanjangan batas waktu")
        ordering = ["cycle", "opd__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "opd", "kind"], name="extension_one_per_opd_and_deadline"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self):
        return f"{self.opd} · {self.get_kind_display()} · {self.closes_on:%Y-%m-%d}"

    @property
    def region_id(self):
        """Lets the region predicates treat an extension like its cycle."""
        return self.cycle.region_id

"""Award schemes judged by juries: categories, weighted criteria, nominations, jurors, their scores and
the final ranking. Every write goes through ``scoring.services.awards``; a finalised scheme is locked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovasi.accounts.models import Opd, Region
from innovasi.standards.models import Cycle
from submissions.models import Innovation

from ..enums import Aggregation, AwardPlace, ConflictChange, ExclusionReason, TieBreak


class AwardScheme(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="award_schemes")
    name = models.CharField(_("nama"), max_length=200)
    scale_min = models.PositiveSmallIntegerField(_("nilai terendah"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("nilai tertinggi"), default=100)
    scale_labels = models.JSONField(_("label nilai"), default=dict, blank=True)
    aggregation = models.CharField(
        _("agregasi"), max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    normalise = models.BooleanField(_("normalisasi per juri (skor z)"), default=False)
    winners = models.PositiveSmallIntegerField(_("jumlah juara per kategori"), default=3)
    honourable_mentions = models.PositiveSmallIntegerField(_("jumlah harapan per kategori"), default=0)
    disagreement_threshold = models.DecimalField(
        _("batas perbedaan antarjuri (simpangan baku)"), max_digits=6, decimal_places=2, default=15
    )
    hide_scores_until_submitted = models.BooleanField(
        _("nilai juri lain tersembunyi sampai juri mengirim"), default=True
    )
    tie_break = models.CharField(
        _("aturan nilai sama"),
        max_length=20,
        choices=TieBreak.choices,
        default=TieBreak.KEMATANGAN,
        help_text=_("Berlaku bila nilai akhir (dibulatkan dua desimal) sama."),
    )
    # A scheme of a province open to the kabupaten and kota below it (the Inotek Award): their admins enter
    # their own verified innovations, at most ``entries_per_region`` each, until ``entry_deadline``; the
    # province's own OPDs do not take part. Otherwise the region's admin nominates its own OPDs' innovations.
    open_to_regions_below = models.BooleanField(
        _("peserta: kabupaten/kota di bawah provinsi"), default=False, editable=False
    )
    entries_per_region = models.PositiveSmallIntegerField(
        _("batas entri per kabupaten/kota"), null=True, blank=True
    )
    entry_deadline = models.DateField(_("batas waktu pengajuan entri"), null=True, blank=True)
    # Moves on with every save of the settings (scheme_update), which refuses a form made on an older one.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(_("difinalkan pada"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Finalising with an empty category or a nominee scored by fewer jurors than were seated: what was
    # incomplete and why the admin finalised anyway.
    finalise_gaps = models.TextField(_("yang belum lengkap saat difinalkan"), blank=True)
    finalise_reason = models.TextField(_("alasan finalisasi"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skema penghargaan")
        verbose_name_plural = _("skema penghargaan")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="scheme_scale_is_a_range"
            ),
            models.CheckConstraint(
                condition=Q(open_to_regions_below=False)
                | Q(entries_per_region__gte=1, entry_deadline__isnull=False),
                name="scheme_for_regions_has_limit_and_deadline",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def scale_legend(self):
        """The labelled values of the scale, lowest first: [(1, "Sangat kurang"), …]."""
        return sorted((int(score), label) for score, label in self.scale_labels.items())

    @property
    def region_id(self):
        return self.cycle.region_id

    @property
    def is_final(self):
        return self.finalised_at is not None


class AwardCategory(models.Model):
    scheme = models.ForeignKey(AwardScheme, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("nama kategori"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("kategori penghargaan")
        verbose_name_plural = _("kategori penghargaan")
        ordering = ["scheme", "position", "pk"]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    scheme = models.ForeignKey(AwardScheme, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("kriteria"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("bobot (%)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("kriteria penilaian")
        verbose_name_plural = _("kriteria penilaian")
        ordering = ["scheme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_1_to_100"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class Nomination(models.Model):
    category = models.ForeignKey(AwardCategory, on_delete=models.CASCADE, related_name="nominations")
    scheme = models.ForeignKey(AwardScheme, on_delete=models.CASCADE, related_name="nominations")
    innovation = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="nominations")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nominasi")
        verbose_name_plural = _("nominasi")
        ordering = ["category", "innovation__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "innovation"], name="nomination_once_per_scheme")
        ]

    def __str__(self):
        return f"{self.category} · {self.innovation}"

    @property
    def region_id(self):
        """The scheme's region: the one that runs it (a province's, for an entry of a kabupaten)."""
        return self.scheme.cycle.region_id

    @property
    def entrant_region_id(self):
        """The region of the nominated innovation: a kabupaten's or kota's in a scheme open to them."""
        return self.innovation.opd.region_id


class JuryMember(models.Model):
    """A juror of a category. They first declare their conflicts (``declared_at``); then score; then submit."""

    category = models.ForeignKey(AwardCategory, on_delete=models.CASCADE, related_name="jurors")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats")
    conflict_opds = models.ManyToManyField(
        Opd, blank=True, related_name="+", verbose_name=_("OPD yang berkonflik")
    )
    # In a scheme open to the regions below: the kabupaten/kota the juror declares a conflict with; their
    # entries are kept from the juror altogether (not listed on the sheet, nor in the ranking shown).
    conflict_regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("kabupaten/kota yang berkonflik")
    )
    conflict_note = models.TextField(_("keterangan konflik"), blank=True)
    declared_at = models.DateTimeField(_("pernyataan konflik pada"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)

    # Not columns: selectors.awards.jury_progress sets them on the seats it returns (scores expected, the
    # share given, and the OPDs the admin's conflict change may name).
    expected: int
    percent: int
    conflict_choices: list[Opd] | list[Region]

    class Meta:
        verbose_name = _("juri kategori")
        verbose_name_plural = _("juri kategori")
        ordering = ["category", "juror__username"]
        constraints = [models.UniqueConstraint(fields=["category", "juror"], name="juror_once_per_category")]

    def __str__(self):
        return f"{self.juror} · {self.category}"

    @property
    def region_id(self):
        return self.category.scheme.cycle.region_id


class ConflictRecord(models.Model):
    """One declaration of a juror's conflicts, or one change of it by the admin, kept for good: what the
    declaration held afterwards (``opds``, and ``regions`` in a scheme open to the regions below:
    [{"id", "name"}], names as they were then), what it added and removed, and why (an admin's change
    always says why). Written by conflicts_declare / conflicts_change.
    """

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="conflict_records")
    kind = models.CharField(_("jenis"), max_length=20, choices=ConflictChange.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opds = models.JSONField(_("OPD yang berkonflik"), default=list)
    regions = models.JSONField(_("kabupaten/kota yang berkonflik"), default=list)
    added = models.JSONField(_("ditambahkan"), default=list)
    removed = models.JSONField(_("dihapus"), default=list)
    note = models.TextField(_("keterangan"), blank=True)
    reason = models.TextField(_("alasan perubahan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pernyataan konflik")
        verbose_name_plural = _("riwayat pernyataan konflik")
        ordering = ["member", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ConflictChange.CHANGED_BY_ADMIN) | ~Q(reason=""),
                name="conflict_change_by_admin_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class JuryExclusion(models.Model):
    """A nominee a juror may not score, and why (recorded when the juror declares)."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="exclusions")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="exclusions")
    reason = models.CharField(_("alasan"), max_length=20, choices=ExclusionReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengecualian juri")
        verbose_name_plural = _("pengecualian juri")
        constraints = [models.UniqueConstraint(fields=["member", "nomination"], name="exclusion_once")]

    def __str__(self):
        return f"{self.member} ✕ {self.nomination}"


class JuryScore(models.Model):
    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="scores")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("nilai"))
    comment = models.TextField(_("komentar"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nilai juri")
        verbose_name_plural = _("nilai juri")
        constraints = [
            models.UniqueConstraint(fields=["member", "nomination", "criterion"], name="score_once")
        ]

    def __str__(self):
        return f"{self.member} · {self.nomination} · {self.criterion}: {self.score}"


class AwardResult(models.Model):
    """The ranking of a nominee, fixed when the scheme is finalised."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="result")
    # None: no juror scored the nominee ("belum dinilai"), which is not a score of 0.
    aggregate = models.DecimalField(_("nilai akhir"), max_digits=7, decimal_places=2, null=True)
    jurors = models.PositiveSmallIntegerField(_("juri yang menilai"), default=0)
    seated = models.PositiveSmallIntegerField(_("juri kategori"), default=0)
    rank = models.PositiveSmallIntegerField(_("peringkat"))
    place = models.CharField(_("predikat"), max_length=12, choices=AwardPlace.choices)
    disagreement = models.BooleanField(_("juri berbeda pendapat"), default=False)

    class Meta:
        verbose_name = _("hasil penghargaan")
        verbose_name_plural = _("hasil penghargaan")
        ordering = ["nomination__category", "rank"]

    def __str__(self):
        return f"{self.rank}. {self.nomination}"

    @property
    def is_winner(self):
        return self.place == AwardPlace.WINNER

    @property
    def is_honourable(self):
        return self.place == AwardPlace.HONOURABLE

    @property
    def fewer_jurors(self):
        return self.jurors < self.seated

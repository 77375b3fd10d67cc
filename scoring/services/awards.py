"""Award schemes: presets, criteria, nominations, jurors with their conflicts, scores, and finalising.

Every write refuses once the scheme is finalised. A juror scores only after declaring conflicts; the
nominees of their own OPD and of the OPDs they declare are excluded then, with the reason recorded. A
declaration only grows; the admin may change it, saying why; each declaration and change is kept.

A province's scheme may be open to the kabupaten and kota below it (the Inotek Award): their admins enter
their own verified innovations (``entry_submit``), up to the province's limit per region and until its
deadline, and its jurors declare the regions they have a conflict with instead of OPDs.
"""

import datetime
from typing import TypedDict

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from innovasi.accounts.enums import RegionKind
from innovasi.accounts.permissions import allowed
from innovasi.errors import PortalError
from submissions.enums import InnovationState

from ..enums import ConflictChange, ExclusionReason
from ..models import (
    AwardCategory,
    AwardResult,
    AwardScheme,
    ConflictRecord,
    Criterion,
    JuryExclusion,
    JuryMember,
    JuryScore,
    Nomination,
)
from ..selectors import awards as award_selectors

# IID.md §5: the IGA 2023 presentation weights, and the Inotek Award's 2025 categories.
PRESENTATION_CRITERIA = [
    ("Kebaharuan", 30),
    ("Kemanfaatan", 25),
    ("Kewenangan daerah dan kolaborasi", 15),
    ("Replikasi dan aplikatif", 20),
    ("Penguasaan materi / kualitas penyajian", 10),
]
INOTEK_CATEGORIES = [
    "Inovasi Daerah",
    "Inovasi Teknologi Berbasis Website",
    "Agribisnis dan Energi Baru Terbarukan",
    "Sosial Budaya dan Kependudukan",
    "Inovasi untuk Milenial",
]
# Inotek's own criteria and weights are not published: a starting point the admin edits.
INOTEK_CRITERIA = [
    ("Kebaruan", 25),
    ("Kemanfaatan", 25),
    ("Dapat direplikasi", 20),
    ("Keberlanjutan", 20),
    ("Penyajian", 10),
]


class Preset(TypedDict):
    """A scheme ready to use: its name, its categories, its (criterion, weight) rows, and whether the
    regions below a province enter it."""

    name: str
    categories: list[str]
    criteria: list[tuple[str, int]]
    regions_below: bool


PRESETS: dict[str, Preset] = {
    "presentasi": {
        "name": _("Penghargaan Inovasi Kabupaten — presentasi"),
        "categories": ["Presentasi Kepala Perangkat Daerah"],
        "criteria": PRESENTATION_CRITERIA,
        "regions_below": False,
    },
    "inotek": {
        "name": _("Inotek"),
        "categories": INOTEK_CATEGORIES,
        "criteria": INOTEK_CRITERIA,
        "regions_below": False,
    },
    "inotek_provinsi": {
        "name": _("Inotek Award — kabupaten/kota"),
        "categories": INOTEK_CATEGORIES,
        "criteria": INOTEK_CRITERIA,
        "regions_below": True,
    },
}
# What a scheme open to the regions below starts with; the province changes both in its settings.
ENTRIES_PER_REGION = 5
ENTRY_DAYS = 30


def _require_open(scheme):
    # Asked of the database, not of ``scheme``: a caller may hold an object read before finalising.
    if AwardScheme.objects.filter(pk=scheme.pk, finalised_at__isnull=False).exists():
        raise PortalError(_("Skema «%(name)s» sudah final dan terkunci.") % {"name": scheme.name})


def weights_check(weights):
    total = sum(weights)
    if total != 100:
        raise PortalError(_("Bobot kriteria berjumlah %(total)d; harus tepat 100.") % {"total": total})


@transaction.atomic
def scheme_from_preset(*, cycle, preset, name=None) -> AwardScheme:
    """A scheme ready to use: the presentation preset (IGA 2023 weights) or Inotek (2025 categories),
    entered by the region's own OPDs; or, for a province, Inotek entered by the kabupaten/kota below it
    (``ENTRIES_PER_REGION`` each, for ``ENTRY_DAYS`` days from today)."""
    if preset not in PRESETS:
        raise PortalError(_("Preset tidak dikenal."))
    data = PRESETS[preset]
    entries = {}
    if data["regions_below"]:
        if cycle.region.kind != RegionKind.PROVINSI:
            raise PortalError(_("Skema untuk kabupaten/kota dibuka oleh provinsi di atasnya."))
        entries = {
            "open_to_regions_below": True,
            "entries_per_region": ENTRIES_PER_REGION,
            "entry_deadline": timezone.localdate() + datetime.timedelta(days=ENTRY_DAYS),
        }
    scheme = AwardScheme.objects.create(cycle=cycle, name=name or str(data["name"]), **entries)
    AwardCategory.objects.bulk_create(
        AwardCategory(scheme=scheme, name=category, position=position)
        for position, category in enumerate(data["categories"])
    )
    Criterion.objects.bulk_create(
        Criterion(scheme=scheme, name=criterion, weight=weight, position=position)
        for position, (criterion, weight) in enumerate(data["criteria"])
    )
    if scheme.open_to_regions_below:
        from ..tasks import notify_regional_call

        notify_regional_call.delay_on_commit(scheme_id=scheme.pk)
    return scheme


@transaction.atomic
def scheme_update(*, scheme, version, settings, criteria, categories) -> AwardScheme:
    """Change the scheme's settings, criteria ((id or None, name, weight) in order) and categories
    ((id or None, name) in order), as a form made on ``version`` of the scheme shows them. A form made on
    an older version is refused (someone saved since) and changes nothing; a save moves the version on.
    Weights must add up to exactly 100 and names fit their columns; scores given stay attached to criteria
    that stay. The criteria are refused once any juror has submitted, the scale once any score is saved
    (it would fall off the scale), everything once the scheme is final. Labels must lie on the scale."""
    scheme = AwardScheme.objects.select_for_update().get(pk=scheme.pk)
    _require_open(scheme)
    if version != scheme.version:
        raise PortalError(
            _(
                "Pengaturan skema ini sudah diubah orang lain sejak halaman Anda dibuka; perubahan Anda tidak "
                "disimpan. Muat ulang halaman untuk melihat pengaturan terbaru, lalu ulangi perubahan Anda."
            )
        )
    submitted = JuryMember.objects.filter(category__scheme=scheme, submitted_at__isnull=False).exists()
    if submitted and criteria != [(c.pk, c.name, c.weight) for c in scheme.criteria.all()]:
        raise PortalError(_("Kriteria tidak dapat diubah setelah ada juri yang mengirim nilainya."))
    scored = JuryScore.objects.filter(member__category__scheme=scheme).exists()
    if scored and (settings["scale_min"], settings["scale_max"]) != (scheme.scale_min, scheme.scale_max):
        raise PortalError(_("Skala nilai tidak dapat diubah setelah juri mulai memberi nilai."))
    _names_check(criteria, Criterion, _("Nama kriteria"))
    _names_check(categories, AwardCategory, _("Nama kategori"))
    weights_check([weight for _id, _name, weight in criteria])
    if settings["scale_max"] <= settings["scale_min"]:
        raise PortalError(_("Nilai tertinggi harus lebih besar dari nilai terendah."))
    if scheme.open_to_regions_below:
        _entry_settings_check(scheme, settings)
    elif set(settings) & {"entries_per_region", "entry_deadline"}:
        raise PortalError(_("Batas entri dan batas waktu hanya untuk skema kabupaten/kota."))
    outside = [
        score
        for score in settings.get("scale_labels", {})
        if not settings["scale_min"] <= int(score) <= settings["scale_max"]
    ]
    if outside:
        raise PortalError(
            _("Label nilai %(score)s di luar skala %(low)d–%(high)d.")
            % {"score": outside[0], "low": settings["scale_min"], "high": settings["scale_max"]}
        )
    for field, value in settings.items():
        setattr(scheme, field, value)
    scheme.version += 1  # under the row lock taken above
    scheme.save()
    _sync(
        scheme.criteria,
        criteria,
        lambda position, name, weight: {"name": name, "weight": weight, "position": position},
        Criterion,
        scheme,
    )
    _sync(
        scheme.categories,
        categories,
        lambda position, name: {"name": name, "position": position},
        AwardCategory,
        scheme,
    )
    return scheme


def _entry_settings_check(scheme, settings):
    """A scheme open to the regions below keeps a limit of at least one entry and a deadline; the limit
    never falls below what a region has entered already, and the deadline is not moved later once a juror
    has sent a sheet (entries made then would miss it)."""
    limit, deadline = settings.get("entries_per_region"), settings.get("entry_deadline")
    if not limit or deadline is None:
        raise PortalError(
            _("Isi batas entri per kabupaten/kota (paling sedikit 1) dan batas waktu pengajuan.")
        )
    if (
        deadline > scheme.entry_deadline
        and JuryMember.objects.filter(category__scheme=scheme, submitted_at__isnull=False).exists()
    ):
        raise PortalError(
            _("Batas waktu pengajuan tidak dapat diundur setelah ada juri yang mengirim nilainya.")
        )
    counts = (
        Nomination.objects.filter(scheme=scheme)
        .values("innovation__opd__region_id", "innovation__opd__region__name")
        .annotate(entries=models.Count("pk"))
        .filter(entries__gt=limit)
        .order_by("-entries", "innovation__opd__region__name")
    )
    over = counts.first()
    if over:
        raise PortalError(
            _(
                "Batas entri %(limit)d lebih kecil dari entri yang sudah diajukan %(region)s (%(entries)d). "
                "Hapus entrinya lebih dahulu atau pakai batas yang lebih besar."
            )
            % {"limit": limit, "region": over["innovation__opd__region__name"], "entries": over["entries"]}
        )


def _names_check(rows, model, label):
    """Refuse a name longer than its column: PostgreSQL refuses it on insert (a server error) and cuts
    it short on bulk_update's cast, SQLite keeps it whole."""
    limit = model._meta.get_field("name").max_length
    if any(len(name) > limit for _pk, name, *_rest in rows):
        raise PortalError(_("%(label)s paling banyak %(limit)d karakter.") % {"label": label, "limit": limit})


def _sync(related, rows, fields, model, scheme):
    """Make ``related`` (the scheme's criteria or categories) the ``rows`` given, in their order: rows with
    an id update that item, rows without one are new, items not given are removed (3 queries)."""
    existing = {item.pk: item for item in related.all()}
    kept: list[models.Model] = []
    new: list[models.Model] = []
    for position, (pk, *values) in enumerate(rows):
        item = existing.get(pk) or model(scheme=scheme)
        for field, value in fields(position, *values).items():
            setattr(item, field, value)
        (kept if item.pk else new).append(item)
    related.exclude(pk__in=[item.pk for item in kept]).delete()
    if kept:
        model.objects.bulk_update(kept, list(fields(0, *rows[0][1:])))
    model.objects.bulk_create(new)


@transaction.atomic
def nominate(*, category, innovation, by) -> Nomination:
    """Nominate a verified innovation of the scheme's cycle into a category (once per scheme)."""
    scheme = category.scheme
    _require_open(scheme)
    if scheme.open_to_regions_below:
        raise PortalError(_("Entri skema ini diajukan oleh admin kabupaten/kota."))
    if innovation.state != InnovationState.TERVERIFIKASI or innovation.cycle_id != scheme.cycle_id:
        raise PortalError(_("Hanya inovasi terverifikasi dari siklus skema ini yang dapat dinominasikan."))
    return _nomination_create(scheme=scheme, category=category, innovation=innovation, by=by)


@transaction.atomic
def entry_submit(*, category, innovation, by) -> Nomination:
    """A kabupaten's or kota's entry into its province's scheme: one of its own verified innovations on
    the catalogue of the scheme's cycle, into a category, until the deadline (its last day included) and
    while the region has entered fewer than the limit. The scheme's row is locked first, so that two
    admins of one region entering at once cannot both take the last place."""
    scheme = (
        AwardScheme.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=category.scheme_id)
    )
    _require_open(scheme)
    region_id = innovation.opd.region_id
    if not scheme.open_to_regions_below or innovation.opd.region.parent_id != scheme.cycle.region_id:
        raise PortalError(_("Skema ini tidak menerima entri dari wilayah Anda."))
    # Both set in a scheme open to the regions below (scheme_for_regions_has_limit_and_deadline).
    deadline, limit = scheme.entry_deadline, scheme.entries_per_region
    assert deadline is not None
    assert limit is not None
    if timezone.localdate() > deadline:
        raise PortalError(
            _("Batas waktu pengajuan entri sudah lewat (%(date)s).")
            % {"date": date_format(deadline, "j F Y")}
        )
    if (
        innovation.state != InnovationState.TERVERIFIKASI
        or innovation.cycle.catalogue_id != scheme.cycle.catalogue_id
    ):
        raise PortalError(
            _(
                "Hanya inovasi terverifikasi pada tahun penilaian skema ini (%(catalogue)s) yang dapat diajukan."
            )
            % {"catalogue": scheme.cycle.catalogue}
        )
    entered = Nomination.objects.filter(scheme=scheme, innovation__opd__region_id=region_id).count()
    if entered >= limit:
        raise PortalError(
            _("Wilayah Anda sudah mengajukan %(entered)d entri, batas dari provinsi %(limit)d.")
            % {"entered": entered, "limit": limit}
        )
    return _nomination_create(scheme=scheme, category=category, innovation=innovation, by=by)


@transaction.atomic
def entry_withdraw(*, nomination) -> None:
    """A region takes its entry back: until the deadline, and while no juror has scored it (the entry's
    row is locked first: a score saved meanwhile waits, then finds no entry)."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("scheme").get(pk=nomination.pk)
    )
    scheme = nomination.scheme
    if not scheme.open_to_regions_below:
        raise PortalError(_("Hanya entri lomba provinsi yang ditarik oleh wilayahnya."))
    if scheme.entry_deadline is None or timezone.localdate() > scheme.entry_deadline:
        raise PortalError(_("Entri tidak dapat ditarik setelah batas waktu pengajuan."))
    nomination_remove(nomination=nomination)


def _nomination_create(*, scheme, category, innovation, by) -> Nomination:
    if Nomination.objects.filter(scheme=scheme, innovation=innovation).exists():
        raise PortalError(_("«%(name)s» sudah dinominasikan dalam skema ini.") % {"name": innovation.name})
    nomination = Nomination.objects.create(
        category=category, scheme=scheme, innovation=innovation, nominated_by=by
    )
    for member in category.jurors.filter(declared_at__isnull=False):
        _exclusions_record(member)
    from ..tasks import notify_nomination  # the tasks call these services: imported here, not at the top

    notify_nomination.delay_on_commit(nomination_id=nomination.pk)
    return nomination


@transaction.atomic
def nomination_remove(*, nomination, by=None) -> None:
    """Remove a nomination no juror has scored. An entry of a regency that its province's admin (``by``)
    removes is announced to the regency's admins: they did not withdraw it themselves."""
    scheme = nomination.scheme
    _require_open(scheme)
    if nomination.scores.exists():
        raise PortalError(_("Nominasi yang sudah dinilai juri tidak dapat dihapus."))
    innovation = nomination.innovation
    nomination.delete()
    if scheme.open_to_regions_below and by is not None and by.region_id == scheme.cycle.region_id:
        from ..tasks import notify_entry_removed

        notify_entry_removed.delay_on_commit(scheme_id=scheme.pk, innovation_id=innovation.pk)


@transaction.atomic
def jury_assign(*, category, juror) -> JuryMember:
    _require_open(category.scheme)
    if not allowed(juror, "scoring.sit_on_jury"):
        raise PortalError(_("%(user)s bukan akun juri yang aktif.") % {"user": juror})
    member, created = JuryMember.objects.get_or_create(category=category, juror=juror)
    if created:
        from ..tasks import notify_jury

        notify_jury.delay_on_commit(member_id=member.pk)
    return member


def _entries(items):
    return sorted(({"id": item.pk, "name": item.name} for item in items), key=lambda entry: entry["name"])


def _conflicts_set(member, opds, regions, *, kind, by, note="", reason=""):
    """Make ``opds`` and ``regions`` the member's declaration, exclude their nominees and record the
    change."""
    before = {("opd", opd.pk): opd for opd in member.conflict_opds.all()} | {
        ("region", region.pk): region for region in member.conflict_regions.all()
    }
    after = {("opd", opd.pk): opd for opd in opds} | {("region", region.pk): region for region in regions}
    member.conflict_opds.set(opds)
    member.conflict_regions.set(regions)
    _exclusions_record(member)
    ConflictRecord.objects.create(
        member=member,
        kind=kind,
        changed_by=by,
        opds=_entries(opds),
        regions=_entries(regions),
        added=[entry["name"] for entry in _entries(o for key, o in after.items() if key not in before)],
        removed=[entry["name"] for entry in _entries(o for key, o in before.items() if key not in after)],
        note=note,
        reason=reason,
    )


@transaction.atomic
def conflicts_declare(*, member, opds, note, regions=()) -> JuryMember:
    """The juror's declaration; from now on the conflicting nominees are excluded (reasons recorded).

    A later declaration may only add OPDs (or regions): one that leaves out one declared before is refused
    and changes nothing (only the admin removes one, with a reason: ``conflicts_change``). A new note
    replaces the old one; an empty one keeps it. Every declaration is kept (ConflictRecord).
    """
    member = JuryMember.objects.select_for_update(of=("self",)).select_related("juror").get(pk=member.pk)
    _require_open(member.category.scheme)
    if member.submitted_at:
        raise PortalError(_("Nilai Anda sudah dikirim; pernyataan konflik tidak dapat diubah."))
    chosen = {opd.pk for opd in opds}
    chosen_regions = {region.pk for region in regions}
    dropped = [opd for opd in member.conflict_opds.order_by("name") if opd.pk not in chosen] + [
        region for region in member.conflict_regions.order_by("name") if region.pk not in chosen_regions
    ]
    if member.declared_at is not None and dropped:
        raise PortalError(
            _(
                "Pernyataan konflik hanya dapat ditambah: %(names)s tetap dinyatakan. Bila ada yang keliru, "
                "minta admin penyelenggara mengubahnya."
            )
            % {"names": ", ".join(item.name for item in dropped)}
        )
    member.conflict_note = note.strip() or member.conflict_note
    member.declared_at = timezone.now()
    member.save(update_fields=["conflict_note", "declared_at"])
    _conflicts_set(
        member, list(opds), list(regions), kind=ConflictChange.DECLARED, by=member.juror, note=note.strip()
    )
    return member


@transaction.atomic
def conflicts_change(*, member, opds, reason, by, regions=()) -> JuryMember:
    """The admin's change of a juror's declaration (an OPD or region removed, or added), with its reason:
    the nominees excluded follow, and the change is kept (ConflictRecord) beside the juror's declarations.
    Refused without a reason, before the juror has declared, once they have submitted their scores (their
    sheet would miss a nominee) and once the scheme is final."""
    reason = reason.strip()
    if not reason:
        raise PortalError(_("Tulis alasan perubahan pernyataan konflik."))
    member = JuryMember.objects.select_for_update(of=("self",)).select_related("juror").get(pk=member.pk)
    _require_open(member.category.scheme)
    if member.declared_at is None:
        raise PortalError(_("%(user)s belum menyatakan konflik kepentingan.") % {"user": member.juror})
    if member.submitted_at:
        raise PortalError(
            _("%(user)s sudah mengirim nilai; pernyataan konfliknya tidak dapat diubah lagi.")
            % {"user": member.juror}
        )
    if {opd.pk for opd in opds} == set(member.conflict_opds.values_list("pk", flat=True)) and {
        region.pk for region in regions
    } == set(member.conflict_regions.values_list("pk", flat=True)):
        raise PortalError(_("Pernyataan konflik tidak berubah."))
    _conflicts_set(
        member, list(opds), list(regions), kind=ConflictChange.CHANGED_BY_ADMIN, by=by, reason=reason
    )
    return member


def _exclusions_record(member):
    """Record which of the category's nominees the juror may not score, and why; their scores go (a fixed
    number of queries whatever the number of nominees)."""
    declared = set(member.conflict_opds.values_list("pk", flat=True))
    declared_regions = set(member.conflict_regions.values_list("pk", flat=True))
    own = member.juror.opd_id
    reasons = {}
    entries = member.category.nominations.values_list(
        "pk", "innovation__opd_id", "innovation__opd__region_id"
    )
    for nomination_id, opd_id, region_id in entries:
        if opd_id == own:
            reasons[nomination_id] = ExclusionReason.OWN_OPD
        elif opd_id in declared:
            reasons[nomination_id] = ExclusionReason.DECLARED
        elif region_id in declared_regions:
            reasons[nomination_id] = ExclusionReason.DECLARED_REGION
    recorded = dict(JuryExclusion.objects.filter(member=member).values_list("nomination_id", "reason"))
    stale = [pk for pk, reason in recorded.items() if reasons.get(pk) != reason]
    JuryExclusion.objects.filter(member=member, nomination_id__in=stale).delete()
    JuryExclusion.objects.bulk_create(
        JuryExclusion(member=member, nomination_id=pk, reason=reason)
        for pk, reason in reasons.items()
        if recorded.get(pk) != reason
    )
    JuryScore.objects.filter(member=member, nomination_id__in=reasons).delete()


@transaction.atomic
def scores_save(*, member, nomination, scores, comment) -> None:
    """Save (as a draft) a juror's scores of one nominee: {criterion id: score} within the scheme's scale."""
    member = (
        JuryMember.objects.select_for_update(of=("self",))
        .select_related("category__scheme")
        .get(pk=member.pk)
    )
    scheme = member.category.scheme
    _require_open(scheme)
    if member.declared_at is None:
        raise PortalError(_("Nyatakan konflik kepentingan Anda terlebih dahulu."))
    if member.submitted_at:
        raise PortalError(_("Nilai Anda sudah dikirim dan tidak dapat diubah."))
    if nomination.category_id != member.category_id:
        raise PortalError(_("Nominasi ini bukan dari kategori Anda."))
    if member.exclusions.filter(nomination=nomination).exists():
        raise PortalError(_("Anda dikecualikan dari menilai nominasi ini (konflik kepentingan)."))
    criteria = {criterion.pk: criterion for criterion in scheme.criteria.all()}
    for criterion_id, score in scores.items():
        if criterion_id not in criteria:
            raise PortalError(_("Kriteria tidak dikenal."))
        if score is None:
            continue
        if not scheme.scale_min <= score <= scheme.scale_max:
            raise PortalError(
                _("Nilai %(criterion)s harus antara %(low)d dan %(high)d.")
                % {
                    "criterion": criteria[criterion_id].name,
                    "low": scheme.scale_min,
                    "high": scheme.scale_max,
                }
            )
        JuryScore.objects.update_or_create(
            member=member,
            nomination=nomination,
            criterion_id=criterion_id,
            defaults={"score": score, "comment": comment.strip()},
        )


@transaction.atomic
def sheet_submit(*, member) -> JuryMember:
    """Submit a juror's sheet: every nominee they may score, on every criterion. Final for them."""
    member = (
        JuryMember.objects.select_for_update(of=("self",))
        .select_related("category__scheme")
        .get(pk=member.pk)
    )
    scheme = member.category.scheme
    _require_open(scheme)
    if (
        scheme.open_to_regions_below
        and scheme.entry_deadline
        and timezone.localdate() <= scheme.entry_deadline
    ):
        # Entries still come in until then: a sheet sent now would miss them.
        raise PortalError(
            _(
                "Nilai dikirim setelah batas waktu pengajuan entri (%(date)s), ketika semua entri sudah masuk. "
                "Sampai saat itu nilai Anda tersimpan sebagai draf."
            )
            % {"date": date_format(scheme.entry_deadline, "j F Y")}
        )
    excluded = set(member.exclusions.values_list("nomination_id", flat=True))
    expected = {
        (nomination_id, criterion_id)
        for nomination_id in member.category.nominations.exclude(pk__in=excluded).values_list("pk", flat=True)
        for criterion_id in scheme.criteria.values_list("pk", flat=True)
    }
    given = set(member.scores.values_list("nomination_id", "criterion_id"))
    if member.declared_at is None or expected - given:
        raise PortalError(
            _(
                "Lengkapi nilai semua nominasi pada semua kriteria sebelum mengirim (%(missing)d nilai belum diisi)."
            )
            % {"missing": len(expected - given)}
        )
    member.submitted_at = timezone.now()
    member.save(update_fields=["submitted_at"])
    return member


@transaction.atomic
def scheme_finalise(*, scheme, by, reason="") -> AwardScheme:
    """Fix the results of every category and lock the scheme; every juror must have submitted.

    When anything is incomplete (``scheme_gaps``: an empty category, a nominee scored by fewer jurors
    than were seated) the admin must give ``reason``; the gaps and the reason are kept with the scheme.
    """
    scheme = AwardScheme.objects.select_for_update().get(pk=scheme.pk)
    _require_open(scheme)
    waiting = JuryMember.objects.filter(category__scheme=scheme, submitted_at__isnull=True).select_related(
        "juror"
    )
    if waiting:
        raise PortalError(
            _("Belum semua juri mengirim nilai: %(names)s.")
            % {"names": ", ".join(str(m.juror) for m in waiting)}
        )
    weights_check([criterion.weight for criterion in scheme.criteria.all()])
    categories = award_selectors.scheme_categories(scheme)
    rankings = award_selectors.scheme_rankings(scheme, categories)
    gaps = award_selectors.scheme_gaps(categories, rankings)
    reason = reason.strip()
    if gaps and not reason:
        raise PortalError(
            _("Hasil belum lengkap; tulis alasan untuk tetap memfinalkan: %(gaps)s")
            % {"gaps": " ".join(gaps)}
        )
    for category in categories:
        seated = len(category.jurors.all())
        for row in rankings[category.pk]:
            AwardResult.objects.update_or_create(
                nomination_id=int(row.ref),
                defaults={
                    "aggregate": row.aggregate if row.jurors else None,
                    "rank": row.rank,
                    "place": row.place,
                    "disagreement": row.disagreement,
                    "jurors": row.jurors,
                    "seated": seated,
                },
            )
    scheme.finalised_at, scheme.finalised_by = timezone.now(), by
    scheme.finalise_gaps, scheme.finalise_reason = "\n".join(gaps), reason if gaps else ""
    scheme.save(update_fields=["finalised_at", "finalised_by", "finalise_gaps", "finalise_reason"])
    return scheme

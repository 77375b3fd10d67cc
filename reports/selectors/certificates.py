"""Reads about certificates: which are still to be issued for a cycle or an award scheme, the numbers the
next ones would get, what one would look like before it is issued, and their history."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from innovasi.accounts.models import Region
from innovasi.accounts.numbering import certificate_number, pattern_counts_per_year
from innovasi.accounts.selectors import region_history_source, region_place_date
from innovasi.history import HistoryEntry, field_changes, paired
from innovasi.standards.models import Cycle
from scoring.enums import AwardPlace
from scoring.models import AwardResult
from submissions.enums import InnovationState
from submissions.models import Innovation

from ..models import HOLDER_LENGTH, Certificate, CertificateSequence

VERIFIED_SOURCE = "verified"


@dataclass(frozen=True)
class Draft:
    """A certificate still to be issued: for whom, and for what."""

    innovation: Innovation
    award: str
    source: str

    @property
    def key(self):
        return (self.innovation.pk, self.award, self.source)


def award_source(scheme):
    return f"award:{scheme.pk}"


def region_cycle(*, region_id, pk) -> Cycle:
    """The cycle ``pk`` of the region (with its region and catalogue); Http404 for any other."""
    cycle = Cycle.objects.select_related("region", "catalogue").filter(pk=pk, region_id=region_id).first()
    if cycle is None:
        raise Http404(_("Siklus tidak ditemukan."))
    return cycle


def cycle_drafts(cycle) -> list[Draft]:
    """A certificate for each verified innovation of the cycle that has none yet, by OPD and name."""
    with translation.override("id"):  # printed on the certificate: Indonesian, whoever issues it
        award = _("Inovasi Daerah Terverifikasi — %(cycle)s") % {"cycle": cycle.catalogue.name}
    issued = set(
        Certificate.objects.filter(cycle=cycle, award=award, source=VERIFIED_SOURCE).values_list(
            "innovation_id", flat=True
        )
    )
    innovations = (
        Innovation.objects.filter(cycle=cycle, state=InnovationState.TERVERIFIKASI)
        .exclude(pk__in=issued)
        .select_related("opd")
        .order_by("opd__name", "name", "pk")
    )
    return [Draft(innovation, award, VERIFIED_SOURCE) for innovation in innovations]


def award_drafts(scheme) -> list[Draft]:
    """A certificate for each winner and honourable mention of a finalised scheme that has none yet, in
    the order of the ranking per category."""
    source = award_source(scheme)
    issued = set(Certificate.objects.filter(source=source).values_list("innovation_id", flat=True))
    drafts = []
    results = (
        AwardResult.objects.filter(
            nomination__scheme=scheme, place__in=[AwardPlace.WINNER, AwardPlace.HONOURABLE]
        )
        .select_related("nomination__innovation__opd__region", "nomination__category")
        .order_by("nomination__category__pk", "rank")
    )
    with translation.override("id"):
        for result in results:
            innovation = result.nomination.innovation
            if innovation.pk in issued:
                continue
            title = (
                _("Juara %(rank)d") % {"rank": result.rank}
                if result.place == AwardPlace.WINNER
                else _("Juara Harapan")
            )
            drafts.append(
                Draft(innovation, f"{title} — {result.nomination.category.name} — {scheme.name}", source)
            )
    return drafts


def drafts_chosen(drafts: list[Draft], innovation_ids) -> list[Draft]:
    """The drafts of the innovations chosen (every draft when ``innovation_ids`` is None)."""
    if innovation_ids is None:
        return drafts
    chosen = {int(pk) for pk in innovation_ids}
    return [draft for draft in drafts if draft.innovation.pk in chosen]


def numbers_next(region: Region, count: int, on: datetime.date) -> tuple[list[str], int]:
    """The numbers the next ``count`` certificates of the region would get if issued on ``on``, and the
    running number the last of them uses. Numbers already given (possible after the pattern changed) are
    skipped: a number is never given twice. Writes nothing (the service records the running number)."""
    pattern = region.certificate_number_pattern
    sequence = CertificateSequence.objects.filter(region=region, year=_sequence_year(pattern, on)).first()
    last = sequence.last if sequence else 0
    numbers: list[str] = []
    while len(numbers) < count:
        batch = {}
        for running in range(last + 1, last + 1 + count - len(numbers)):
            batch[certificate_number(pattern, number=running, on=on)] = running
        taken = set(
            Certificate.objects.filter(region=region, number__in=batch).values_list("number", flat=True)
        )
        numbers.extend(number for number in batch if number not in taken)
        last = max(batch.values())
    return numbers, last


def _sequence_year(pattern, on):
    return on.year if pattern_counts_per_year(pattern) else 0


def sequence_year(region: Region, on: datetime.date) -> int:
    """The running number's year: the year of issue when the pattern carries it, 0 when it never restarts."""
    return _sequence_year(region.certificate_number_pattern, on)


def holder(opd, region) -> str:
    """Who the certificate is given to: the OPD, and its own region when another region issues it (a
    province's award to a kabupaten's innovation), shortened to fit its column when both names are long."""
    if opd.region_id == region.pk:
        return opd.name
    return Truncator(f"{opd.name}, {opd.region.name}").chars(HOLDER_LENGTH)


def certificate_build(
    *, draft: Draft, cycle, region: Region, number: str, on: datetime.date, by
) -> Certificate:
    """The certificate of ``draft`` with what the region's settings print today (not saved)."""
    innovation = draft.innovation
    return Certificate(
        region=region,
        cycle=cycle,
        innovation=innovation,
        award=draft.award,
        source=draft.source,
        number=number,
        holder_opd=holder(innovation.opd, region),
        holder_innovation=innovation.name,
        year=cycle.catalogue.year,
        signatory_name=region.signatory_name.strip(),
        signatory_title=region.signatory_title.strip(),
        signatory_nip=region.signatory_nip,
        region_name=region.name,
        heading=region.letterhead_government.strip(),
        place_date=region_place_date(region, on),
        logo=region.logo.name,
        issued_by=by,
    )


def issued_of(*, cycle=None, scheme=None):
    """The certificates issued for a cycle's verified innovations or for a scheme's winners, with who
    issued them, by number."""
    queryset = Certificate.objects.select_related("issued_by")
    if scheme is not None:
        queryset = queryset.filter(source=award_source(scheme))
    else:
        queryset = queryset.filter(cycle=cycle, source=VERIFIED_SOURCE)
    return list(queryset.order_by("issued_at", "pk"))


SHOWN_FIELDS = ("number", "holder_innovation", "holder_opd", "award", "signatory_name", "place_date")


@region_history_source
def certificate_history(region: Region, limit: int) -> list[HistoryEntry]:
    """Each certificate the region issued (who, when, its number and what it says), and any later change
    of one, for the region's settings page (newest first, at most ``limit``)."""
    fields = [Certificate._meta.get_field(name) for name in SHOWN_FIELDS]
    records = (
        Certificate.history.filter(Q(region_id=region.pk))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )

    def describe(record, previous):
        label = record.number or record.code
        if record.history_type == "-":
            return HistoryEntry(
                record.history_date, record.history_user, _("Piagam %(number)s dihapus") % {"number": label}
            )
        if previous is None:
            return HistoryEntry(
                record.history_date,
                record.history_user,
                _("Piagam %(number)s diterbitkan") % {"number": label},
                field_changes(record, None, fields),
            )
        changes = field_changes(record, previous, fields)
        if not changes:
            return None
        return HistoryEntry(
            record.history_date,
            record.history_user,
            _("Piagam %(number)s diubah") % {"number": label},
            changes,
        )

    return sorted(paired(records, describe), key=lambda entry: entry.when, reverse=True)

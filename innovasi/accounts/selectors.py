"""Reads of the accounts app: a region's OPDs and users as its admin's pages list them, each found only in
the reader's own region (404 for anyone else's), and the history of each; a region's settings as the
documents use them, what stops it from issuing certificates, and the history its settings page shows."""

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from innovasi.history import HistoryEntry, object_history

from .enums import DATE_FORMATS, DateStyle, Role
from .models import REGION_SETTINGS_FIELDS, Opd, Region, User
from .numbering import certificate_number

PAGE_SIZE = 25
# The last-login filter of the user list: how long ago counts as "not lately".
RECENT_LOGIN = datetime.timedelta(days=30)
OPD_HISTORY_FIELDS = ("name", "short_name", "kind", "is_active")
USER_HISTORY_FIELDS = ("first_name", "last_name", "email", "role", "opd", "is_active", "is_superuser")


def _active_operators():
    return User.objects.filter(opd=OuterRef("pk"), role=Role.OPERATOR, is_active=True)


def opd_list(*, region_id: int, active: bool | None = None, query: str = "") -> QuerySet[Opd]:
    """The region's OPDs by name, each with ``n_users`` (its active accounts), ``has_operator`` (an active
    operator among them) and ``n_innovations`` (1 query)."""
    opds = Opd.objects.filter(region_id=region_id)
    if active is not None:
        opds = opds.filter(is_active=active)
    if query:
        opds = opds.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return opds.annotate(
        n_users=Count("users", filter=Q(users__is_active=True), distinct=True),
        n_innovations=Count("innovations", distinct=True),
        has_operator=Exists(_active_operators()),
    ).order_by("name")


def opd_get(*, region_id: int, pk: int) -> Opd:
    """One OPD of the region, or 404: an outsider cannot tell it exists."""
    opd = Opd.objects.filter(region_id=region_id, pk=pk).select_related("region").first()
    if opd is None:
        raise Http404(_("OPD tidak ditemukan."))
    return opd


def opd_choices(*, region_id: int, including: int | None = None, active_only: bool = True) -> QuerySet[Opd]:
    """The OPDs of the region a user may be given: the active ones, and ``including`` (an account's own
    OPD, which it keeps when the OPD was deactivated); with ``active_only`` False, all of them."""
    opds = Opd.objects.filter(region_id=region_id)
    if active_only:
        opds = opds.filter(Q(is_active=True) | Q(pk=including))
    return opds.order_by("name")


def opd_has_operator(*, opd: Opd) -> bool:
    """Whether an active operator works for ``opd``: reminders reach an OPD only through them."""
    return User.objects.filter(opd=opd, role=Role.OPERATOR, is_active=True).exists()


def opd_has_head(*, opd_id: int) -> bool:
    """Whether ``opd_id`` has an active head (a kepala OPD account): with the region's OPD-head endorsement
    on, its operators' submissions wait for one."""
    return User.objects.filter(opd_id=opd_id, role=Role.KEPALA_OPD, is_active=True).exists()


def opds_without_head(*, region_id: int) -> list[Opd]:
    """The region's active OPDs with an active operator but no active head, by name: with the OPD-head
    endorsement on, their operators cannot submit (1 query)."""
    heads = User.objects.filter(opd=OuterRef("pk"), role=Role.KEPALA_OPD, is_active=True)
    return list(
        Opd.objects.filter(region_id=region_id, is_active=True)
        .filter(Exists(_active_operators()), ~Exists(heads))
        .order_by("name")
    )


def opd_users(*, opd: Opd) -> list[User]:
    return list(User.objects.filter(opd=opd).order_by("-is_active", "first_name", "username"))


def opd_history(*, opd: Opd) -> list[HistoryEntry]:
    return object_history(opd, fields=OPD_HISTORY_FIELDS)


@dataclass(frozen=True)
class UserFilters:
    role: str = ""
    opd_id: int | None = None
    active: bool | None = None
    login: str = ""  # "never", "stale" (not within RECENT_LOGIN), "recent"
    query: str = ""

    @property
    def any(self) -> bool:
        return bool(self.role or self.opd_id or self.active is not None or self.login or self.query)


LOGIN_FILTERS = ("never", "stale", "recent")


def user_list(*, region_id: int, filters: UserFilters, page: int | str = 1) -> Page:
    """One page of the region's users, by name, with their OPD (2 queries: the count and the page)."""
    users = User.objects.filter(region_id=region_id).select_related("opd")
    if filters.role:
        users = users.filter(role=filters.role)
    if filters.opd_id:
        users = users.filter(opd_id=filters.opd_id)
    if filters.active is not None:
        users = users.filter(is_active=filters.active)
    since = timezone.now() - RECENT_LOGIN
    if filters.login == "never":
        users = users.filter(last_login__isnull=True)
    elif filters.login == "stale":
        users = users.filter(Q(last_login__isnull=True) | Q(last_login__lt=since))
    elif filters.login == "recent":
        users = users.filter(last_login__gte=since)
    if filters.query:
        users = users.filter(
            Q(first_name__icontains=filters.query)
            | Q(last_name__icontains=filters.query)
            | Q(username__icontains=filters.query)
            | Q(email__icontains=filters.query)
        )
    ordered = users.order_by("first_name", "last_name", "username", "pk")
    return Paginator(ordered, PAGE_SIZE).get_page(page)


def user_get(*, region_id: int, pk: int) -> User:
    """One user of the region, or 404: an outsider cannot tell the account exists."""
    user = User.objects.filter(region_id=region_id, pk=pk).select_related("opd", "region").first()
    if user is None:
        raise Http404(_("Pengguna tidak ditemukan."))
    return user


def user_history(*, user: User) -> list[HistoryEntry]:
    """The changes of the account (its name, e-mail, role, OPD, active flag), newest first, the OPDs
    named (2 queries)."""
    opd_ids = set(user.history.exclude(opd_id=None).values_list("opd_id", flat=True))
    names = {opd.pk: str(opd) for opd in Opd.objects.filter(pk__in=opd_ids)}
    return object_history(user, fields=USER_HISTORY_FIELDS, names=names)


# Histories of other apps shown on a region's settings page, newest first (the certificates it issued:
# reports registers its reader at start-up). A registry, because imports flow one way: accounts is the
# bottom layer and may not import the apps above it.
RegionHistorySource = Callable[[Region, int], list[HistoryEntry]]
_REGION_HISTORY_SOURCES: list[RegionHistorySource] = []


def region_history_source(source: RegionHistorySource) -> RegionHistorySource:
    """Register ``source(region, limit)`` to be shown in the region's settings history."""
    if source not in _REGION_HISTORY_SOURCES:
        _REGION_HISTORY_SOURCES.append(source)
    return source


def region_settings_history(region: Region, *, limit: int = 100) -> list[HistoryEntry]:
    """Every change of the region's settings (who, when, each field's old and new value) and what the
    registered sources add (each certificate issued), newest first, at most ``limit`` entries."""
    entries = [
        _logo_readable(entry)
        for entry in object_history(region, fields=[*REGION_SETTINGS_FIELDS, "logo"], limit=limit)
    ]
    for source in _REGION_HISTORY_SOURCES:
        entries.extend(source(region, limit))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:limit]


def _logo_readable(entry: HistoryEntry) -> HistoryEntry:
    """A logo's change in words, not its stored file's random name."""
    label = str(Region._meta.get_field("logo").verbose_name)
    changes = tuple(
        (name, _("logo sebelumnya") if old else "", _("logo baru diunggah") if new else "")
        if name == label
        else (name, old, new)
        for name, old, new in entry.changes
    )
    return dataclasses.replace(entry, changes=changes)


def region_date(region: Region, day: datetime.date) -> str:
    """``day`` in the region's date format, in Indonesian (documents leave the building)."""
    with translation.override("id"):
        return formats.date_format(day, DATE_FORMATS[DateStyle(region.date_style)])


def region_place_date(region: Region, day: datetime.date) -> str:
    """ "Mojokerto, 5 Desember 2026": the line above a signature (the date alone without a place)."""
    date = region_date(region, day)
    return f"{region.signing_place.strip()}, {date}" if region.signing_place.strip() else date


def certificate_signatory_missing(region: Region) -> list[str]:
    """What the region must still set before it can issue certificates (the head of the region signs
    them): the fields' names, [] when nothing is missing."""
    return [
        str(field.verbose_name)
        for field in (Region._meta.get_field("signatory_name"), Region._meta.get_field("signatory_title"))
        if not getattr(region, field.attname).strip()
    ]


def certificate_refusal(region: Region) -> str:
    """The message that says why ``region`` cannot issue certificates and what to set; "" when it can."""
    missing = certificate_signatory_missing(region)
    if not missing:
        return ""
    return _(
        "Piagam belum dapat diterbitkan: penandatangan piagam belum diatur. Isi %(fields)s di Pengaturan "
        "wilayah (admin Bappeda)."
    ) % {
        "fields": missing[0]
        if len(missing) == 1
        else _("%(first)s dan %(second)s") % dict(zip(("first", "second"), missing, strict=True))
    }


def certificate_number_example(region: Region, day: datetime.date, number: int = 1) -> str:
    """The ``number``-th certificate's number in the region's pattern, for the settings page."""
    return certificate_number(region.certificate_number_pattern, number=number, on=day)

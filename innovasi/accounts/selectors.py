"""Reads of the accounts app: a region's settings as the documents use them, what stops it from issuing
certificates, and the history its settings page shows."""

import dataclasses
import datetime
from collections.abc import Callable

from django.utils import formats, translation
from django.utils.translation import gettext as _

from innovasi.history import HistoryEntry, object_history

from .enums import DATE_FORMATS, DateStyle
from .models import REGION_SETTINGS_FIELDS, Region
from .numbering import certificate_number

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

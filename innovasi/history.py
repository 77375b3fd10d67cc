"""The history of a thing as people read it: who changed what, when, from which value to which.

Built on django-simple-history's records (``history = HistoricalRecords()`` on the model): each record
is paired with the one before it of the same object, and the fields whose displayed value differs are
listed. Used by every page that shows what was changed on it (innovations, regions, OPDs, users,
cycles, certificates, ...), through the include ``templates/includes/_history.html``.
"""

import datetime
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: object
    what: str
    changes: tuple = ()


def plain(value: str) -> str:
    """Text without its markup, each tag a word break (rich text is shown as text in a history)."""
    return " ".join(html.unescape(_TAG.sub(" ", value)).split())


def display(record: Any, field: Any, names: Mapping | None = None) -> str:
    """The value of a field as people read it: choice labels, related names, text without markup."""
    value = getattr(record, field.attname)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str((names or {}).get(value, value))
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return Truncator(plain(str(value))).chars(80)


def field_changes(record: Any, previous: Any, fields: Iterable, names: Mapping | None = None) -> tuple:
    """(label, old, new) for each of ``fields`` whose displayed value differs between two records."""
    changes = []
    for field in fields:
        new = display(record, field, names)
        old = display(previous, field, names) if previous else ""
        if old != new:
            changes.append((str(field.verbose_name), old, new))
    return tuple(changes)


def paired(records: Iterable, describe: Callable[[Any, Any], HistoryEntry | None]) -> list[HistoryEntry]:
    """Pair each historical record with the one before it (same object) and describe the change."""
    previous_by_object: dict[Any, Any] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        previous = previous_by_object.get(record.id)
        previous_by_object[record.id] = record
        entry = describe(record, previous)
        if entry:
            entries.append(entry)
    return entries


def object_history(instance: Any, *, fields: Iterable[str] | None = None, names=None, limit: int = 100):
    """The recorded changes of one object, newest first: its creation, each change of ``fields`` (every
    field its history keeps, by default) with the old and new value, a reason when one was given, and its
    deletion (1 query, with the users who made them). ``names``: {id: name} for related fields."""
    model = type(instance)
    kept = [field for field in model._meta.fields if fields is None or field.name in fields]
    kept = [field for field in kept if field.name not in ("id", "updated_at", "created_at")]

    def describe(record, previous):
        if record.history_type == "-":
            return HistoryEntry(record.history_date, record.history_user, _("Dihapus"))
        changes = field_changes(record, previous, kept, names) if previous else ()
        reason = record.history_change_reason or ""
        if previous is None:
            # A first record that is a change: the state the object had when its history began (a
            # migration recorded it), not its creation.
            began = _("Riwayat mulai dicatat") if record.history_type == "~" else _("Dibuat")
            return HistoryEntry(record.history_date, record.history_user, reason or began)
        if not changes and not reason:
            return None
        return HistoryEntry(record.history_date, record.history_user, reason or _("Data diubah"), changes)

    records = instance.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    return sorted(paired(records, describe), key=lambda entry: entry.when, reverse=True)

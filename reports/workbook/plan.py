"""Checking a workbook cell by cell and working out what importing it would do (reads only).

``plan_build`` reads every row of the three data sheets against the cycle's catalogue, the region's OPDs,
the urusan and the cycle's innovations, and returns a ``Plan``: every bad cell (sheet, row, column and the
reason, in Indonesian), and for each innovation row whether the import creates it, changes it (which
fields, how many indicator rows, how many files), leaves it as it is, or leaves it because it is locked
(submitted or verified: only drafts and innovations returned for revision change). Its queries are a
fixed handful whatever the number of rows: every lookup is made once for the whole file.

The rules are the portal's own, as the pages apply them: a level the indicator has, a basis for SID-33,
evidence files checked like a browser upload and of a kind the indicator accepts, an operator's import
held to their OPD, into drafts, within their filing window; an admin's into any OPD of the region, keeping
a submitted state as submitted (never as verified). Innovations are found by their key, in any case, so
that importing a workbook again updates them and duplicates nothing; evidence already attached (same
name and size, or the same link) is not added again.
"""

from __future__ import annotations

import datetime
import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from innovasi.accounts.models import Opd, User
from innovasi.standards.enums import CycleState, DeadlineKind, EvidenceKind, IndicatorGroup
from innovasi.standards.models import Cycle, Indicator, Option, Urusan
from innovasi.standards.selectors import deadline_window
from scoring.models import SpdEntry, SpdEvidence
from scoring.services.spd import SPD_EVIDENCE_KINDS
from submissions.enums import EDITABLE_STATES, InnovationState
from submissions.models import Claim, Document, Evidence, Innovation
from submissions.richtext import richtext_clean

from . import format as fmt
from .archive import EvidenceArchive
from .reader import Problem, Row, SheetRows, WorkbookRows

ACTION_NEW, ACTION_CHANGE, ACTION_SAME, ACTION_LOCKED = "baru", "ubah", "tetap", "terkunci"
# The most bytes of evidence one import stores (each file is held to UPLOAD_MAX_BYTES besides).
MAX_IMPORT_BYTES = 4 * 1024**3
URLS = URLValidator(schemes=["http", "https"])
_BREAK = re.compile(r"<br\s*/?>|</(?:p|li|ul|ol)>", re.IGNORECASE)
_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_CODE_NUMBER = re.compile(r"(\d+)([a-z]?)", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


@dataclass(frozen=True)
class Actor:
    """Who imports: ``user`` is recorded in the history; ``admin`` gives the region admin's rights (any OPD
    of the region, a submitted state kept); ``opd`` holds every row to one OPD (an operator's own, or
    ``--opd``)."""

    user: User
    admin: bool
    opd: Opd | None = None


@dataclass(frozen=True)
class FileRef:
    """A file of the ZIP to store: its path there, the safe name it is kept under, its kind and size."""

    path: str
    name: str
    kind: str
    size: int


@dataclass
class ClaimPlan:
    row: int
    indicator: Indicator
    level: int | None
    basis: str | None
    note: str | None
    files: list[FileRef] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    claim: Claim | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def is_changed(self) -> bool:
        return bool(self.changed or self.files or self.links)


@dataclass
class InnovationPlan:
    row: int
    key: str
    name: str
    opd: Opd | None
    existing: Innovation | None
    action: str = ACTION_NEW
    values: dict[str, Any] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    urusan_lain: list[Urusan] | None = None
    state: str | None = None
    claims: list[ClaimPlan] = field(default_factory=list)
    documents: list[tuple[str, FileRef]] = field(default_factory=list)
    bad: bool = False

    @property
    def claims_changed(self) -> list[ClaimPlan]:
        """The rows the import writes something into: of a new innovation, those with a level, a note or
        evidence (the others stay empty, as they are made); of an existing one, those that differ."""
        if self.action == ACTION_NEW:
            return [claim for claim in self.claims if claim.level or claim.note or claim.files or claim.links]
        return [claim for claim in self.claims if claim.is_changed or claim.claim is None]


@dataclass
class SpdPlan:
    row: int
    indicator: Indicator
    entry: SpdEntry | None
    level: int | None
    note: str | None
    files: list[FileRef] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def is_changed(self) -> bool:
        return bool(self.changed or self.files)


@dataclass
class Plan:
    file_name: str
    problems: list[Problem] = field(default_factory=list)
    innovations: list[InnovationPlan] = field(default_factory=list)
    spd: list[SpdPlan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for item in self.innovations if item.action == action)

    @property
    def counts(self) -> dict[str, int]:
        claims = [claim for item in self.innovations for claim in item.claims_changed]
        return {
            "new": self.count(ACTION_NEW),
            "changed": self.count(ACTION_CHANGE),
            "same": self.count(ACTION_SAME),
            "locked": self.count(ACTION_LOCKED),
            "claims": len(claims),
            "files": sum(len(claim.files) for claim in claims)
            + sum(len(item.documents) for item in self.innovations)
            + sum(len(row.files) for row in self.spd),
            "links": sum(len(claim.links) for claim in claims),
            "spd": sum(1 for row in self.spd if row.is_changed),
            "problems": len(self.problems),
        }

    def summary(self) -> dict[str, Any]:
        """What the preview shows, as JSON: the counts, each innovation row and each SPD row changed."""
        states = dict(fmt.labels_id(InnovationState))
        return {
            "counts": self.counts,
            "innovations": [
                {
                    "row": item.row,
                    "key": item.key,
                    "name": item.name,
                    "opd": str(item.opd or ""),
                    "action": item.action,
                    "state": states.get(item.state or (item.existing.state if item.existing else ""), ""),
                    "changes": item.changed,
                    "claims": len(item.claims_changed),
                    "files": sum(len(claim.files) for claim in item.claims_changed) + len(item.documents),
                    "links": sum(len(claim.links) for claim in item.claims_changed),
                }
                for item in self.innovations
            ],
            "spd": [
                {"row": row.row, "code": row.indicator.code, "changes": row.changed, "files": len(row.files)}
                for row in self.spd
                if row.is_changed
            ],
        }


# --- Reading cells -----------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; its message says why, in Indonesian."""


def _text(value: Any, *, lines: bool = False) -> str:
    """A cell as text: numbers as typed (12, not 12.0), dates as YYYY-MM-DD, one line unless ``lines``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    text = str(value)
    if "\x00" in text:
        raise CellError(_("Sel ini memuat karakter yang tidak diizinkan."))
    if not lines:
        return " ".join(text.split())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_DMY_DATE, (2, 1, 0))):
        match = pattern.fullmatch(text)
        if match:
            parts = [int(part) for part in match.groups()]
            try:
                return datetime.date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                break
    raise CellError(
        _("Tanggal «%(value)s» tidak dapat dibaca. %(how)s") % {"value": text[:40], "how": fmt.DATE_NOTE}
    )


def _level(value: Any) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, bool):
        raise CellError(_("Tingkat harus angka 0 sampai 3."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    if not text.isascii() or not text.isdigit() or int(text) not in fmt.LEVELS:
        raise CellError(_("Tingkat «%(value)s» bukan angka 0 sampai 3.") % {"value": text[:20]})
    return int(text)


def _choice(value: Any, column: fmt.Column) -> str:
    text = _text(value)
    if not text:
        return ""
    choices = fmt.CHOICES[column.key]
    found = fmt.choice_spellings(choices).get(text.casefold())
    if found is None:
        raise CellError(
            _("«%(value)s» bukan pilihan %(column)s: %(choices)s.")
            % {
                "value": text[:60],
                "column": column.header,
                "choices": ", ".join(label for _value, label in fmt.labels_id(choices)),
            }
        )
    return found


def richtext_plain(value: str) -> str:
    """The profile's rich text as the workbook writes it: paragraphs apart by an empty line, list items as
    "- " lines, other markup gone. Imported again, it has the same words (``richtext_words``)."""
    text = _ITEM.sub("\n- ", value or "")
    text = _BREAK.sub(lambda match: "\n" if match.group(0).lower().startswith("<br") else "\n\n", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _url(text: str, column: fmt.Column | None = None) -> str:
    limit = column.max_length if column and column.max_length else 500
    try:
        URLS(text)
    except ValidationError:
        raise CellError(
            _("«%(value)s» bukan tautan http:// atau https:// yang sah.") % {"value": text[:80]}
        ) from None
    if len(text) > limit:
        raise CellError(_("Tautan lebih dari %(count)d karakter.") % {"count": limit})
    return text


def _is_link(text: str) -> bool:
    return text.casefold().startswith(("http://", "https://"))


def _indicator_code(text: str, prefix: str) -> str:
    """The code as the catalogue writes it, from "SID-16", "sid 16" or "16" (and "SPD-02a" from "2a")."""
    compact = text.strip().replace(" ", "-")
    match = _CODE_NUMBER.fullmatch(compact)
    if match:
        width = 2 if prefix == "SPD" else 1
        return f"{prefix}-{int(match.group(1)):0{width}d}{match.group(2)}".casefold()
    return compact.casefold()


# --- The plan -----------------------------------------------------------------------------------------


@dataclass
class _Context:
    cycle: Cycle
    actor: Actor
    archive: EvidenceArchive | None
    plan: Plan
    indicators: dict[str, Indicator]
    levels: dict[tuple[int, str], set[int]]
    bases: dict[int, set[str]]
    urusan: dict[str, Urusan]
    opds_by_short: dict[str, Opd]
    opds_by_name: dict[str, Opd]
    innovations: dict[str, Innovation]
    filing_refusal: str
    file_bytes: int = 0


def _problem(context: _Context, rows: SheetRows, row: Row, key: str, reason: str) -> None:
    column = rows.title(key) if key else ""
    context.plan.problems.append(
        Problem(rows.sheet.name, row.number, column, reason, rows.letter(key) if key else "")
    )


def _context(*, cycle: Cycle, actor: Actor, archive: EvidenceArchive | None, plan: Plan) -> _Context:
    """Every lookup the checks need, made once: the catalogue's indicators and their levels, the urusan,
    the region's OPDs, the cycle's innovations by key, and the operator's filing window."""
    indicators = list(
        Indicator.objects.filter(catalogue_id=cycle.catalogue_id).prefetch_related(
            Prefetch("options", queryset=Option.objects.only("indicator_id", "basis", "level"))
        )
    )
    levels: dict[tuple[int, str], set[int]] = defaultdict(set)
    bases: dict[int, set[str]] = defaultdict(set)
    for indicator in indicators:
        for option in indicator.options.all():
            levels[(indicator.pk, option.basis)].add(option.level)
            if option.basis:
                bases[indicator.pk].add(option.basis)
    urusan: dict[str, Urusan] = {}
    for item in Urusan.objects.all():
        urusan[item.code.casefold()] = item
        urusan[" ".join(item.name.split()).casefold()] = item
    opds = list(Opd.objects.filter(region_id=cycle.region_id))
    filing_refusal = ""
    if not actor.admin and actor.opd is not None:
        filing_refusal = deadline_window(cycle=cycle, opd_id=actor.opd.pk, kind=DeadlineKind.FILING).refusal
    return _Context(
        cycle=cycle,
        actor=actor,
        archive=archive,
        plan=plan,
        indicators={indicator.code.casefold(): indicator for indicator in indicators},
        levels=levels,
        bases=bases,
        urusan=urusan,
        opds_by_short={opd.short_name.casefold(): opd for opd in opds if opd.short_name},
        opds_by_name={" ".join(opd.name.split()).casefold(): opd for opd in opds},
        innovations={
            innovation.key.casefold(): innovation
            for innovation in Innovation.objects.filter(cycle=cycle).select_related("opd")
        },
        filing_refusal=filing_refusal,
    )


def plan_build(*, cycle: Cycle, actor: Actor, rows: WorkbookRows, archive: EvidenceArchive | None) -> Plan:
    """Check every cell of ``rows`` and work out what importing them into ``cycle`` as ``actor`` would do;
    writes nothing. The plan is clean (``ok``) only when no cell, row or sheet has a problem."""
    plan = Plan(file_name=rows.name, problems=list(rows.problems))
    if rows.catalogue and rows.catalogue != cycle.catalogue.code:
        plan.problems.append(
            Problem(
                fmt.SHEET_README,
                None,
                fmt.README_CATALOGUE,
                _(
                    "Buku kerja ini untuk katalog %(theirs)s, sedangkan siklus ini memakai %(ours)s. Unduh "
                    "templat siklus ini."
                )
                % {"theirs": rows.catalogue[:40], "ours": cycle.catalogue.code},
            )
        )
    refusal = _cycle_refusal(cycle, actor)
    if refusal:
        plan.problems.append(Problem("", None, "", refusal))
        return plan
    context = _context(cycle=cycle, actor=actor, archive=archive, plan=plan)
    by_key = _innovation_rows(context, rows.sheets[fmt.SHEET_INNOVATIONS])
    _claim_rows(context, rows.sheets[fmt.SHEET_CLAIMS], by_key)
    _existing_claims(context)
    _spd_rows(context, rows.sheets[fmt.SHEET_SPD])
    context.file_bytes = sum(
        ref.size
        for item in plan.innovations
        for ref in [*(r for claim in item.claims for r in claim.files), *(r for _kind, r in item.documents)]
    ) + sum(ref.size for row in plan.spd for ref in row.files)
    for item in plan.innovations:
        if item.action == ACTION_CHANGE and not (
            item.changed or item.claims_changed or item.documents or item.state
        ):
            item.action = ACTION_SAME
    if context.file_bytes > MAX_IMPORT_BYTES:
        plan.problems.append(
            Problem(
                "",
                None,
                "",
                _(
                    "Berkas bukti yang akan disimpan berjumlah lebih dari %(size)d GB. Bagi menjadi beberapa impor."
                )
                % {"size": MAX_IMPORT_BYTES // 1024**3},
            )
        )
    return plan


def _cycle_refusal(cycle: Cycle, actor: Actor) -> str:
    if cycle.state == CycleState.FINAL:
        return _("Siklus %(cycle)s sudah final: tidak ada yang dapat diimpor ke dalamnya.") % {
            "cycle": cycle.name
        }
    if not actor.admin and cycle.state == CycleState.DRAFT:
        return _("Siklus %(cycle)s masih dalam tahap Persiapan: OPD belum dapat mengimpor.") % {
            "cycle": cycle.name
        }
    return ""


def _opd(context: _Context, rows: SheetRows, row: Row) -> Opd | None:
    """The row's OPD: the one named (short name, or full name), or the import's own when the cell is
    empty; None with a problem when it cannot be used."""
    try:
        text = _text(row.values.get("opd"))
    except CellError as error:
        _problem(context, rows, row, "opd", str(error))
        return None
    scope = context.actor.opd
    if not text:
        if scope is not None:
            return scope
        _problem(context, rows, row, "opd", _("OPD wajib diisi: nama singkat OPD seperti di daftar OPD."))
        return None
    opd = context.opds_by_short.get(text.casefold()) or context.opds_by_name.get(text.casefold())
    if opd is None:
        _problem(
            context,
            rows,
            row,
            "opd",
            _(
                "OPD «%(opd)s» tidak ada di wilayah ini: tambahkan dulu OPD itu (Pengaturan › OPD, atau impor OPD) "
                "dengan nama singkat ini, lalu unggah buku kerja lagi."
            )
            % {"opd": text[:60]},
        )
        return None
    if scope is not None and opd.pk != scope.pk:
        _problem(
            context,
            rows,
            row,
            "opd",
            _("Impor ini hanya untuk OPD %(own)s; baris ini menyebut OPD %(other)s.")
            % {"own": scope, "other": opd},
        )
        return None
    if not opd.is_active:
        _problem(context, rows, row, "opd", _("OPD %(opd)s tidak aktif.") % {"opd": opd})
        return None
    return opd


def _state(context: _Context, rows: SheetRows, row: Row, existing: Innovation | None) -> str | None:
    """The state the row asks for, as the import gives it: None to leave it, else the state to set
    (a new innovation's own). An operator makes drafts; an admin's later states arrive as submitted."""
    current = existing.state if existing else None
    try:
        asked = _choice(row.values.get("state"), fmt.INNOVATIONS.column("state")) if rows.has("state") else ""
    except CellError as error:
        _problem(context, rows, row, "state", str(error))
        return None
    if not asked or asked == current:
        return None if existing else InnovationState.DRAFT
    if asked == InnovationState.DRAFT:
        if existing is None:
            return InnovationState.DRAFT
        _problem(
            context,
            rows,
            row,
            "state",
            _("Inovasi berstatus %(state)s tidak dapat dikembalikan menjadi Draf.")
            % {"state": existing.get_state_display()},
        )
        return None
    if not context.actor.admin:
        _problem(
            context,
            rows,
            row,
            "state",
            _(
                "Impor operator OPD hanya membuat dan mengubah draf: kosongkan kolom Status, lalu ajukan inovasinya "
                "dari halamannya."
            ),
        )
        return None
    if existing is not None and current == InnovationState.REVISI and asked == InnovationState.REVISI:
        return None
    return InnovationState.DIAJUKAN


def _innovation_rows(context: _Context, rows: SheetRows) -> dict[str, InnovationPlan | str]:
    """Each row of the innovation sheet as a plan (or its problems); {key: plan, or "locked"/"bad"}."""
    seen: dict[str, int] = {}
    by_key: dict[str, InnovationPlan | str] = {}
    for row in rows.rows:
        try:
            key = _text(row.values.get("key"))
        except CellError as error:
            _problem(context, rows, row, "key", str(error))
            continue
        if not key:
            _problem(context, rows, row, "key", _("Kode inovasi wajib diisi."))
            continue
        if len(key) > fmt.KEY_MAX_LENGTH:
            _problem(
                context,
                rows,
                row,
                "key",
                _("Kode inovasi lebih dari %(count)d karakter.") % {"count": fmt.KEY_MAX_LENGTH},
            )
            continue
        folded = key.casefold()
        if folded in seen:
            _problem(
                context,
                rows,
                row,
                "key",
                _("Kode inovasi «%(key)s» juga ada di baris %(row)d.") % {"key": key, "row": seen[folded]},
            )
            continue
        seen[folded] = row.number
        existing = context.innovations.get(folded)
        by_key[folded] = _innovation_row(context, rows, row, key, existing)
    return by_key


def _innovation_row(
    context: _Context, rows: SheetRows, row: Row, key: str, existing: Innovation | None
) -> InnovationPlan | str:
    problems_before = len(context.plan.problems)
    actor = context.actor
    if existing is not None and actor.opd is not None and existing.opd_id != actor.opd.pk:
        _problem(
            context,
            rows,
            row,
            "key",
            _("Kode inovasi «%(key)s» sudah dipakai inovasi OPD lain di siklus ini; pilih kode lain.")
            % {"key": key},
        )
        return "bad"
    if existing is not None and existing.state not in EDITABLE_STATES:
        context.plan.innovations.append(
            InnovationPlan(
                row=row.number,
                key=existing.key,
                name=existing.name,
                opd=existing.opd,
                existing=existing,
                action=ACTION_LOCKED,
            )
        )
        return "locked"
    opd = _opd(context, rows, row)
    if existing is not None and opd is not None and existing.opd_id != opd.pk:
        _problem(
            context,
            rows,
            row,
            "opd",
            _("Inovasi berkode «%(key)s» milik OPD %(opd)s; OPD sebuah inovasi tidak diubah lewat impor.")
            % {"key": key, "opd": existing.opd},
        )
    if existing is None and context.filing_refusal:
        _problem(
            context,
            rows,
            row,
            "",
            _("Inovasi baru tidak dapat dibuat: %(why)s") % {"why": context.filing_refusal},
        )
    item = InnovationPlan(
        row=row.number,
        key=existing.key if existing else key,
        name=existing.name if existing else "",
        opd=opd,
        existing=existing,
        action=ACTION_CHANGE if existing else ACTION_NEW,
    )
    item.state = _state(context, rows, row, existing)
    _profile(context, rows, row, item)
    _documents(context, rows, row, item)
    if len(context.plan.problems) > problems_before:
        item.bad = True
        return "bad"
    context.plan.innovations.append(item)
    return item


def _profile(context: _Context, rows: SheetRows, row: Row, item: InnovationPlan) -> None:
    """The profile values of the row's present columns, and (for an existing innovation) which differ."""
    existing = item.existing
    for column in fmt.PROFILE_COLUMNS:
        if not rows.has(column.key):
            continue
        raw = row.values.get(column.key)
        try:
            value = _profile_value(context, column, raw)
        except CellError as error:
            _problem(context, rows, row, column.key, str(error))
            continue
        if column.key == "name":
            if not value:
                _problem(context, rows, row, "name", _("Nama inovasi wajib diisi."))
                continue
            item.name = value
        if column.kind == fmt.Kind.URUSAN_LIST:
            item.urusan_lain = value  # compared with the stored ones in _existing_claims (one query)
            continue
        if existing is None:
            item.values[column.key] = _stored(column, value)
            continue
        if column.kind == fmt.Kind.LONG_TEXT:
            # Compared as the workbook shows it: formatting the cell cannot hold is kept when the text is
            # the same.
            if _same_text(richtext_plain(getattr(existing, column.key)), value):
                continue
            item.values[column.key] = richtext_clean(value)
        elif column.kind == fmt.Kind.URUSAN:
            if existing.urusan_utama_id == (value.pk if value else None):
                continue
            item.values[column.key] = value
        elif (getattr(existing, column.key) or None) != (value or None):
            item.values[column.key] = value
        else:
            continue
        item.changed.append(column.header)


def _stored(column: fmt.Column, value: Any) -> Any:
    """A new innovation's value of a profile column as the model keeps it."""
    if column.kind == fmt.Kind.LONG_TEXT:
        return richtext_clean(value)
    return value


def _profile_value(context: _Context, column: fmt.Column, raw: Any) -> Any:
    kind = column.kind
    if kind == fmt.Kind.DATE:
        return _date(raw)
    if kind == fmt.Kind.CHOICE:
        return _choice(raw, column)
    if kind == fmt.Kind.URUSAN:
        text = _text(raw)
        if not text:
            return None
        found = context.urusan.get(text.casefold())
        if found is None:
            raise CellError(
                _("Urusan «%(value)s» tidak dikenal: pilih dari daftar urusan (lembar Daftar).")
                % {"value": text[:80]}
            )
        return found
    if kind == fmt.Kind.URUSAN_LIST:
        found_list: list[Urusan] = []
        unknown = []
        for entry in fmt.split_entries(_text(raw, lines=True)):
            match = context.urusan.get(" ".join(entry.split()).casefold())
            if match is None:
                unknown.append(entry[:60])
            elif match not in found_list:
                found_list.append(match)
        if unknown:
            raise CellError(
                _("Urusan tidak dikenal: %(names)s. Tulis nama urusan dari lembar Daftar, satu per baris.")
                % {"names": ", ".join(f"«{name}»" for name in unknown)}
            )
        return found_list
    if kind == fmt.Kind.LONG_TEXT:
        return _text(raw, lines=True)
    text = _text(raw)
    if kind == fmt.Kind.URL:
        return _url(text, column) if text else ""
    if column.max_length and len(text) > column.max_length:
        raise CellError(_("Isian lebih dari %(count)d karakter.") % {"count": column.max_length})
    return text


def _files(
    context: _Context, rows: SheetRows, row: Row, key: str, entries: Iterable[str], kinds
) -> list[FileRef] | None:
    """The ZIP members the entries name, each checked for ``kinds``; None (with problems) when one cannot
    be used."""
    found: list[FileRef] = []
    good = True
    archive = context.archive
    for entry in entries:
        if archive is None:
            _problem(
                context,
                rows,
                row,
                key,
                _(
                    "Berkas «%(name)s» disebut, tetapi tidak ada ZIP berkas bukti yang diunggah bersama buku kerja."
                )
                % {"name": entry[:120]},
            )
            good = False
            continue
        path = archive.find(entry)
        if path is None:
            _problem(
                context,
                rows,
                row,
                key,
                _("Berkas «%(name)s» tidak ada di ZIP «%(zip)s».")
                % {"name": entry[:120], "zip": archive.name},
            )
            good = False
            continue
        try:
            kind, name = archive.check(path, kinds)
        except ValidationError as error:
            _problem(context, rows, row, key, error.messages[0])
            good = False
            continue
        if all(ref.path != path for ref in found):
            found.append(FileRef(path=path, name=name, kind=str(kind), size=archive.size(path)))
    return found if good else None


def _documents(context: _Context, rows: SheetRows, row: Row, item: InnovationPlan) -> None:
    for column in fmt.DOCUMENT_COLUMNS:
        if not rows.has(column.key):
            continue
        try:
            text = _text(row.values.get(column.key))
        except CellError as error:
            _problem(context, rows, row, column.key, str(error))
            continue
        if not text:
            continue
        files = _files(context, rows, row, column.key, [text], [EvidenceKind.PDF])
        if files:
            item.documents.append((column.key.removeprefix("document_"), files[0]))


def _claim_rows(context: _Context, rows: SheetRows, by_key: dict[str, InnovationPlan | str]) -> None:
    seen: dict[tuple[str, int], int] = {}
    for row in rows.rows:
        try:
            key = _text(row.values.get("key"))
            code = _text(row.values.get("indicator"))
        except CellError as error:
            _problem(context, rows, row, "", str(error))
            continue
        target = by_key.get(key.casefold()) if key else None
        if not key:
            _problem(context, rows, row, "key", _("Kode inovasi wajib diisi."))
        elif target is None:
            _problem(
                context,
                rows,
                row,
                "key",
                _("Kode inovasi «%(key)s» tidak ada di lembar Inovasi.") % {"key": key[:60]},
            )
        if target == "locked":
            continue  # a locked innovation's rows are not read: nothing of it changes
        indicator = _indicator(context, rows, row, code, IndicatorGroup.SID)
        if indicator is None:
            continue
        pair = (key.casefold(), indicator.pk)
        if pair in seen:
            _problem(
                context,
                rows,
                row,
                "indicator",
                _("Indikator %(code)s inovasi ini juga ada di baris %(row)d.")
                % {"code": indicator.code, "row": seen[pair]},
            )
            continue
        seen[pair] = row.number
        claim = _claim_row(context, rows, row, indicator)
        if claim is not None and isinstance(target, InnovationPlan):
            target.claims.append(claim)


def _indicator(context: _Context, rows: SheetRows, row: Row, code: str, group: str) -> Indicator | None:
    prefix = "SPD" if group == IndicatorGroup.SPD else "SID"
    if not code:
        _problem(context, rows, row, "indicator", _("Kode indikator wajib diisi."))
        return None
    indicator = context.indicators.get(_indicator_code(code, prefix)) or context.indicators.get(
        code.casefold()
    )
    if indicator is None:
        _problem(
            context,
            rows,
            row,
            "indicator",
            _("Indikator «%(code)s» tidak ada di katalog %(catalogue)s.")
            % {"code": code[:30], "catalogue": context.cycle.catalogue.code},
        )
        return None
    if indicator.group != group:
        sheet = fmt.SHEET_SPD if indicator.group == IndicatorGroup.SPD else fmt.SHEET_CLAIMS
        _problem(
            context,
            rows,
            row,
            "indicator",
            _("%(code)s bukan indikator lembar ini: isi di lembar %(sheet)s.")
            % {"code": indicator.code, "sheet": sheet},
        )
        return None
    return indicator


def _row_level(context: _Context, rows: SheetRows, row: Row, indicator: Indicator, basis: str) -> int | None:
    """The row's level if its column is there (None otherwise), checked against the indicator's levels;
    -1 with a problem when it cannot be used."""
    if not rows.has("level"):
        return None
    try:
        level = _level(row.values.get("level"))
    except CellError as error:
        _problem(context, rows, row, "level", str(error))
        return -1
    if indicator.has_basis and not basis:
        return level  # _claim_row names the missing basis
    if level and level not in context.levels.get((indicator.pk, basis), set()):
        where = _("dengan dasar %(basis)s ") % {"basis": basis} if basis else ""
        _problem(
            context,
            rows,
            row,
            "level",
            _("Indikator %(code)s %(where)stidak memiliki tingkat %(level)d.")
            % {"code": indicator.code, "where": where, "level": level},
        )
        return -1
    return level


def _basis(context: _Context, rows: SheetRows, row: Row, indicator: Indicator) -> str | None:
    """The measurement basis ("" for none), None when the column is absent; raises CellError."""
    if not rows.has("basis"):
        return None
    text = _text(row.values.get("basis"))
    if not text:
        return ""
    if not indicator.has_basis:
        raise CellError(
            _("Indikator %(code)s tidak memakai dasar pengukuran: kosongkan sel ini.")
            % {"code": indicator.code}
        )
    labels = {
        str(label).casefold(): basis
        for basis, names in indicator.basis_labels.items()
        for label in names.values()
    }
    allowed = context.bases.get(indicator.pk, set())
    # "a", "a · Jumlah penerima manfaat" (as the export writes it), "a. …", or the label alone.
    letter = labels.get(text.casefold()) or (
        text[0].casefold() if len(text) == 1 or text[1] in " .·-)" else ""
    )
    if letter not in allowed:
        raise CellError(
            _("Dasar pengukuran «%(value)s» tidak dikenal indikator %(code)s: %(bases)s.")
            % {"value": text[:40], "code": indicator.code, "bases": ", ".join(sorted(allowed))}
        )
    return letter


def _claim_row(context: _Context, rows: SheetRows, row: Row, indicator: Indicator) -> ClaimPlan | None:
    problems_before = len(context.plan.problems)
    basis_read = True
    try:
        basis = _basis(context, rows, row, indicator)
    except CellError as error:
        _problem(context, rows, row, "basis", str(error))
        basis, basis_read = "", False
    level = _row_level(context, rows, row, indicator, basis or "")
    if indicator.has_basis and level and level > 0 and not basis and basis_read:
        # Without a basis the levels of SID-33 are not known: this is the one problem to name.
        _problem(context, rows, row, "basis", _("Pilih dasar pengukuran (a–f) sebelum memilih tingkat."))
    note = None
    if rows.has("note"):
        try:
            note = _text(row.values.get("note"), lines=True)
        except CellError as error:
            _problem(context, rows, row, "note", str(error))
    files, links = _evidence(context, rows, row, indicator.evidence_kinds)
    if len(context.plan.problems) > problems_before:
        return None
    return ClaimPlan(
        row=row.number,
        indicator=indicator,
        level=level,
        basis=basis if indicator.has_basis else ("" if basis is not None else None),
        note=note,
        files=files,
        links=links,
    )


def _evidence(context: _Context, rows: SheetRows, row: Row, kinds) -> tuple[list[FileRef], list[str]]:
    if not rows.has("evidence"):
        return [], []
    try:
        entries = fmt.split_entries(_text(row.values.get("evidence"), lines=True))
    except CellError as error:
        _problem(context, rows, row, "evidence", str(error))
        return [], []
    links = []
    for entry in [entry for entry in entries if _is_link(entry)]:
        if EvidenceKind.LINK not in kinds:
            _problem(context, rows, row, "evidence", _("Indikator ini meminta berkas, bukan tautan."))
            continue
        try:
            links.append(_url(entry))
        except CellError as error:
            _problem(context, rows, row, "evidence", str(error))
    file_kinds = [kind for kind in kinds if kind != EvidenceKind.LINK]
    files = _files(
        context, rows, row, "evidence", [entry for entry in entries if not _is_link(entry)], file_kinds
    )
    return files or [], list(dict.fromkeys(links))


def _existing_claims(context: _Context) -> None:
    """For the innovations that exist: their claims, urusan lain, evidence and documents (4 queries for
    all of them), to find what changes and which files are already attached."""
    plans = [
        item
        for item in context.plan.innovations
        if item.existing is not None and item.action != ACTION_LOCKED
    ]
    if not plans:
        return
    ids = [item.existing.pk for item in plans if item.existing]
    claims = {
        (claim.innovation_id, claim.indicator_id): claim
        for claim in Claim.objects.filter(innovation_id__in=ids)
    }
    files: dict[int, set[tuple[str, int]]] = defaultdict(set)
    links: dict[int, set[str]] = defaultdict(set)
    for claim_id, name, size, link in Evidence.objects.filter(claim__innovation_id__in=ids).values_list(
        "claim_id", "original_name", "size", "link"
    ):
        if link:
            links[claim_id].add(link)
        else:
            files[claim_id].add((name, size))
    documents = {
        (innovation_id, kind): (name, size)
        for innovation_id, kind, name, size in Document.objects.filter(innovation_id__in=ids).values_list(
            "innovation_id", "kind", "original_name", "size"
        )
    }
    urusan_lain: dict[int, set[int]] = defaultdict(set)
    through = Innovation.urusan_lain.through
    for innovation_id, urusan_id in through.objects.filter(innovation_id__in=ids).values_list(
        "innovation_id", "urusan_id"
    ):
        urusan_lain[innovation_id].add(urusan_id)
    for item in plans:
        assert item.existing is not None
        pk = item.existing.pk
        if item.urusan_lain is not None and {u.pk for u in item.urusan_lain} != urusan_lain[pk]:
            item.changed.append(fmt.INNOVATIONS.column("urusan_lain").header)
        elif item.urusan_lain is not None:
            item.urusan_lain = None  # as it is
        item.documents = [
            (kind, ref) for kind, ref in item.documents if documents.get((pk, kind)) != (ref.name, ref.size)
        ]
        for plan in item.claims:
            claim = claims.get((pk, plan.indicator.pk))
            plan.claim = claim
            if claim is None:
                continue
            for name, value in (("level", plan.level), ("basis", plan.basis), ("note", plan.note)):
                if value is not None and value != getattr(claim, name):
                    plan.changed.append(name)
            plan.files = [ref for ref in plan.files if (ref.name, ref.size) not in files[claim.pk]]
            plan.links = [link for link in plan.links if link not in links[claim.pk]]


def _spd_rows(context: _Context, rows: SheetRows) -> None:
    if not rows.present or not rows.rows:
        return
    if not context.actor.admin:
        for row in rows.rows:
            _problem(context, rows, row, "", _("Data SPD diisi oleh admin Bappeda: kosongkan lembar SPD."))
        return
    spd_entries = {
        entry.indicator_id: entry
        for entry in SpdEntry.objects.filter(cycle=context.cycle).prefetch_related(
            Prefetch("evidence", queryset=SpdEvidence.objects.only("entry_id", "original_name", "size"))
        )
    }
    seen: dict[int, int] = {}
    for row in rows.rows:
        problems_before = len(context.plan.problems)
        try:
            code = _text(row.values.get("indicator"))
        except CellError as error:
            _problem(context, rows, row, "indicator", str(error))
            continue
        indicator = _indicator(context, rows, row, code, IndicatorGroup.SPD)
        if indicator is None:
            continue
        if indicator.pk in seen:
            _problem(
                context,
                rows,
                row,
                "indicator",
                _("Indikator %(code)s juga ada di baris %(row)d.")
                % {"code": indicator.code, "row": seen[indicator.pk]},
            )
            continue
        seen[indicator.pk] = row.number
        level = _row_level(context, rows, row, indicator, "")
        note = None
        if rows.has("note"):
            try:
                note = _text(row.values.get("note"), lines=True)
            except CellError as error:
                _problem(context, rows, row, "note", str(error))
        files: list[FileRef] = []
        if rows.has("evidence"):
            try:
                cell = fmt.split_entries(_text(row.values.get("evidence"), lines=True))
            except CellError as error:
                _problem(context, rows, row, "evidence", str(error))
                cell = []
            if any(_is_link(entry) for entry in cell):
                _problem(context, rows, row, "evidence", _("Bukti SPD berupa berkas, bukan tautan."))
            named = [entry for entry in cell if not _is_link(entry)]
            files = _files(context, rows, row, "evidence", named, SPD_EVIDENCE_KINDS) or []
        if len(context.plan.problems) > problems_before:
            continue
        entry = spd_entries.get(indicator.pk)
        item = SpdPlan(row=row.number, indicator=indicator, entry=entry, level=level, note=note)
        attached = (
            {(evidence.original_name, evidence.size) for evidence in entry.evidence.all()} if entry else set()
        )
        item.files = [ref for ref in files if (ref.name, ref.size) not in attached]
        for name, value in (("level", level), ("note", note)):
            if value is not None and (entry is None or value != getattr(entry, name)):
                item.changed.append(name)
        context.plan.spd.append(item)

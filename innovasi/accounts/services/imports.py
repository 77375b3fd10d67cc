"""Imports of a region's OPDs (name, short name, kind) and users (name, e-mail, role, OPD short name and,
optionally, affiliation) from a workbook or CSV file (read by ``innovasi.tables``).

Every row is checked first, with the same rules as the admin's forms (``people.opd_problems``,
``people.user_problems``) plus the file's own (a short name or an address twice in the file). The
preview lists every row: new, changed (old and new values), unchanged, or bad with each of its reasons.
Nothing is written until the admin confirms a preview without a bad row; the confirmation carries the
rows as they were read, signed (``plan_sign``), and the import checks them again in its transaction (the
region may have changed since) and writes all of them or none. Importing a file again updates the rows
it names (OPDs by short name, users by e-mail) and duplicates nothing.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innovasi.errors import PortalError
from innovasi.tables import TableRow

from ..enums import OpdKind, Role
from ..models import Opd, Region, User
from .people import (
    LINK_INVITATION,
    account_new,
    clashing_accounts,
    clean_text,
    history_save,
    link_send,
    opd_problems,
    opd_required,
    opds_by_name_and_short,
    rule_require,
    user_problems,
)

KIND_OPD, KIND_USER = "opd", "user"
OPD_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Nama", "Nama OPD", "Name"),
    "short_name": ("Nama singkat", "Singkatan", "Short name"),
    "kind": ("Jenis", "Jenis OPD", "Kind"),
}
USER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Nama", "Nama lengkap", "Name"),
    "email": ("Surel", "Email", "E-mail", "Alamat surel"),
    "role": ("Peran", "Role"),
    "opd": ("OPD", "Nama singkat OPD", "OPD short name"),
    "affiliation": ("Afiliasi", "Instansi", "Affiliation"),
}
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {KIND_OPD: OPD_COLUMNS, KIND_USER: USER_COLUMNS}
# Columns a file may leave out. An empty affiliation keeps the account's own: a file without one (or an
# older file) never wipes what was typed on the user's page.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {KIND_OPD: (), KIND_USER: ("affiliation",)}
ACTION_NEW, ACTION_CHANGE, ACTION_SAME = "baru", "ubah", "tetap"
# A preview is confirmed within this many seconds, or read again.
PLAN_MAX_AGE = 3600


@dataclass(frozen=True)
class RowCheck:
    number: int
    values: Mapping[str, str]
    action: str = ACTION_NEW
    changes: tuple[tuple[str, str, str], ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPlan:
    kind: str
    rows: tuple[RowCheck, ...]

    @property
    def bad(self) -> list[RowCheck]:
        return [row for row in self.rows if row.problems]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.bad

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.problems)

    @property
    def count_new(self) -> int:
        return self.count(ACTION_NEW)

    @property
    def count_changed(self) -> int:
        return self.count(ACTION_CHANGE)

    @property
    def count_same(self) -> int:
        return self.count(ACTION_SAME)


class ImportRefused(PortalError):
    """The rows have a problem (found again when the import was confirmed): nothing was imported."""

    def __init__(self, plan: ImportPlan):
        bad = len(plan.bad)
        super().__init__(
            ngettext(
                "%(count)d baris bermasalah: tidak ada yang diimpor.",
                "%(count)d baris bermasalah: tidak ada yang diimpor.",
                bad,
            )
            % {"count": bad}
        )
        self.plan = plan


def _choice(text: str, choices, aliases: Mapping[str, str] | None = None) -> str:
    """The value of a choice typed as its value, its label or a part of a label written "A/B" (any
    case); the text itself when it is none of them (the check then names it)."""
    wanted = text.casefold()
    for value, label in choices:
        spellings = {
            str(value).casefold(),
            str(label).casefold(),
            *(part.strip().casefold() for part in str(label).split("/")),
        }
        if wanted in spellings:
            return value
    return (aliases or {}).get(wanted, text)


def _duplicates(
    rows: Sequence[TableRow], key: Callable[[TableRow], str], message: str
) -> dict[int, list[str]]:
    """A problem for every row whose ``key`` another row of the file has too, naming those rows."""
    numbers = defaultdict(list)
    for row in rows:
        if key(row):
            numbers[key(row).casefold()].append(row.number)
    problems: dict[int, list[str]] = defaultdict(list)
    for same in numbers.values():
        for number in same if len(same) > 1 else ():
            others = ", ".join(str(other) for other in same if other != number)
            problems[number].append(message % {"rows": others})
    return problems


def _opd_values(row: TableRow) -> dict[str, str]:
    values = {key: clean_text(row.values.get(key, "")) for key in OPD_COLUMNS}
    values["kind"] = _choice(
        values["kind"], OpdKind.choices, {"desa": OpdKind.KELURAHAN, "bagian": OpdKind.SEKRETARIAT}
    )
    return values


def _nul_problems(row: TableRow) -> list[str]:
    if any("\x00" in value for value in row.values.values()):
        return [_("Baris ini memuat karakter yang tidak diizinkan.")]
    return []


def opds_check(*, region: Region, rows: Sequence[TableRow]) -> ImportPlan:
    """Each row as an OPD of ``region``: new, changed (found by its short name) or unchanged, or bad with
    its reasons (2 queries)."""
    by_name, by_short = opds_by_name_and_short(region.pk)
    in_file = _duplicates(
        rows,
        lambda row: clean_text(row.values.get("short_name", "")),
        _("Nama singkat ini juga ada di baris %(rows)s."),
    )
    for number, problems in _duplicates(
        rows, lambda row: clean_text(row.values.get("name", "")), _("Nama ini juga ada di baris %(rows)s.")
    ).items():
        in_file[number].extend(problems)
    labels = {"name": _("Nama"), "kind": _("Jenis")}
    checked = []
    for row in rows:
        values = _opd_values(row)
        current = by_short.get(values["short_name"].casefold())
        problems = [
            *_nul_problems(row),
            *opd_problems(**values, by_name=by_name, by_short=by_short, current=current),
            *in_file.get(row.number, []),
        ]
        changes = tuple(
            (labels[field], _opd_display(field, getattr(current, field)), _opd_display(field, values[field]))
            for field in ("name", "kind")
            if current is not None and getattr(current, field) != values[field]
        )
        action = ACTION_NEW if current is None else ACTION_CHANGE if changes else ACTION_SAME
        checked.append(
            RowCheck(row.number, dict(row.values), action, changes, tuple(dict.fromkeys(problems)))
        )
    return ImportPlan(KIND_OPD, tuple(checked))


def _opd_display(field, value):
    return str(OpdKind(value).label) if field == "kind" and value in OpdKind.values else value


@transaction.atomic
def opds_import(*, region: Region, rows: Sequence[TableRow], by: User | None) -> ImportPlan:
    """Create and update the OPDs of the rows, all or none: checked again here, and refused with
    ImportRefused (nothing written) when any row is bad. Each change is in the OPD's history."""
    rule_require(by, "accounts.add_opd", region)
    rule_require(by, "accounts.change_opd", region)
    Region.objects.select_for_update().get(pk=region.pk)  # one import or OPD form of a region at a time
    plan = opds_check(region=region, rows=rows)
    if not plan.ok:
        raise ImportRefused(plan)
    _by_name, by_short = opds_by_name_and_short(region.pk)
    for row in rows:
        values = _opd_values(row)
        current = by_short.get(values["short_name"].casefold())
        if current is None:
            history_save(Opd(region=region, **values), by)
            continue
        changed = [field for field in ("name", "kind") if getattr(current, field) != values[field]]
        for field in changed:
            setattr(current, field, values[field])
        if changed:
            history_save(current, by, changed)
    return plan


def _user_values(row: TableRow) -> dict[str, str]:
    values = {key: clean_text(row.values.get(key, "")) for key in USER_COLUMNS}
    values["email"] = values["email"].lower()
    values["role"] = _choice(
        values["role"],
        Role.choices,
        {"admin bappeda": Role.ADMIN, "bupati": Role.PIMPINAN, "kepala dinas": Role.KEPALA_OPD},
    )
    return values


@dataclass(frozen=True)
class _UserRow:
    values: dict[str, str]
    opd: Opd | None
    current: User | None
    problems: list[str]


def _user_rows(*, region: Region, rows: Sequence[TableRow], by: User | None) -> list[_UserRow]:
    opds = list(Opd.objects.filter(region=region))
    opds_by_key = {opd.name.casefold(): opd for opd in opds} | {
        opd.short_name.casefold(): opd for opd in opds if opd.short_name
    }
    all_values = [_user_values(row) for row in rows]
    accounts = clashing_accounts([values["email"] for values in all_values])
    own = {account.email.lower(): account for account in accounts if account.region_id == region.pk}
    in_file = _duplicates(
        rows, lambda row: clean_text(row.values.get("email", "")), _("Surel ini juga ada di baris %(rows)s.")
    )
    checked = []
    for row, values in zip(rows, all_values, strict=True):
        opd = opds_by_key.get(values["opd"].casefold()) if values["opd"] else None
        current = own.get(values["email"])
        problems = [*_nul_problems(row)]
        if values["opd"] and opd is None:
            problems.append(
                _("OPD «%(opd)s» tidak ada di wilayah ini: tulis nama singkat OPD seperti di daftar OPD.")
                % {"opd": values["opd"]}
            )
        problems += user_problems(
            name=values["name"],
            email=values["email"],
            role=values["role"],
            opd=opd,
            region_id=region.pk,
            accounts=accounts,
            affiliation=values["affiliation"],
            current=current,
            by=by,
        )
        if values["opd"] and opd is None:
            # The OPD's own message says it better than "an operator needs an OPD".
            problems = [problem for problem in problems if problem != opd_required(values["role"])]
        checked.append(
            _UserRow(values, opd, current, [*dict.fromkeys(problems), *in_file.get(row.number, [])])
        )
    return checked


def _user_changes(current: User, values, opd) -> tuple[tuple[str, str, str], ...]:
    changes = []
    if values["name"] != current.get_full_name():
        changes.append((_("Nama"), current.get_full_name(), values["name"]))
    if values["role"] != current.role:
        role = values["role"]
        changes.append(
            (_("Peran"), current.get_role_display(), str(Role(role).label) if role in Role.values else role)
        )
    if (opd.pk if opd else None) != current.opd_id:
        changes.append((_("OPD"), str(current.opd or ""), str(opd or "")))
    if values["affiliation"] and values["affiliation"] != current.affiliation:
        changes.append((_("Afiliasi"), current.affiliation, values["affiliation"]))
    return tuple(changes)


def users_check(*, region: Region, rows: Sequence[TableRow], by: User | None) -> ImportPlan:
    """Each row as an account of ``region``: new (to be invited), changed (found by its e-mail) or
    unchanged, or bad with its reasons (3 queries)."""
    checked = []
    for row, user_row in zip(rows, _user_rows(region=region, rows=rows, by=by), strict=True):
        current, problems = user_row.current, tuple(user_row.problems)
        changes = _user_changes(current, user_row.values, user_row.opd) if current else ()
        action = ACTION_NEW if current is None else ACTION_CHANGE if changes else ACTION_SAME
        checked.append(RowCheck(row.number, dict(row.values), action, changes, problems))
    return ImportPlan(KIND_USER, tuple(checked))


@transaction.atomic
def users_import(*, region: Region, rows: Sequence[TableRow], by: User | None, base_url: str) -> ImportPlan:
    """Create the new accounts (each invited by e-mail after commit) and update the changed ones, all or
    none: checked again here, and refused with ImportRefused (nothing written, nobody invited) when any
    row is bad. Each change is in the account's history."""
    rule_require(by, "accounts.add_user", region)
    Region.objects.select_for_update().get(pk=region.pk)
    plan = users_check(region=region, rows=rows, by=by)
    if not plan.ok:
        raise ImportRefused(plan)
    for user_row in _user_rows(region=region, rows=rows, by=by):
        values, opd, current = user_row.values, user_row.opd, user_row.current
        if current is None:
            fields = {
                "first_name": values["name"],
                "email": values["email"],
                "role": values["role"],
                "opd": opd,
                "affiliation": values["affiliation"],
            }
            link_send(account_new(region=region, values=fields, by=by), LINK_INVITATION, base_url)
            continue
        if not _user_changes(current, values, opd):
            continue
        changed = ["role", "opd"]
        if values["name"] != current.get_full_name():
            current.first_name, current.last_name = values["name"], ""
            changed += ["first_name", "last_name"]
        if values["affiliation"]:
            current.affiliation = values["affiliation"]
            changed.append("affiliation")
        current.role, current.opd = values["role"], opd
        history_save(current, by, changed)
    return plan


def plan_sign(plan: ImportPlan, *, rows: Sequence[TableRow], region: Region, by: User) -> str:
    """The rows of a clean preview as the confirmation carries them: signed for this admin, region and
    kind of import, so that no other rows can be slipped in."""
    payload = {"rows": [[row.number, dict(row.values)] for row in rows]}
    return signing.dumps(payload, salt=_salt(plan.kind, region, by), compress=True)


def plan_rows(token: str, *, kind: str, region: Region, by: User) -> list[TableRow]:
    """The rows signed by ``plan_sign``; PortalError when the signature is wrong or older than an hour."""
    try:
        payload: dict = signing.loads(token, salt=_salt(kind, region, by), max_age=PLAN_MAX_AGE)
        return [
            TableRow(number=int(number), values={key: str(values.get(key, "")) for key in COLUMNS[kind]})
            for number, values in payload["rows"]
        ]
    except signing.SignatureExpired:
        raise PortalError(_("Pratinjau ini sudah lebih dari satu jam. Unggah berkasnya lagi.")) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        raise PortalError(_("Pratinjau ini tidak dapat dibaca. Unggah berkasnya lagi.")) from None


def _salt(kind, region, by):
    return f"innovasi.accounts.imports.{kind}.{region.pk}.{by.pk}"

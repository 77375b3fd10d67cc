"""Hostile ids and parameters: every URL of the portal, as seven personas, by GET and POST, with odd values in
its path and in every parameter its view reads, answers 2xx, 3xx, 400, 403, 404 or 405 — never a server
error, never an exception.

Which parameters a view reads is recorded, not listed by hand: a last middleware (``ReadsRecorder``)
hands the view request.GET and request.POST as dicts that note every key asked for, the forms' fields
with their prefixes included. Each URL is first asked with valid data (``_valid``: the objects of the
permission matrix's world and the forms' own initial values, so that the services behind the forms are
reached) as each persona; then every key a persona's request read is given each hostile value, the other
keys kept valid, and every path parameter each value its converter lets through.

The API's URLs are fuzzed the same way, each persona sending its API token (as in the permission matrix):
a refused token is a 401, a bad id or parameter a 400 or 404, each with a JSON message.

Kept fast: each (key, value) pair and each path value is sent once, by the
personas who read that key in turn (what they may reach is the matrix's business; what a view does with
a value once reached is the same code); a key whose valid value is a text that is no number gets only the
values that can hurt a text (``TEXT_VALUES``). Every request runs in a savepoint rolled back afterwards,
against the matrix's world built once for the module.
"""

import contextlib
import copy
import datetime
import itertools
import re
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.template.base import Template
from django.test import Client, override_settings
from django.test.utils import _TestState
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from innovasi.accounts.forms import RegionSettingsForm
from innovasi.accounts.models import Region
from innovasi.accounts.services import imports, people
from innovasi.standards.forms import CycleUpdateForm
from innovasi.standards.models import SCHEDULE_FIELDS, Catalogue, Urusan
from innovasi.tables import TableRow
from reports.enums import ReportKind
from scoring.forms import SchemeSettingsForm, SpdEntryForm, VerdictForm
from scoring.models import AwardScheme, SpdEntry
from submissions.enums import Tematik
from submissions.forms import ClaimForm, InnovationProfileForm
from submissions.models import Claim, Innovation

from .test_permission_matrix import EXPECTED, _build

pytestmark = pytest.mark.django_db

# nadm, the nation's admin, reads the ranking and the regions below with every filter (the province one too).
PERSONAS = ["anon", "opA", "kep", "ver", "adm", "pim", "jur", "nadm"]

HUGE = "99999999999999999999"  # past 2**64: no database integer holds it
LONG = "x" * 5000
NUL = "1\x00"  # PostgreSQL refuses a NUL in any string
HOSTILE = "../abc' OR 1=1 -- 漢é"
TEXT_VALUES = ["", LONG, NUL, HOSTILE, ["a", "b"]]
PARAM_VALUES = [
    *TEXT_VALUES[:-1],
    "-1",
    "1.5",
    HUGE,
    "²",  # a digit to str.isdigit() but not to int()
    ["1", "2"],  # ?opd=1&opd=2
]
NUMBER = re.compile(r"-?\d+(\.\d+)?")
PATH_INT = ["0", HUGE]
PATH_STR = ["0", "\x00", "..", "' OR 1=1", LONG, "²漢é"]
PATH_UUID = ["00000000-0000-0000-0000-000000000000"]
PLACEHOLDER = {IntConverter: "86420864208642", UUIDConverter: "12345678-9abc-4def-8123-456789abcdef"}
# 401: the API's answer to a request without a valid token.
ANSWERS = {*range(200, 400), 400, 401, 403, 404, 405}


class _Reads(QueryDict):
    """A QueryDict noting every key asked for (by the view, its forms, its templates)."""

    reads = None

    @classmethod
    def of(cls, original, reads):
        recording = cls(mutable=True, encoding=original.encoding)
        for key, values in original.lists():
            recording.setlist(key, values)
        recording._mutable = False
        recording.reads = reads
        return recording

    def _note(self, key):
        if self.reads is not None:
            self.reads.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __deepcopy__(self, memo):
        duplicate = super().__deepcopy__(memo)
        duplicate.reads = self.reads
        return duplicate


class ReadsRecorder:
    """The last middleware: the view reads request.GET and request.POST through ``_Reads``; the keys it
    read are left on ``request.fuzz_reads``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.fuzz_reads = {"GET": set(), "POST": set()}
        request.GET = _Reads.of(request.GET, request.fuzz_reads["GET"])
        request.POST = _Reads.of(request.POST, request.fuzz_reads["POST"])
        return self.get_response(request)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission matrix's world, with a logged-in client per persona and valid data per URL, built
    once for the module inside a transaction rolled back at its end."""
    recording = override_settings(
        MIDDLEWARE=[*settings.MIDDLEWARE, f"{__name__}.ReadsRecorder"],
        # Log-in and password forms check a password on every request: Argon2 would take most of the time.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # The fuzz sends hundreds of API requests a minute per persona: counted, never refused.
        API_RATE_LIMIT_PER_TOKEN=10**9,
        API_RATE_LIMIT_PER_CLIENT=10**9,
    )
    with django_db_blocker.unblock(), recording, _templates_unrecorded():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = _build()
            # A region that may issue certificates: the issuing form's parameters are read, not refused.
            Region.objects.filter(pk=world["users"]["adm"].region_id).update(
                signatory_name="Dr. Uji", signatory_title="Bupati Uji"
            )
            world["clients"] = _clients(world["users"], world["bearers"])
            world["valid"] = _valid(world)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@contextlib.contextmanager
def _templates_unrecorded():
    """Templates rendered as outside tests: the test client otherwise keeps every template rendered with
    a copy of its context (for response.context), a fifth of the time of a page, and the fuzz reads none."""
    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    try:
        yield
    finally:
        Template._render = instrumented


def _clients(users, bearers):
    """(client, its cookies) per persona: the cookies are put back before each request, so that a log-out
    or a language switch does not carry over to the next one. Every request carries the persona's API
    token, as in the permission matrix."""
    clients = {}
    for persona in PERSONAS:
        client = Client(**bearers.get(persona, {}))
        if persona != "anon":
            client.force_login(users[persona])
        clients[persona] = (client, copy.deepcopy(client.cookies))
    return clients


def _form_data(form):
    """What a browser sends for ``form`` as the page shows it: every field with its initial value."""
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        data[field.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def _valid(world):
    """Valid (query, form data) to start from, per URL name (default: none); each key the view reads is
    then given hostile values, one at a time. Several starts where a value picks the branch."""
    kwargs, users = world["kwargs"], world["users"]
    draft = Innovation.objects.get(pk=kwargs["draft"]["pk"])
    claim = Claim.objects.get(pk=kwargs["claim"]["claim_pk"])
    verdict_claim = Claim.objects.get(pk=kwargs["verdict"]["claim_pk"])
    entry = SpdEntry.objects.get(pk=kwargs["entry"]["pk"])
    scheme = AwardScheme.objects.get(pk=kwargs["scheme"]["pk"])
    criteria, categories = list(scheme.criteria.all()), list(scheme.categories.all())
    verified, cycle = kwargs["verified"]["pk"], draft.cycle_id
    operator = users["opA"]
    password = {"new_password1": "Kata-Sandi-Baru-2026", "new_password2": "Kata-Sandi-Baru-2026"}
    # Every field of the profile filled: each hostile value then meets a form that is otherwise valid.
    profile = {
        "tematik": Tematik.NON_TEMATIK,
        "waktu_pengembangan": "2025-01-15",
        "video_url": "https://youtu.be/uji",
        "urusan_lain": [str(Urusan.objects.exclude(pk=draft.urusan_utama_id).first().pk)],
    }
    verdict = _form_data(VerdictForm(claim=verdict_claim, prefix=f"v{verdict_claim.pk}"))
    admin, opd = users["adm"], draft.opd
    opd_rows = [TableRow(2, {"name": "Dinas Baru", "short_name": "Baru", "kind": "dinas"})]
    user_rows = [TableRow(2, {"name": "Baru", "email": "baru@example.org", "role": "juri", "opd": ""})]
    opd_plan = imports.opds_check(region=admin.region, rows=opd_rows)
    user_plan = imports.users_check(region=admin.region, rows=user_rows, by=admin)
    the_cycle = world["cycle"]
    schedule = {name: getattr(the_cycle, name).isoformat() for name in SCHEDULE_FIELDS}
    gallery_query = {
        "q": "Sekolah",
        "urusan": "kesehatan",
        "opd": str(draft.opd_id),
        "jenis": "digital",
        "bentuk": "pelayanan_publik",
        "tahun": str(the_cycle.catalogue.year),
        "halaman": "1",
        "per_halaman": "25",
    }
    return {
        "accounts:region_setup": [({}, {"name": "Kota Baru", "kind": "kota", "code": "35.79"})],
        "accounts:opd_create": [({}, {"name": "Dinas Baru", "short_name": "Baru", "kind": "dinas"})],
        "accounts:opd_detail": [
            (
                {},
                {
                    "name": opd.name,
                    "short_name": opd.short_name,
                    "kind": opd.kind,
                    "seen": people.fingerprint(opd, people.OPD_FIELDS),
                },
            )
        ],
        "accounts:opd_active": [({}, {"aktif": "1"})],
        "accounts:opd_import": [
            ({}, {"plan": imports.plan_sign(opd_plan, rows=opd_rows, region=admin.region, by=admin)})
        ],
        "accounts:user_invite": [
            ({}, {"name": "Baru", "email": "baru@example.org", "role": "operator", "opd": str(opd.pk)})
        ],
        "accounts:user_detail": [
            (
                {},
                {
                    "name": "Operator A",
                    "email": operator.email,
                    "role": "operator",
                    "opd": str(opd.pk),
                    "seen": people.fingerprint(operator, people.USER_FIELDS),
                },
            )
        ],
        "accounts:user_active": [({}, {"aktif": "1"})],
        "accounts:user_import": [
            ({}, {"plan": imports.plan_sign(user_plan, rows=user_rows, region=admin.region, by=admin)})
        ],
        "accounts:invitation": [({}, password)],
        "standards:cycle_create": [
            (
                {},
                {"catalogue": str(Catalogue.objects.get(code="iid-2023").pk), "name": "IID 2023", **schedule},
            )
        ],
        "standards:cycle_edit": [({}, _form_data(CycleUpdateForm(cycle=the_cycle)))],
        "standards:cycle_transition": [
            (
                {"ke": "verification"},
                {"to_state": "verification", "note": "", "version": str(the_cycle.version)},
            ),
            (
                {"ke": "draft"},
                {"to_state": "draft", "note": "Jadwal belum pasti", "version": str(the_cycle.version)},
            ),
        ],
        "standards:extension_save": [
            (
                {},
                {
                    "ext-opd": str(draft.opd_id),
                    "ext-kind": "revision",
                    "ext-closes_on": (the_cycle.revision_closes_on + datetime.timedelta(days=3)).isoformat(),
                    "ext-reason": "Operator sakit",
                },
            )
        ],
        "set_language": [({}, world["posts"]["set_language"])],
        "accounts:login": [({"next": "/inovasi/"}, {"username": operator.username, "password": "salah"})],
        "accounts:password_change": [({}, {"old_password": "salah", **password})],
        "accounts:password_reset": [({}, {"email": operator.email})],
        "accounts:password_reset_confirm": [({}, password)],
        "submissions:create": [({}, {"name": "Inovasi Baru"})],
        "submissions:copy": [({}, {"source": str(draft.pk), "change_note": "Diperluas"})],
        "submissions:edit": [({}, {**_form_data(InnovationProfileForm(instance=draft)), **profile})],
        "submissions:claim_save": [({}, _form_data(ClaimForm(claim=claim, prefix=f"c{claim.pk}")))],
        "submissions:evidence_add": [({}, {f"l{claim.pk}-link": "https://youtu.be/uji"})],
        "submissions:publish": [({}, {"published": "1"})],
        "scoring:assignments": [
            ({}, {"innovations": [str(kwargs["submitted"]["pk"])], "verifikator": str(users["ver2"].pk)})
        ],
        "scoring:reassign": [({}, {"verifikator": str(users["ver2"].pk)})],
        "scoring:verdict_save": [({}, {**verdict, f"v{verdict_claim.pk}-verdict": "sesuai"})],
        "scoring:verify_finish": [({}, {"action": "return", "note": "Lengkapi bukti"})],
        "scoring:spd_save": [({}, _form_data(SpdEntryForm(entry=entry, prefix=f"s{entry.pk}")))],
        "scoring:awards": [({}, {"preset": "presentasi"})],
        "scoring:award_settings": [
            (
                {},
                {
                    **_form_data(SchemeSettingsForm(instance=scheme)),
                    "criterion_id": [str(c.pk) for c in criteria],
                    "criterion_name": [c.name for c in criteria],
                    "criterion_weight": [str(c.weight) for c in criteria],
                    "category_id": [str(c.pk) for c in categories],
                    "category_name": [c.name for c in categories],
                },
            )
        ],
        "scoring:award_nominate": [({}, {"category": str(categories[0].pk), "innovation": str(verified)})],
        "scoring:award_jury_assign": [
            ({}, {"category": str(categories[0].pk), "juror": str(users["jur"].pk)})
        ],
        "scoring:award_conflicts_change": [({}, {"opds": [str(draft.opd_id)], "reason": "Salah centang"})],
        "scoring:jury_declare": [({}, {"opds": [], "note": "", "no_conflict": "on"})],
        "scoring:jury_score": [
            ({}, {**{f"c{c.pk}": str(scheme.scale_min) for c in criteria}, "comment": "Baik"})
        ],
        "reports:ranking": [
            (
                {
                    "katalog": "iid-2026",
                    "jenis": "kabupaten",
                    "kategori": "belum",
                    "provinsi": str(world["regions"]["province"].pk),
                    "urut": "nama",
                    "arah": "naik",
                },
                {},
            )
        ],
        "reports:region_dashboard": [({"katalog": "iid-2026"}, {})],
        "reports:request": [
            ({}, {"kind": ReportKind.CYCLE_PDF, "cycle": str(cycle)}),
            ({}, {"kind": ReportKind.WORKBOOK_XLSX, "cycle": str(cycle)}),
            ({}, {"kind": ReportKind.WORKBOOK_ZIP, "cycle": str(cycle)}),
            (
                {},
                {
                    "kind": ReportKind.RANKING_XLSX,
                    "katalog": "iid-2026",
                    "jenis": "kabupaten",
                    "provinsi": str(world["regions"]["province"].pk),
                    "urut": "iid",
                    "arah": "turun",
                },
            ),
            ({}, {"kind": ReportKind.INNOVATION_PDF, "innovation": str(verified)}),
            ({}, {"kind": ReportKind.CERTIFICATES_PDF, "cycle": str(cycle)}),
            ({}, {"kind": ReportKind.AWARD_PDF, "scheme": str(scheme.pk)}),
            ({}, {"kind": ReportKind.AWARD_CERTIFICATES_PDF, "scheme": str(scheme.pk)}),
            (
                {},
                {
                    "kind": ReportKind.CERTIFICATE_PREVIEW_PDF,
                    "cycle": str(cycle),
                    "pilih": "pilihan",
                    "innovation": [str(verified)],
                },
            ),
        ],
        "reports:national_package_build": [({}, {"opd": str(opd.pk)}), ({}, {})],
        "accounts:region_settings": [({}, _form_data(RegionSettingsForm(instance=users["adm"].region)))],
        # The API's filters and paging, each then given every hostile value.
        "api:regions": [({"halaman": "1", "per_halaman": "25"}, {})],
        "api:region_cycles": [({"halaman": "1", "per_halaman": "25"}, {})],
        "api:cycle_innovations": [
            (
                {
                    "status": "diajukan",
                    "opd": str(draft.opd_id),
                    "q": "a",
                    "halaman": "1",
                    "per_halaman": "25",
                },
                {},
            )
        ],
        "api:gallery": [(gallery_query, {})],
        "api:gallery_csv": [(gallery_query, {})],
        "reports:certificates_issue": [
            ({}, {"pilih": "pilihan", "innovation": [str(verified)], "confirmed": "1"}),
            ({}, {"pilih": "semua"}),
        ],
    }


def _routes(patterns=None, namespace=None, converters=None):
    """(name, converters of its path parameters) of every named URL but the Django admin's."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        found = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _routes(pattern.url_patterns, pattern.namespace or namespace, found)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), found


ROUTES = dict(_routes())
CASES = sorted({(name, variant) for name, variant, _method in EXPECTED})


def _ask(world, persona, method, path, query, data):
    """The answer to one request (rolled back), or the exception it raised."""
    client, cookies = world["clients"][persona]
    client.cookies = copy.deepcopy(cookies)
    url = f"{path}?{urlencode(query, doseq=True)}" if query else path
    try:
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, data)
            transaction.set_rollback(True)
    except Exception as error:  # every one is reported, not just the first
        return None, f"{type(error).__name__}: {str(error)[:150]}"
    return response, None


def _fuzz(world, name, variant, method, *, paths):
    """Send every request of the fuzz for one URL and method; the ones that answered outside ``ANSWERS``
    or raised, described."""
    kwargs = world["kwargs"][variant]
    path = reverse(name, kwargs=kwargs)
    starts = world["valid"].get(name, [({}, {})])
    failures = []

    def send(persona, target, query, data, what):
        response, error = _ask(world, persona, method, target, query, data)
        if error or response.status_code not in ANSWERS:
            failures.append(f"{method} {target[:80]} as {persona}, {what}: {error or response.status_code}")
        return response

    # Valid data first, as every persona: who gets past the permission check, and what they read.
    admitted, readers = [], {}
    for persona in PERSONAS:
        for number, (query, data) in enumerate(starts):
            response = send(persona, path, query, data, f"valid data {number}")
            if response is None:
                continue
            if number == 0 and response.status_code != 405 and not _to_login(response):
                admitted.append(persona)
            for source, keys in getattr(response.wsgi_request, "fuzz_reads", {}).items():
                for key in keys:
                    readers.setdefault((number, source, key), []).append(persona)

    # Each key read, each hostile value, the rest as it was; each pair once, by its readers in turn, in
    # the first valid data whose request read the key.
    fuzzed = set()
    for (number, source, key), personas in sorted(readers.items()):
        if (source, key) in fuzzed:
            continue
        fuzzed.add((source, key))
        query, data = starts[number]
        given = query if source == "GET" else data
        for value, persona in zip(_values_for(given.get(key)), itertools.cycle(personas), strict=False):
            hostile = {**given, key: _in_place_of(given.get(key), value)}
            sent_query, sent_data = (hostile, data) if source == "GET" else (query, hostile)
            send(persona, path, sent_query, sent_data, f"{key}={_short(value)}")

    # Each path parameter, each value its converter might let through, by the admitted in turn.
    for parameter, converter in ROUTES[name].items() if paths and admitted else ():
        for value, persona in zip(_path_values(converter), itertools.cycle(admitted), strict=False):
            target = _path_with(name, kwargs, parameter, converter, value)
            send(persona, target, *starts[0], f"<{parameter}>={_short(value)}")
    return failures


def _values_for(valid):
    """The hostile values for a key whose valid value is ``valid``: a text that is no number (a name, a
    choice, a date) is never read as one, so it gets only the values that can hurt a text."""
    items = valid if isinstance(valid, list) else [valid]
    if items and all(isinstance(item, str) and item and not NUMBER.fullmatch(item) for item in items):
        return TEXT_VALUES
    return PARAM_VALUES


def _in_place_of(valid, value):
    """``value`` where ``valid`` was: in each item of a list (the rows of a table keep their number)."""
    if isinstance(valid, list) and valid and not isinstance(value, list):
        return [value] * len(valid)
    return value


def _path_values(converter):
    if isinstance(converter, IntConverter):
        return PATH_INT
    if isinstance(converter, UUIDConverter):
        return PATH_UUID
    return PATH_STR


def _path_with(name, kwargs, parameter, converter, value):
    """The URL of ``name`` with ``value`` (percent-encoded) as its ``parameter``: reversed with a
    placeholder the converter accepts, so that values it would refuse to reverse are sent too."""
    placeholder = PLACEHOLDER.get(type(converter), "fuzzplaceholder")
    path = reverse(name, kwargs={**kwargs, parameter: placeholder})
    return path.replace(placeholder, quote(value, safe=""))


def _to_login(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def _short(value):
    return repr(value if len(value) < 30 else f"{value[:10]}…({len(value)})")


def test_every_url_is_fuzzed():
    assert set(ROUTES) == {name for name, _variant in CASES}


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_fuzz_answers_no_server_error(world, name, variant):
    first_variant = variant == min(v for n, v in CASES if n == name)

    failures = [
        failure
        for method in ("GET", "POST")
        for failure in _fuzz(world, name, variant, method, paths=first_variant)
    ]

    assert failures == [], "\n".join(failures)

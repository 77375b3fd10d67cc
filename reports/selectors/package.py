"""Reads of the national upload package: which innovations go in, what their profile says in the national
form's order and wording, and the name of every folder and file (docs/reports.md, "The national upload
package").

Names are made here and nowhere else, so that the ZIP, its index sheet and the profile PDFs agree:

* a **short title** (``short_title``) is a text transliterated to ASCII (accents dropped, other
  characters left out), lowercased, each run of characters other than a–z and 0–9 made one hyphen,
  without a hyphen at either end, and cut to at most ``SHORT_TITLE_LENGTH`` characters at the last
  hyphen within them (hard at the limit when the first word alone is longer); a fallback word when
  nothing is left;
* an evidence file is ``<indicator>-<n>-<short title of its file name>.<its sniffed kind>``, ``n``
  counting the claim's files in upload order from 1: ``SID-16-1-sk-bupati-2025.pdf``;
* every name is unique inside its folder, compared ignoring case (``unique_name``): ``<indicator>-<n>``
  already tells evidence files apart, and should two names still meet, the later gets ``-2``, ``-3``…
  before its extension.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.db.models.fields.files import FieldFile
from django.utils import formats, translation

from innovasi.accounts.models import Opd, Region
from innovasi.standards.models import Cycle, Indicator, Option
from scoring import engine
from scoring.enums import SnapshotKind
from scoring.models import SpdEntry, SpdEvidence
from scoring.selectors import index as index_selectors
from scoring.selectors import inputs
from submissions.enums import OPD_ONLY_STATES, DocumentKind
from submissions.models import Claim, Document, Evidence, Innovation

from ..enums import ReportKind
from ..models import GeneratedReport

SHORT_TITLE_LENGTH = 40
PROFILE_FILE = "profil-inovasi.pdf"
SPD_FOLDER = "SPD"
SPD_FILE = "data-spd.pdf"
INDEX_FILE = "indeks.xlsx"
# A supporting document of the profile is named after its kind: ``anggaran-rab-2026.pdf``.
DOCUMENT_PREFIX: dict[str, str] = {
    DocumentKind.ANGGARAN: "anggaran",
    DocumentKind.PROFIL_BISNIS: "profil-bisnis",
    DocumentKind.HAKI: "dokumen-haki",
    DocumentKind.PENGHARGAAN: "penghargaan",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def short_title(text: str, *, fallback: str = "bukti", limit: int = SHORT_TITLE_LENGTH) -> str:
    """The short title of ``text`` (module docstring): ``"Surat Keputusan (SK) Bupati_2025"`` →
    ``"surat-keputusan-sk-bupati-2025"``; ``fallback`` when nothing of it is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        if slug[limit] != "-" and "-" in cut:  # the limit falls inside a word: keep whole words
            cut = cut.rsplit("-", 1)[0]
        slug = cut.strip("-")
    return slug or fallback


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name`` with ``-2``, ``-3``… before its extension, so that it differs from every name
    in ``taken`` ignoring case; the name chosen is added to ``taken`` (lowercased)."""
    stem, dot, extension = name.rpartition(".")
    if not dot or "/" in extension:
        stem, extension = name, ""
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem}-{number}" + (f".{extension}" if extension else "")
    taken.add(candidate.lower())
    return candidate


def evidence_name(code: str, number: int, original_name: str, kind: str) -> str:
    """``<indicator>-<n>-<short title>.<ext>``; the extension is the kind the upload check found (the
    content's true type), not whatever the uploader's file name ended in."""
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    return f"{code}-{number}-{short_title(stem)}.{kind}"


@dataclass
class PackedFile:
    """One entry of a package folder: a stored file copied in under a new name, a document made for the
    package (``stored`` None, ``kind`` "profil"), or an evidence link (``name`` "", only in the index)."""

    name: str
    kind: str
    original_name: str = ""
    indicator: Indicator | None = None
    number: int | None = None
    size: int = 0
    link: str = ""
    document_kind: str = ""
    stored: FieldFile | None = None
    missing: bool = False  # the stored file was not found when the package was written


@dataclass
class PackedInnovation:
    innovation: Innovation
    folder: str
    claims: list[Claim]
    files: list[PackedFile]
    eligible: bool | None
    reasons: list[str]


@dataclass
class PackedSpd:
    entries: list[SpdEntry]
    files: list[PackedFile]
    folder: str = SPD_FOLDER


@dataclass
class Package:
    """What one package holds and where: the innovations by OPD and name, and for a region's the SPD rows."""

    cycle: Cycle
    region: Region
    opd: Opd | None
    innovations: list[PackedInnovation]
    spd: PackedSpd | None
    rules: engine.Rules
    folders: dict[int, str] = field(default_factory=dict)  # OPD id -> its folder

    @property
    def zip_name(self) -> str:
        scope = short_title(self.opd.short_name or self.opd.name, fallback="opd") if self.opd else "wilayah"
        return f"paket-nasional-{short_title(self.cycle.name, fallback='siklus')}-{scope}.zip"


def package_innovations(*, cycle: Cycle, opd_id: int | None = None) -> list[Innovation]:
    """The innovations a package holds: every innovation of the cycle that reached Bappeda (drafts, and
    submissions waiting for their OPD head's endorsement, are their OPD's alone and not ready for the
    national application), of one OPD when ``opd_id`` is given; by OPD and
    name, each with its profile's relations and its claimed rows (level above 0) with indicator, options,
    verdict and evidence (a fixed handful of queries)."""
    claimed = (
        Claim.objects.filter(level__gt=0)
        .select_related("indicator", "verification")
        .prefetch_related(
            Prefetch("indicator__options", queryset=Option.objects.order_by("basis", "level")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
        )
        .order_by("indicator__position")
    )
    queryset = (
        Innovation.objects.filter(cycle=cycle)
        .exclude(state__in=OPD_ONLY_STATES)
        .select_related("opd", "urusan_utama", "created_by")
        .prefetch_related(
            "urusan_lain",
            Prefetch("documents", queryset=Document.objects.order_by("kind")),
            Prefetch("claims", queryset=claimed, to_attr="claimed_rows"),
        )
        .order_by("opd__name", "name", "pk")
    )
    if opd_id is not None:
        queryset = queryset.filter(opd_id=opd_id)
    return list(queryset)


def eligibility_of(cycle: Cycle) -> dict[int, tuple[bool, tuple[str, ...]]]:
    """{innovation id: (eligible, reasons)} from the cycle's newest claimed snapshot (eligibility does not
    depend on verdicts); an innovation it does not hold yet is absent."""
    snapshot = index_selectors.snapshots_newest(cycle=cycle)[SnapshotKind.CLAIMED]
    if snapshot is None:
        return {}
    return {
        int(item["ref"]): (bool(item["eligible"]), tuple(item["ineligible_reasons"]))
        for item in snapshot.result["innovations"]
    }


def eligibility_reasons(reasons: Iterable[str], *, rules: engine.Rules, words: int) -> list[str]:
    """Why an innovation does not count in n, in the documents' Indonesian (IID.md §3, Eligibility)."""
    texts = {
        engine.REASON_TAHAPAN: "tahapan belum penerapan",
        engine.REASON_WINDOW: (
            f"waktu penerapan atau pengembangan di luar {_date(rules.window_start)} – "
            f"{_date(rules.window_end)}"
        ),
        engine.REASON_RANCANG_BANGUN: f"rancang bangun {words} kata, kurang dari {rules.min_words}",
    }
    return [texts.get(reason, reason) for reason in reasons]


def _date(value: date | None) -> str:
    if value is None:
        return "—"
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def _evidence_files(code: str, indicator: Indicator, evidence: Iterable[Any], taken: set[str]):
    files, number = [], 0
    for item in evidence:
        if not item.file:
            files.append(
                PackedFile(name="", kind="tautan", indicator=indicator, link=getattr(item, "link", ""))
            )
            continue
        number += 1
        name = unique_name(evidence_name(code, number, item.original_name, item.kind), taken)
        files.append(
            PackedFile(
                name=name,
                kind="bukti",
                original_name=item.original_name,
                indicator=indicator,
                number=number,
                size=item.size,
                stored=item.file,
            )
        )
    return files


def _innovation_files(innovation: Innovation) -> list[PackedFile]:
    """The profile PDF, the supporting documents, then each claimed row's evidence in catalogue order."""
    taken = {PROFILE_FILE}
    files = [PackedFile(name=PROFILE_FILE, kind="profil", original_name="")]
    for document in innovation.documents.all():
        stem = document.original_name.rsplit(".", 1)[0]
        name = unique_name(
            f"{DOCUMENT_PREFIX[document.kind]}-{short_title(stem, fallback='dokumen')}.pdf", taken
        )
        files.append(
            PackedFile(
                name=name,
                kind="dokumen",
                document_kind=document.kind,
                original_name=document.original_name,
                size=document.size,
                stored=document.file,
            )
        )
    for claim in innovation.claimed_rows:  # type: ignore[attr-defined]  # package_innovations' prefetch
        files += _evidence_files(claim.indicator.code, claim.indicator, claim.evidence.all(), taken)
    return files


def package_plan(*, cycle: Cycle, opd: Opd | None = None) -> Package:
    """The package of a cycle: one OPD's (``opd``) or the region's (every OPD, and the SPD rows), with the
    folder and name of everything in it. An OPD folder is the short title of its short name (or name); an
    innovation's folder inside it is ``<nn>-<short title of its name>``, numbered by name from 01."""
    innovations = package_innovations(cycle=cycle, opd_id=opd.pk if opd else None)
    rules = inputs.catalogue_rules(cycle.catalogue)
    eligibility = eligibility_of(cycle)
    package = Package(cycle=cycle, region=cycle.region, opd=opd, innovations=[], spd=None, rules=rules)
    top = {SPD_FOLDER.lower(), INDEX_FILE} if opd is None else {INDEX_FILE}
    by_opd: dict[int, list[Innovation]] = {}
    for innovation in innovations:
        by_opd.setdefault(innovation.opd_id, []).append(innovation)
    if opd is not None:
        by_opd.setdefault(opd.pk, [])
    for opd_id, items in by_opd.items():
        owner = items[0].opd if items else opd
        assert owner is not None
        package.folders[opd_id] = unique_name(
            short_title(owner.short_name or owner.name, fallback="opd"), top
        )
        width = max(2, len(str(len(items))))
        inside: set[str] = set()
        for number, innovation in enumerate(items, start=1):
            name = unique_name(
                f"{number:0{width}d}-{short_title(innovation.name, fallback='inovasi')}", inside
            )
            eligible, reasons = eligibility.get(innovation.pk, (None, ()))
            package.innovations.append(
                PackedInnovation(
                    innovation=innovation,
                    folder=f"{package.folders[opd_id]}/{name}",
                    claims=list(innovation.claimed_rows),  # type: ignore[attr-defined]
                    files=_innovation_files(innovation),
                    eligible=eligible,
                    reasons=eligibility_reasons(reasons, rules=rules, words=innovation.rancang_bangun_words),
                )
            )
    if opd is None:
        package.spd = _spd(cycle)
    return package


def _spd(cycle: Cycle) -> PackedSpd:
    """The region's SPD rows with a level, and their evidence named like an innovation's."""
    entries = list(
        SpdEntry.objects.filter(cycle=cycle, level__gt=0)
        .select_related("indicator", "accepted_by")
        .prefetch_related(
            "indicator__options",
            Prefetch("evidence", queryset=SpdEvidence.objects.order_by("uploaded_at", "pk")),
        )
        .order_by("indicator__position")
    )
    taken = {SPD_FILE}
    files = [PackedFile(name=SPD_FILE, kind="profil")]
    for entry in entries:
        files += _evidence_files(entry.indicator.code, entry.indicator, entry.evidence.all(), taken)
    return PackedSpd(entries=entries, files=files)


# --- The profile in the national form's order and wording (IID.md §2) ------------------------------------


def _option_label(indicator: Indicator, level: int, basis: str) -> str:
    option = next((o for o in indicator.options.all() if o.level == level and o.basis == (basis or "")), None)
    return option.label_id if option else "—"


def _display(value: date | None) -> str:
    return _date(value) if value else "—"


def national_profile(packed: PackedInnovation) -> list[dict[str, Any]]:
    """The profile's fields as the national "Laporan Inovasi Daerah" lists them (IID.md §2), in its order
    and with its labels: ``{"label", "value"}``, or ``{"label", "text"}`` for the rich texts. The
    supporting documents are named as they are in the package's folder."""
    innovation = packed.innovation
    named = {
        f.document_kind: f"{f.name} (berkas asli: {f.original_name})" for f in packed.files if f.document_kind
    }
    creator = innovation.created_by
    others = ", ".join(u.name for u in innovation.urusan_lain.all())
    urusan = innovation.urusan_utama.name if innovation.urusan_utama_id else "—"  # type: ignore[union-attr]
    with translation.override("id"):
        fields: list[dict[str, Any]] = [
            {"label": "Nama inovasi", "value": innovation.name},
            {"label": "Dibuat oleh", "value": f"{innovation.opd.name} — {creator}"},
            {"label": "Tahapan", "value": innovation.get_tahapan_display() or "—"},
            {
                "label": "Inisiator",
                "value": " — ".join(
                    v for v in (innovation.get_inisiator_display(), innovation.inisiator_name) if v
                )
                or "—",
            },
            {"label": "Jenis", "value": innovation.get_jenis_display() or "—"},
            {"label": "Bentuk", "value": innovation.get_bentuk_display() or "—"},
            {"label": "Tematik", "value": innovation.get_tematik_display() or "—"},
            {
                "label": "Urusan",
                "value": f"{urusan} (urusan utama)"
                + (f"; urusan lain yang beririsan: {others}" if others else ""),
            },
            {
                "label": "Rancang bangun dan pokok perubahan",
                "text": innovation.rancang_bangun,
                "note": f"{innovation.rancang_bangun_words} kata",
            },
            {"label": "Tujuan", "text": innovation.tujuan},
            {"label": "Manfaat", "text": innovation.manfaat},
            {"label": "Hasil", "text": innovation.hasil},
            {"label": "Waktu uji coba", "value": _display(innovation.waktu_uji_coba)},
            {"label": "Waktu penerapan", "value": _display(innovation.waktu_penerapan)},
            {"label": "Waktu pengembangan", "value": _display(innovation.waktu_pengembangan)},
            {"label": "Anggaran", "value": named.get(DocumentKind.ANGGARAN, "—")},
            {"label": "Profil bisnis", "value": named.get(DocumentKind.PROFIL_BISNIS, "—")},
            {"label": "Dokumen HAKI", "value": named.get(DocumentKind.HAKI, "—")},
            {"label": "Penghargaan", "value": named.get(DocumentKind.PENGHARGAAN, "—")},
            {"label": "Kematangan", "value": _kematangan(innovation)},
        ]
    return fields


def _kematangan(innovation: Innovation) -> str:
    def shown(value):
        if value is None:
            return "—"
        with translation.override("id"):
            return formats.number_format(value, 2, use_l10n=True)

    return (
        f"klaim OPD {shown(innovation.kematangan_claimed)} · terverifikasi Bappeda "
        f"{shown(innovation.kematangan_verified)} (dari 111)"
    )


def profile_sections(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields grouped for printing, order kept: runs of short fields make one table (``rows``), each rich
    text a section of its own (``text``): a table row is never split across pages, a long text must be."""
    sections: list[dict[str, Any]] = []
    for item in fields:
        if "text" in item:
            sections.append(item)
        elif sections and "rows" in sections[-1]:
            sections[-1]["rows"].append(item)
        else:
            sections.append({"rows": [item]})
    return sections


def indicator_rows(packed: PackedInnovation) -> list[dict[str, Any]]:
    """Each claimed SID row as the national application asks for it: the level, the parameter (with the
    measurement basis of indicator 33), and the files of this folder (and links) that prove it."""
    by_indicator: dict[int, list[PackedFile]] = {}
    for item in packed.files:
        if item.indicator is not None:
            by_indicator.setdefault(item.indicator.pk, []).append(item)
    rows = []
    with translation.override("id"):
        for claim in packed.claims:
            files = by_indicator.get(claim.indicator_id, [])
            rows.append(
                {
                    "indicator": claim.indicator,
                    "level": claim.level,
                    "basis": claim.basis_display if claim.basis else "",
                    "parameter": _option_label(claim.indicator, claim.level, claim.basis),
                    "files": [f.name for f in files if f.name],
                    "links": [f.link for f in files if f.link],
                }
            )
    return rows


def spd_rows(spd: PackedSpd) -> list[dict[str, Any]]:
    """Each SPD row with a level: the parameter chosen, whether a second person accepted it, and its files."""
    by_indicator: dict[int, list[str]] = {}
    for item in spd.files:
        if item.indicator is not None and item.name:
            by_indicator.setdefault(item.indicator.pk, []).append(item.name)
    return [
        {
            "indicator": entry.indicator,
            "level": entry.level,
            "parameter": _option_label(entry.indicator, entry.level, ""),
            "accepted": entry.accepted_by_id is not None,
            "note": entry.note,
            "files": by_indicator.get(entry.indicator_id, []),
        }
        for entry in spd.entries
    ]


def package_opds(*, cycle: Cycle, opd_id: int | None = None) -> list[tuple[Opd, int]]:
    """The OPDs of the cycle's region (or the one ``opd_id``) with how many innovations each has in the cycle
    that reached Bappeda (``package_innovations``), by name: what the package page offers (1 query). An OPD
    no longer active is offered only while it has such innovations: they still go to the national site."""
    opds = Opd.objects.filter(region_id=cycle.region_id)
    if opd_id is not None:
        opds = opds.filter(pk=opd_id)
    counted = (
        opds.annotate(
            n=Count(
                "innovations",
                filter=Q(innovations__cycle=cycle) & ~Q(innovations__state__in=OPD_ONLY_STATES),
            )
        )
        .filter(Q(is_active=True) | Q(n__gt=0))
        .order_by("name")
    )
    return [(opd, opd.n) for opd in counted]


def packages_of(*, user, cycle: Cycle, limit: int = 20) -> list[GeneratedReport]:
    """The national packages ``user`` asked for in ``cycle``, newest first (1 query)."""
    return list(
        GeneratedReport.objects.filter(
            requested_by=user, kind=ReportKind.NATIONAL_PACKAGE, params__cycle_id=cycle.pk
        ).order_by("-created_at")[:limit]
    )

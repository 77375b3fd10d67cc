"""The Excel workbooks of the reports app (openpyxl): the recap of a cycle and the index sheet of the national
upload package. Numbers stay numbers; text that a spreadsheet would take for a formula stays text.

The recap: every innovation that reached Bappeda with its profile, its eligibility and why not, and per indicator the
claimed and verified level and score (and the measurement basis where the indicator has one, SID-33) in
the national form's order; the region's SPD rows; the drafts and the submissions waiting for their OPD
head's endorsement, counted per OPD (they are their OPD's alone: their content is never shown to anyone
else); and the OPD ranking. Every sheet has its header row
frozen and an autofilter over its table."""

import io
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from innovasi.standards.enums import IndicatorGroup
from scoring.enums import SnapshotKind, Verdict
from scoring.selectors import index as index_selectors
from scoring.selectors import inputs
from scoring.selectors import verification as verification_selectors
from submissions.enums import OPD_ONLY_STATES, InnovationState
from submissions.models import Claim, Innovation
from submissions.richtext import richtext_text

from .selectors import package as package_selectors

HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4F6C")
PROFILE_COLUMNS = [
    ("Nama inovasi", lambda i: i.name),
    ("OPD", lambda i: i.opd.name),
    ("Status", lambda i: i.get_state_display()),
    ("Tahapan", lambda i: i.get_tahapan_display()),
    ("Inisiator", lambda i: i.get_inisiator_display()),
    ("Nama inisiator", lambda i: i.inisiator_name),
    ("Jenis", lambda i: i.get_jenis_display()),
    ("Bentuk", lambda i: i.get_bentuk_display()),
    ("Tematik", lambda i: i.get_tematik_display()),
    ("Urusan utama", lambda i: i.urusan_utama.name if i.urusan_utama_id else ""),
    ("Urusan lain", lambda i: ", ".join(u.name for u in i.urusan_lain.all())),
    ("Rancang bangun (kata)", lambda i: i.rancang_bangun_words),
    ("Rancang bangun", lambda i: richtext_text(i.rancang_bangun)),
    ("Tujuan", lambda i: richtext_text(i.tujuan)),
    ("Manfaat", lambda i: richtext_text(i.manfaat)),
    ("Hasil", lambda i: richtext_text(i.hasil)),
    ("Waktu uji coba", lambda i: i.waktu_uji_coba),
    ("Waktu penerapan", lambda i: i.waktu_penerapan),
    ("Waktu pengembangan", lambda i: i.waktu_pengembangan),
    ("Tautan video", lambda i: i.video_url),
    *(
        (title, lambda i, kind=kind: next((d.original_name for d in i.documents.all() if d.kind == kind), ""))
        for title, kind in (
            ("Anggaran", "anggaran"),
            ("Profil bisnis", "profil_bisnis"),
            ("Dokumen HAKI", "haki"),
            ("Penghargaan", "penghargaan"),
        )
    ),
    ("Kematangan klaim", lambda i: i.kematangan_claimed),
    ("Kematangan terverifikasi", lambda i: i.kematangan_verified),
]


# A cell of text starting with one of these is a formula to Excel or LibreOffice, when the file is opened or
# when the cell is edited ("CSV injection"): such text is written as text with Excel's quote prefix.
FORMULA_STARTS = ("=", "+", "-", "@")


def _append_as_data(sheet, values):
    """Append a row of user data: text that starts with "=", "+", "-" or "@" stays text (openpyxl would
    write "=…" as a formula, which Excel would run when the file is opened; the quote prefix keeps all four
    text when a cell is edited)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True


def _header(sheet, titles):
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def _filter(sheet, rows=None):
    """An autofilter over the sheet's table: the header and ``rows`` rows below it (all rows by default)."""
    last_row = 1 + rows if rows is not None else sheet.max_row
    sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{max(last_row, 1)}"


def cycle_workbook(cycle):
    """The recap as .xlsx bytes (queries: a fixed handful, whatever the number of innovations), in the
    documents' language: its sheets "Rekap inovasi", "Data SPD", "Draf" and "Peringkat OPD"."""
    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        _recap_sheet(workbook.active, cycle)
        _spd_sheet(workbook.create_sheet("Data SPD"), cycle)
        _drafts_sheet(workbook.create_sheet("Draf"), cycle)
        _ranking_sheet(workbook, cycle)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _recap_sheet(sheet, cycle):
    indicators = list(
        cycle.catalogue.indicators.filter(group=IndicatorGroup.SID)
        .prefetch_related("options")
        .order_by("position")
    )
    # The indicators whose options carry a measurement basis (SID-33, Kemanfaatan): the basis is a column.
    with_basis = {indicator.pk for indicator in indicators if any(o.basis for o in indicator.options.all())}
    innovations = list(
        Innovation.objects.filter(cycle=cycle)
        .exclude(state__in=OPD_ONLY_STATES)
        .select_related("opd", "urusan_utama")
        .prefetch_related("urusan_lain", "documents")
        .order_by("opd__name", "name")
    )
    claims = {}
    for claim in (
        Claim.objects.filter(innovation__in=innovations)
        .select_related("verification")
        .only(
            "innovation_id", "indicator_id", "level", "basis", "verification__verdict", "verification__level"
        )
    ):
        claims[(claim.innovation_id, claim.indicator_id)] = claim
    scores = {kind: _row_scores(cycle, kind) for kind in SnapshotKind.values}
    eligibility = package_selectors.eligibility_of(cycle)
    rules = inputs.catalogue_rules(cycle.catalogue)
    sheet.title = "Rekap inovasi"
    titles = [title for title, _value in PROFILE_COLUMNS] + ["Layak (dihitung dalam n)", "Alasan tidak layak"]
    for indicator in indicators:
        titles += [f"{indicator.code} klaim"]
        if indicator.pk in with_basis:
            titles += [f"{indicator.code} dasar pengukuran"]
        titles += [
            f"{indicator.code} skor klaim",
            f"{indicator.code} verifikasi",
            f"{indicator.code} skor verifikasi",
        ]
    _header(sheet, titles)
    for innovation in innovations:
        row = [value(innovation) for _title, value in PROFILE_COLUMNS]
        eligible, reasons = eligibility.get(innovation.pk, (None, ()))
        row += [
            None if eligible is None else ("Ya" if eligible else "Tidak"),
            "; ".join(
                package_selectors.eligibility_reasons(
                    reasons, rules=rules, words=innovation.rancang_bangun_words
                )
            ),
        ]
        for indicator in indicators:
            claim = claims.get((innovation.pk, indicator.pk))
            verification = getattr(claim, "verification", None) if claim else None
            accepted = verification is not None and verification.verdict == Verdict.SESUAI
            verified_level = (
                verification.level
                if accepted
                else (0 if verification and verification.verdict != Verdict.PENDING else None)
            )
            row += [claim.level if claim else 0]
            if indicator.pk in with_basis:
                row += [indicator.basis_display(claim.basis) if claim and claim.basis else None]
            row += [
                scores[SnapshotKind.CLAIMED].get(innovation.pk, {}).get(indicator.code),
                verified_level,
                scores[SnapshotKind.VERIFIED].get(innovation.pk, {}).get(indicator.code),
            ]
        _append_as_data(sheet, [float(v) if isinstance(v, Decimal) else v for v in row])
    for column in range(1, len(titles) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    for column, title in enumerate(titles, start=1):
        if title in WIDE_COLUMNS:
            sheet.column_dimensions[get_column_letter(column)].width = 40
        if title in DATE_COLUMNS:
            for (cell,) in sheet.iter_rows(min_col=column, max_col=column, min_row=2):
                cell.number_format = "DD-MM-YYYY"
    _filter(sheet)


WIDE_COLUMNS = {"Nama inovasi", "OPD", "Rancang bangun", "Tujuan", "Manfaat", "Hasil", "Alasan tidak layak"}
DATE_COLUMNS = {"Waktu uji coba", "Waktu penerapan", "Waktu pengembangan"}


def _spd_sheet(sheet, cycle):
    """The region's SPD rows (Bappeda's own data): the level and parameter, the evidence, who accepted it,
    and the row's claimed and verified score from the newest snapshots."""
    _header(
        sheet,
        [
            "Kode",
            "Indikator",
            "Tingkat",
            "Parameter",
            "Catatan",
            "Jumlah bukti",
            "Bukti",
            "Diterima (empat mata)",
            "Skor klaim",
            "Skor terverifikasi",
        ],
    )
    newest = index_selectors.snapshots_newest(cycle=cycle)
    spd_scores = {
        kind: newest[kind].result.get("spd_row_scores", {}) if newest[kind] else {}
        for kind in SnapshotKind.values
    }
    entries = verification_selectors.spd_rows(cycle)
    for entry in entries:
        option = next((o for o in entry.indicator.options.all() if o.level == entry.level), None)
        evidence = list(entry.evidence.all())
        claimed = spd_scores[SnapshotKind.CLAIMED].get(entry.indicator.code)
        verified = spd_scores[SnapshotKind.VERIFIED].get(entry.indicator.code)
        _append_as_data(
            sheet,
            [
                entry.indicator.code,
                entry.indicator.name_id,
                entry.level,
                option.label_id if option and entry.level else None,
                entry.note,
                len(evidence),
                "; ".join(item.original_name for item in evidence),
                "Ya" if entry.accepted_by_id else "Tidak",
                float(Decimal(claimed)) if claimed is not None else None,
                float(Decimal(verified)) if verified is not None else None,
            ],
        )
    for letter, width in (("B", 50), ("D", 50), ("E", 30), ("G", 40)):
        sheet.column_dimensions[letter].width = width
    _filter(sheet)


def _drafts_sheet(sheet, cycle):
    """The drafts, apart from the submitted innovations: how many each OPD has and when one last changed,
    and how many wait for the OPD head's endorsement. Only counted: their content is their OPD's alone
    (submissions/permissions.py), and the recap is read by Bappeda and the pimpinan."""
    _header(sheet, ["OPD", "Jumlah draf", "Draf terakhir diubah", "Menunggu pengesahan kepala OPD"])
    drafts = Q(state=InnovationState.DRAFT)
    rows = (
        Innovation.objects.filter(cycle=cycle, state__in=OPD_ONLY_STATES)
        .values("opd__name")
        .annotate(
            n=Count("pk", filter=drafts),
            last=Max("updated_at", filter=drafts),
            waiting=Count("pk", filter=Q(state=InnovationState.MENUNGGU_PENGESAHAN)),
        )
        .order_by("opd__name")
    )
    for row in rows:
        last = row["last"]
        _append_as_data(
            sheet,
            [
                row["opd__name"],
                row["n"],
                timezone.localtime(last).replace(tzinfo=None) if last else None,
                row["waiting"],
            ],
        )
    for (cell,) in sheet.iter_rows(min_col=3, max_col=3, min_row=2):
        cell.number_format = "DD-MM-YYYY HH:MM"
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["C"].width = 20
    _filter(sheet)


def _row_scores(cycle, kind):
    """{innovation id: {indicator code: row score}} from the cycle's newest snapshot of ``kind``: the recap's
    scores are the index's. An innovation the snapshot does not hold yet has none."""
    snapshot = index_selectors.snapshots_newest(cycle=cycle)[kind]
    if snapshot is None:
        return {}
    return {
        int(item["ref"]): {code: Decimal(score) for code, score in item["row_scores"].items()}
        for item in snapshot.result["innovations"]
    }


def _ranking_sheet(workbook, cycle):
    sheet = workbook.create_sheet("Peringkat OPD")
    _header(sheet, ["Peringkat", "OPD", "Inovasi layak", "Rata-rata kematangan", "Poin IID terverifikasi"])
    verified = index_selectors.snapshots_newest(cycle=cycle)[SnapshotKind.VERIFIED]
    if verified is None:
        _filter(sheet)
        return
    contributions = index_selectors.contributions_named(payload=verified.result)
    _filter(sheet, rows=len(contributions))  # the table only: the totals below it stay out of the filter
    for rank, item in enumerate(contributions, start=1):
        _append_as_data(
            sheet,
            [
                rank,
                str(item["opd"] or ""),
                item["n_eligible"],
                float(Decimal(item["average_kematangan"])),
                float(item["points"]),
            ],
        )
    sheet.append([])
    sheet.append(["", "Data SPD (daerah)", None, None, float(Decimal(verified.result["spd_points"]))])
    sheet.append(["", "IID terverifikasi", None, None, float(verified.iid)])
    sheet.column_dimensions["B"].width = 60
    for letter in ("C", "D", "E"):
        sheet.column_dimensions[letter].width = 20


def package_index_workbook(package):
    """The index sheet of a national upload package (``selectors.package.Package``) as .xlsx bytes: "Inovasi",
    every innovation with its folder; "Berkas", every file of the ZIP (and every evidence link) with what it
    proves and its name before the package."""
    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Inovasi"
        _header(
            sheet,
            [
                "No",
                "OPD",
                "Nama inovasi",
                "Status",
                "Layak (dihitung dalam n)",
                "Alasan tidak layak",
                "Kematangan klaim",
                "Kematangan terverifikasi",
                "Folder",
                "Profil",
                "Jumlah berkas bukti",
                "Jumlah tautan bukti",
            ],
        )
        for number, packed in enumerate(package.innovations, start=1):
            innovation = packed.innovation
            _append_as_data(
                sheet,
                [
                    number,
                    innovation.opd.name,
                    innovation.name,
                    innovation.get_state_display(),
                    None if packed.eligible is None else ("Ya" if packed.eligible else "Tidak"),
                    "; ".join(packed.reasons),
                    _number(innovation.kematangan_claimed),
                    _number(innovation.kematangan_verified),
                    packed.folder,
                    f"{packed.folder}/{package_selectors.PROFILE_FILE}",
                    sum(1 for item in packed.files if item.kind == "bukti"),
                    sum(1 for item in packed.files if item.kind == "tautan"),
                ],
            )
        for letter, width in (("B", 40), ("C", 50), ("F", 40), ("I", 50), ("J", 60)):
            sheet.column_dimensions[letter].width = width
        _filter(sheet)

        files = workbook.create_sheet("Berkas")
        _header(
            files,
            [
                "Folder",
                "Nama berkas",
                "Jenis",
                "OPD",
                "Inovasi",
                "Indikator",
                "Nama indikator",
                "No bukti",
                "Nama berkas asli",
                "Ukuran (bita)",
                "Tautan",
                "Keterangan",
            ],
        )
        owners = [(packed.folder, packed.files, packed.innovation) for packed in package.innovations]
        if package.spd is not None:
            owners.append((package.spd.folder, package.spd.files, None))
        for folder, items, innovation in owners:
            for item in items:
                _append_as_data(
                    files,
                    [
                        folder,
                        item.name or None,
                        PACKED_KINDS.get(item.kind, item.kind),
                        innovation.opd.name if innovation else "Data SPD (daerah)",
                        innovation.name if innovation else None,
                        item.indicator.code if item.indicator else None,
                        item.indicator.name_id if item.indicator else None,
                        item.number,
                        item.original_name or None,
                        item.size or None,
                        item.link or None,
                        "Berkas tidak ditemukan di penyimpanan portal" if item.missing else None,
                    ],
                )
        for letter, width in (("A", 50), ("B", 50), ("D", 30), ("E", 40), ("G", 40), ("I", 40), ("K", 40)):
            files.column_dimensions[letter].width = width
        _filter(files)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


PACKED_KINDS = {
    "profil": "profil (dibuat portal)",
    "dokumen": "dokumen pendukung",
    "bukti": "bukti",
    "tautan": "tautan bukti",
}


def _number(value):
    return float(value) if value is not None else None


RANKING_TITLES = [
    "Peringkat",
    "Kode",
    "Wilayah",
    "Jenis",
    "Provinsi",
    "IID terverifikasi",
    "Kategori",
    "IID klaim",
    "Kategori klaim",
    "Poin ke kategori berikutnya",
    "Kategori berikutnya",
    "Inovasi",
    "Draf",
    "Diajukan (bukan draf)",
    "Revisi",
    "Terverifikasi",
    "Sisa hari tahap",
    "Tahap",
    "Dihitung pada",
]


def ranking_workbook(ranking, rows, filters):
    """The ranking of the regions below as .xlsx bytes: a row per region in the page's order (numbers stay
    numbers), and a summary sheet with the region's own IID and the band distribution."""
    from .selectors.ranking import band_distribution, filters_described

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Peringkat wilayah"
    _header(sheet, RANKING_TITLES)
    for row in rows:
        verified, claimed = row.verified, row.claimed
        province = row.province
        _append_as_data(
            sheet,
            [
                row.rank,
                row.region.code,
                row.region.name,
                row.region.get_kind_display(),
                province.name if province is not None and province.pk != row.region.pk else "",
                float(verified.iid) if verified else None,
                verified.category if verified else "",
                float(claimed.iid) if claimed else None,
                claimed.category if claimed else "",
                float(row.next_band[1]) if row.next_band else None,
                row.next_band[0] if row.next_band else "",
                row.n_total,
                row.counts.get("draft", 0),
                row.n_filed,
                row.counts.get("revisi", 0),
                row.n_verified,
                row.days_left,
                row.stage,
                verified.computed_at.replace(tzinfo=None) if verified else None,
            ],
        )
    for column in range(1, len(RANKING_TITLES) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.column_dimensions["C"].width = 36
    sheet.column_dimensions["E"].width = 30
    for cell in sheet["S"][1:]:
        cell.number_format = "DD-MM-YYYY HH:MM"
    summary = workbook.create_sheet("Ringkasan")
    own = ranking.own
    summary.append(["Wilayah", ranking.region.name])
    summary.append(["Katalog", ranking.catalogue.name])
    summary.append(["Saringan", filters_described(ranking, filters) or "tanpa saringan"])
    summary.append(["Wilayah ditampilkan", len(rows)])
    summary.append(
        ["IID terverifikasi wilayah sendiri", float(own.verified.iid) if own and own.verified else None]
    )
    summary.append(["Kategori wilayah sendiri", own.verified.category if own and own.verified else ""])
    summary.append([])
    summary.append(["Kategori", "Jumlah wilayah"])
    for _slug, name, count in band_distribution(ranking, rows):
        _append_as_data(summary, [str(name), count])
    summary.column_dimensions["A"].width = 36
    summary.column_dimensions["B"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

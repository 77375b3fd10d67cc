"""The Excel recap of a cycle (openpyxl): every innovation with its profile and, per indicator, the claimed
and verified level and score in the national form's order; and the OPD ranking. Numbers stay numbers."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from innovasi.standards.enums import IndicatorGroup
from scoring.enums import SnapshotKind, Verdict
from scoring.selectors import index as index_selectors
from submissions.models import Claim, Innovation
from submissions.richtext import richtext_text

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


def _append_as_data(sheet, values):
    """Append a row of user data: text that starts with "=" stays text (openpyxl would write a formula,
    which Excel would run when the recap is opened)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _header(sheet, titles):
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def cycle_workbook(cycle):
    """The recap as .xlsx bytes (queries: a fixed handful, whatever the number of innovations)."""
    indicators = list(cycle.catalogue.indicators.filter(group=IndicatorGroup.SID).order_by("position"))
    innovations = list(
        Innovation.objects.filter(cycle=cycle)
        .exclude(state="draft")
        .select_related("opd", "urusan_utama")
        .prefetch_related("urusan_lain", "documents")
        .order_by("opd__name", "name")
    )
    claims = {}
    for claim in (
        Claim.objects.filter(innovation__in=innovations)
        .select_related("verification")
        .only("innovation_id", "indicator_id", "level", "verification__verdict", "verification__level")
    ):
        claims[(claim.innovation_id, claim.indicator_id)] = claim
    scores = {kind: _row_scores(cycle, kind) for kind in SnapshotKind.values}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rekap inovasi"
    titles = [title for title, _value in PROFILE_COLUMNS]
    for indicator in indicators:
        titles += [
            f"{indicator.code} klaim",
            f"{indicator.code} skor klaim",
            f"{indicator.code} verifikasi",
            f"{indicator.code} skor verifikasi",
        ]
    _header(sheet, titles)
    for innovation in innovations:
        row = [value(innovation) for _title, value in PROFILE_COLUMNS]
        for indicator in indicators:
            claim = claims.get((innovation.pk, indicator.pk))
            verification = getattr(claim, "verification", None) if claim else None
            accepted = verification is not None and verification.verdict == Verdict.SESUAI
            verified_level = (
                verification.level
                if accepted
                else (0 if verification and verification.verdict != Verdict.PENDING else None)
            )
            row += [
                claim.level if claim else 0,
                scores[SnapshotKind.CLAIMED].get(innovation.pk, {}).get(indicator.code),
                verified_level,
                scores[SnapshotKind.VERIFIED].get(innovation.pk, {}).get(indicator.code),
            ]
        _append_as_data(sheet, [float(v) if isinstance(v, Decimal) else v for v in row])
    for column in range(1, len(titles) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    for letter in ("A", "B", "M", "N", "O", "P"):
        sheet.column_dimensions[letter].width = 40
    for date_column in (17, 18, 19):
        for cell in sheet.iter_cols(min_col=date_column, max_col=date_column, min_row=2):
            for item in cell:
                item.number_format = "DD-MM-YYYY"
    _ranking_sheet(workbook, cycle)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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
        return
    for rank, item in enumerate(index_selectors.contributions_named(payload=verified.result), start=1):
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

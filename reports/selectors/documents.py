"""Reads of the reports app: what each document shows, assembled from the newest snapshots and the data."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone, translation

from innovasi.accounts.selectors import region_place_date
from innovasi.standards.enums import IndicatorGroup
from scoring.enums import SnapshotKind, Verdict
from scoring.models import AwardResult
from scoring.selectors import index as index_selectors
from scoring.selectors import inputs
from scoring.selectors import verification as verification_selectors
from submissions.enums import InnovationState
from submissions.models import Innovation

from .. import charts
from ..models import Certificate, GeneratedReport
from ..rendering import media_file_url, qr_data_uri, svg_data_uri


def number(value, places=2):
    """A figure the Indonesian way: 1.234,56."""
    with translation.override("id"):
        return formats.number_format(Decimal(value), places, use_l10n=True, force_grouping=True)


def absolute(path):
    return settings.PORTAL_BASE_URL + path


def region_paper(region, on=None):
    """What every report prints of its region: the letterhead on the first page (logo, the government's
    and the office's lines, the address), and at the end the place and date and the signatory block of the
    head of Bappeda (``signatory`` None while the region has none: no block is printed)."""
    on = on or timezone.localdate()
    signatory = None
    if region.report_signatory_name.strip():
        signatory = {
            "name": region.report_signatory_name.strip(),
            "title": region.report_signatory_title.strip(),
            "nip": region.report_signatory_nip,
        }
    return {
        "logo": media_file_url(region.logo),
        "government": region.letterhead_government.strip() or f"PEMERINTAH {region.name.upper()}",
        "office": region.letterhead_office.strip(),
        "address": region.letterhead_address.strip(),
        "place_date": region_place_date(region, on),
        "signatory": signatory,
    }


def reports_of(user, limit=50):
    return GeneratedReport.objects.filter(requested_by=user).order_by("-created_at")[:limit]


def _basis_id(claim):
    """The claim's measurement basis in front of its parameter, in Indonesian like the rest of the document:
    "a · Jumlah penerima manfaat — "; "" without a basis."""
    if not claim.basis:
        return ""
    with translation.override("id"):
        return f"{claim.basis_display} — "


def innovation_report_context(innovation):
    """The Laporan Inovasi Daerah: the national form's profile (1.1–1.16), the indicator table, a QR code."""
    rows = []
    for claim in verification_selectors.verification_rows(innovation):
        option = next(
            (
                o
                for o in claim.indicator.options.all()
                if o.level == claim.level and o.basis == (claim.basis or "")
            ),
            None,
        )
        verification = getattr(claim, "verification", None)
        verdict = verification.verdict if verification else Verdict.PENDING
        rows.append(
            {
                "indicator": claim.indicator,
                "parameter": _basis_id(claim) + (option.label_id if option else "—"),
                "claimed": claim.level,
                "verified": verification.level
                if verification and verdict == Verdict.SESUAI
                else (0 if verdict != Verdict.PENDING else None),
                "verdict": verification.get_verdict_display() if verification else "",
                "evidence": [item.original_name or item.link for item in claim.evidence.all()],
            }
        )
    documents = {document.kind: document.original_name for document in innovation.documents.all()}
    profile = [
        ("1.1", "Nama inovasi", innovation.name),
        ("1.2", "Dibuat oleh", innovation.opd.name),
        ("1.3", "Tahapan inovasi", innovation.get_tahapan_display()),
        (
            "1.4",
            "Inisiator inovasi daerah",
            f"{innovation.get_inisiator_display()} — {innovation.inisiator_name}",
        ),
        ("1.5", "Jenis inovasi", innovation.get_jenis_display()),
        ("1.6", "Bentuk inovasi daerah", innovation.get_bentuk_display()),
        ("1.7", "Tematik", innovation.get_tematik_display()),
        ("1.8", "Urusan pemerintahan", _urusan_text(innovation)),
        (
            "1.9",
            "Waktu uji coba inovasi daerah",
            formats.date_format(innovation.waktu_uji_coba, "j F Y") if innovation.waktu_uji_coba else "—",
        ),
        (
            "1.10",
            "Waktu penerapan inovasi daerah",
            formats.date_format(innovation.waktu_penerapan, "j F Y") if innovation.waktu_penerapan else "—",
        ),
    ]
    return {
        "innovation": innovation,
        "region": innovation.opd.region,
        "paper": region_paper(innovation.opd.region),
        "profile": profile,
        "texts": [
            ("1.11", "Rancang bangun dan pokok perubahan", innovation.rancang_bangun),
            ("1.12", "Tujuan inovasi daerah", innovation.tujuan),
            ("1.13", "Manfaat yang diperoleh", innovation.manfaat),
            ("1.14", "Hasil inovasi", innovation.hasil),
        ],
        "appendices": [
            ("1.15", "Anggaran", documents.get("anggaran", "—")),
            ("1.16", "Profil bisnis", documents.get("profil_bisnis", "—")),
        ],
        "extras": [
            (
                "Waktu pengembangan",
                formats.date_format(innovation.waktu_pengembangan, "j F Y")
                if innovation.waktu_pengembangan
                else "—",
            ),
            ("Video inovasi", innovation.video_url or "—"),
            ("Dokumen HAKI", documents.get("haki", "—")),
            ("Penghargaan", documents.get("penghargaan", "—")),
        ],
        "rows": rows,
        "qr": qr_data_uri(absolute(reverse("submissions:detail", args=[innovation.pk]))),
        "generated_at": timezone.localtime(),
    }


def _urusan_text(innovation):
    others = ", ".join(u.name for u in innovation.urusan_lain.all())
    main = innovation.urusan_utama.name if innovation.urusan_utama_id else "—"
    return f"{main} (utama)" + (f"; {others}" if others else "")


def verification_record_context(innovation):
    """The Berita acara verifikasi of a verified innovation: each claimed row with its verdict, the
    verifier, when verification was finished, and the places to sign."""
    rows = verification_selectors.claimed_rows_with_verdicts(innovation)
    verified_at = (
        Innovation.history.filter(id=innovation.pk, state=InnovationState.TERVERIFIKASI)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    assignment = getattr(innovation, "assignment", None)
    return {
        "innovation": innovation,
        "region": innovation.opd.region,
        "rows": [
            {
                "indicator": claim.indicator,
                "claimed": claim.level,
                "verdict": claim.verification.get_verdict_display(),
                "accepted": claim.verification.level if claim.verification.is_accepted else 0,
                "reason": claim.verification.reason or claim.verification.opd_note,
            }
            for claim in rows
        ],
        "accepted_rows": sum(1 for claim in rows if claim.verification.is_accepted),
        "verifier": assignment.verifikator if assignment else None,
        "verified_at": timezone.localtime(verified_at) if verified_at else None,
        "generated_at": timezone.localtime(),
        "paper": region_paper(innovation.opd.region),
    }


def cycle_report_context(cycle):
    """The Laporan Indeks Inovasi Daerah of a cycle, from its newest claimed and verified snapshots."""
    newest = index_selectors.snapshots_newest(cycle=cycle)
    claimed, verified = newest[SnapshotKind.CLAIMED], newest[SnapshotKind.VERIFIED]
    rules = inputs.catalogue_rules(cycle.catalogue)
    bands = [(band.name, band.min) for band in rules.bands]
    markers = [
        (label, snapshot.iid)
        for label, snapshot in (("Terverifikasi", verified), ("Klaim", claimed))
        if snapshot
    ]
    context = {
        "cycle": cycle,
        "region": cycle.region,
        "paper": region_paper(cycle.region),
        "claimed": claimed,
        "verified": verified,
        "bands": bands,
        "rules": rules,
        "band_chart": svg_data_uri(charts.band_chart(bands, markers, number=number)) if markers else None,
        "generated_at": timezone.localtime(),
        "state_rows": _state_rows(cycle),
    }
    if verified is None:
        return context
    payload = verified.result
    contributions = index_selectors.contributions_named(payload=payload)
    indicators = list(cycle.catalogue.indicators.order_by("position"))
    claimed_spd = claimed.result["spd_row_scores"] if claimed else {}
    context["spd_rows"] = [
        {
            "indicator": indicator,
            "claimed": Decimal(claimed_spd.get(indicator.code, "0")),
            "verified": Decimal(payload["spd_row_scores"].get(indicator.code, "0")),
        }
        for indicator in indicators
        if indicator.group == IndicatorGroup.SPD
    ]
    eligible = [item for item in payload["innovations"] if item["eligible"]]
    sid_rows = []
    for indicator in indicators:
        if indicator.group != IndicatorGroup.SID:
            continue
        scores = [Decimal(item["row_scores"].get(indicator.code, "0")) for item in eligible]
        average = sum(scores, Decimal(0)) / len(scores) if scores else Decimal(0)
        sid_rows.append({"indicator": indicator, "average": average, "maximum": indicator.max_score})
    context["sid_rows"] = sid_rows
    context["sid_chart"] = svg_data_uri(
        charts.bar_chart(
            [(f"{row['indicator'].code} {row['indicator'].name_id}", row["average"]) for row in sid_rows],
            number=number,
            bar_height=11,
            label_width=260,
        )
    )
    context["contributions"] = contributions
    top = [item for item in contributions if item["points"] > 0][:20]
    context["contribution_chart"] = svg_data_uri(
        charts.bar_chart(
            [(str(item["opd"]), item["points"]) for item in top], number=number, colour="#1b7f5f"
        )
    )
    context["yandas"] = index_selectors.yandas_coverage(verified)
    context["actions"] = index_selectors.actions_described(cycle=cycle, payload=payload, rules=rules)
    return context


def _state_rows(cycle):
    counts = dict(Innovation.objects.filter(cycle=cycle).values_list("state").annotate(n=Count("pk")))
    return [(state.label, counts.get(state.value, 0)) for state in InnovationState]


def certificates_context(certificates, *, preview=False):
    """One item per certificate page: the certificate, its logo file and its QR code. A preview (a
    certificate not issued yet) has no code: its QR code leads to the page where codes are checked."""
    return [
        {
            "certificate": certificate,
            "preview": preview,
            "logo": media_file_url(certificate.logo),
            "qr": qr_data_uri(
                absolute(
                    reverse("reports:certificate_find")
                    if preview
                    else reverse("reports:certificate", args=[certificate.code])
                )
            ),
        }
        for certificate in certificates
    ]


def certificates_of(*, cycle, source, ids=None):
    """The certificates of a cycle issued for one reason ("verified", or "award:<scheme id>"); only those
    of ``ids`` when given (the ones just issued)."""
    queryset = Certificate.objects.filter(cycle=cycle, source=source).select_related("innovation")
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return list(queryset.order_by("award", "number", "holder_opd", "holder_innovation"))


def award_report_context(scheme):
    """The award report: per category the final ranking with each juror's values and the places."""
    categories = []
    for category in scheme.categories.prefetch_related("jurors__juror"):
        results = (
            AwardResult.objects.filter(nomination__category=category)
            .select_related("nomination__innovation__opd__region")
            .order_by("rank")
        )
        categories.append(
            {"category": category, "results": results, "jurors": [m.juror for m in category.jurors.all()]}
        )
    return {
        "scheme": scheme,
        "region": scheme.cycle.region,
        "paper": region_paper(scheme.cycle.region),
        "criteria": list(scheme.criteria.all()),
        "categories": categories,
        "generated_at": timezone.localtime(),
    }


def ranking_report_context(ranking, rows, filters):
    """The ranking as a PDF on the paper of the region it is read from: its own IID, the band distribution
    (an SVG chart) and the table of the rows the page showed, in its order."""
    from .ranking import band_distribution, filters_described

    distribution = band_distribution(ranking, rows)
    chart = charts.bar_chart(
        [(name, count) for _slug, name, count in distribution], number=lambda value: str(int(value))
    )
    return {
        "region": ranking.region,
        "paper": region_paper(ranking.region),
        "generated_at": timezone.localtime(),
        "ranking": ranking,
        "rows": rows,
        "filters": filters_described(ranking, filters),
        "distribution": distribution,
        "distribution_chart": svg_data_uri(chart),
        "national": ranking.region.kind == "nasional",
    }

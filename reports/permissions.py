"""Who may ask for which document, read the dashboard and follow the OPDs (django-rules)."""

from dataclasses import dataclass

import rules
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.permissions import (
    add_perm,
    allowed,
    has_province,
    in_own_opd,
    in_own_region,
    is_admin,
    is_operator,
    is_pimpinan,
    is_reader,
    no_object,
    oversees_regions,
    reads_region,
)

from .enums import ReportKind


@dataclass(frozen=True)
class PackageScope:
    """What a national upload package holds: one OPD's innovations (``opd_id``), or the region's, every
    OPD's and the SPD rows (``opd_id`` None). Duck-typed like the models for the predicates."""

    region_id: int
    opd_id: int | None = None


def package_scope_of(report) -> PackageScope:
    return PackageScope(region_id=report.region_id, opd_id=report.params.get("opd_id"))


@rules.predicate
def requested_it(user, report):
    return report is not None and report.requested_by_id == user.pk


# Cycle-wide documents: Bappeda and the pimpinan. An innovation's report: whoever may read the innovation.
add_perm(
    "reports.request_cycle_report",
    is_reader & no_object,
    denied=_("Laporan siklus untuk Bappeda dan pimpinan daerah."),
)
add_perm(
    "reports.issue_certificates",
    is_admin & (no_object | in_own_region),
    denied=_("Hanya admin Bappeda yang menerbitkan dan mencetak piagam."),
)
add_perm(
    "reports.view_dashboard",
    (is_admin | is_pimpinan) & (no_object | in_own_region),
    denied=_("Dasbor untuk pimpinan daerah dan admin Bappeda."),
)
add_perm(
    "reports.monitor_opds",
    is_admin & (no_object | in_own_region),
    denied=_("Pemantauan OPD untuk admin Bappeda."),
)


def _package_denied(user, scope=None):
    if is_operator(user) and scope is not None and scope.opd_id is None:
        return _("Paket seluruh wilayah untuk Bappeda dan pimpinan daerah; operator membuat paket OPD-nya.")
    if is_operator(user):
        return _("Operator hanya membuat paket unggah OPD-nya sendiri.")
    return _("Paket unggah nasional untuk operator OPD, Bappeda dan pimpinan daerah.")


# The national upload package holds every submitted innovation of its OPD or region with its evidence:
# whoever may read all of them builds it, as with the cycle report (Bappeda and the pimpinan: the region's
# or any OPD's), and an operator their own OPD's. Drafts never go in (they are their OPD's alone).
add_perm(
    "reports.view_national_package",
    (is_reader | is_operator) & (no_object | in_own_region),
    denied=_package_denied,
)
add_perm(
    "reports.build_national_package",
    (is_reader & in_own_region) | (is_operator & in_own_region & in_own_opd),
    denied=_package_denied,
)


@rules.predicate
def sees_what_it_holds(user, report):
    """A national package is fetched only by someone who may still build it (a requester moved to another
    OPD or role no longer sees every innovation in it); any other report by its requester alone."""
    if report is not None and report.kind in WORKBOOK_KINDS:
        # A cycle's workbook holds every innovation its requester could see: fetched while they still may.
        return allowed(user, "reports.request_cycle_report") and user.region_id == report.region_id
    if report is None or report.kind != ReportKind.NATIONAL_PACKAGE:
        return True
    return allowed(user, "reports.build_national_package", package_scope_of(report))


WORKBOOK_KINDS = (ReportKind.WORKBOOK_XLSX, ReportKind.WORKBOOK_ZIP)


def _report_denied(user, report=None):
    if report is not None and requested_it(user, report) and report.kind in WORKBOOK_KINDS:
        return _("Buku kerja ini memuat data yang kini tidak dapat Anda lihat: minta ekspor baru.")
    if report is not None and requested_it(user, report):
        return _("Paket ini memuat inovasi yang kini tidak dapat Anda lihat: buat paket baru.")
    return _("Laporan ini diminta orang lain.")


# The view from above: the admin and pimpinan of a province (or the nation) rank the regions below it and
# read each one's dashboard, read-only (``accounts.read_region``); a regency's see, on their own dashboard,
# where they stand among the regencies of their province: the published figures only.
add_perm(
    "reports.view_ranking",
    (is_admin | is_pimpinan) & oversees_regions & no_object,
    denied=_(
        "Peringkat wilayah untuk admin dan pimpinan provinsi dan nasional. Peringkat kabupaten/kota Anda "
        "di provinsinya ada di dasbor."
    ),
)
add_perm(
    "reports.view_region_dashboard",
    reads_region,
    denied=_("Dasbor wilayah ini dibaca oleh admin dan pimpinannya dan wilayah di atasnya."),
)
add_perm(
    "reports.view_neighbours",
    (is_admin | is_pimpinan) & has_province & no_object,
    denied=_("Peringkat di antara kabupaten/kota se-provinsi untuk admin dan pimpinan daerah."),
)
# A generated report is its requester's: found among them or not at all (404).
add_perm("reports.view_report", requested_it & sees_what_it_holds, denied=_report_denied)

# The cycle workbook (reports.workbook): its template and its import, for the admin (the whole region) and
# the operators (their own OPD, drafts only); its export is a cycle-wide document (request_cycle_report).
# An upload waiting for its confirmation is its uploader's: found among theirs or not at all (404).
add_perm(
    "reports.import_workbook",
    (is_admin | is_operator) & (no_object | in_own_region),
    denied=_("Buku kerja diimpor oleh admin Bappeda (seluruh wilayah) atau operator OPD (OPD-nya sendiri)."),
)
add_perm("reports.view_workbook_import", requested_it, denied=_("Buku kerja ini diunggah orang lain."))

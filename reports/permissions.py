"""Who may ask for which document, read the dashboard and follow the OPDs (django-rules)."""

import rules
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.permissions import (
    add_perm,
    in_own_region,
    is_admin,
    is_operator,
    is_pimpinan,
    is_reader,
    no_object,
)


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
# A generated report is its requester's: found among them or not at all (404).
add_perm("reports.view_report", requested_it, denied=_("Laporan ini diminta orang lain."))

# The cycle workbook (reports.workbook): its template and its import, for the admin (the whole region) and
# the operators (their own OPD, drafts only); its export is a cycle-wide document (request_cycle_report).
# An upload waiting for its confirmation is its uploader's: found among theirs or not at all (404).
add_perm(
    "reports.import_workbook",
    (is_admin | is_operator) & (no_object | in_own_region),
    denied=_("Buku kerja diimpor oleh admin Bappeda (seluruh wilayah) atau operator OPD (OPD-nya sendiri)."),
)
add_perm("reports.view_workbook_import", requested_it, denied=_("Buku kerja ini diunggah orang lain."))

"""Who may ask for which document, read the dashboard and follow the OPDs (django-rules)."""

import rules
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.permissions import (
    add_perm,
    has_province,
    in_own_region,
    is_admin,
    is_pimpinan,
    is_reader,
    no_object,
    oversees_regions,
    reads_region,
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
add_perm("reports.view_report", requested_it, denied=_("Laporan ini diminta orang lain."))

"""Who may ask for which document (django-rules)."""

import rules

from innovasi.accounts.permissions import is_admin, is_pimpinan, is_verifikator, no_object

# Cycle-wide documents: Bappeda and the pimpinan. An innovation's report: whoever may read the innovation.
rules.add_perm("reports.request_cycle_report", (is_admin | is_pimpinan | is_verifikator) & no_object)
rules.add_perm("reports.issue_certificates", is_admin & no_object)
rules.add_perm("reports.view_dashboard", (is_admin | is_pimpinan) & no_object)
rules.add_perm("reports.monitor_opds", is_admin & no_object)

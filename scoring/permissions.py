"""Who may verify, assign, fill the SPD rows and read the scores (django-rules)."""

import rules

from innovasi.accounts.permissions import (
    in_same_opd,
    in_same_region,
    is_admin,
    is_operator,
    is_pimpinan,
    is_verifikator,
    no_object,
)
from submissions.permissions import is_submitted


@rules.predicate
def is_assigned_verifikator(user, innovation):
    assignment = getattr(innovation, "assignment", None) if innovation is not None else None
    return assignment is not None and assignment.verifikator_id == user.pk


rules.add_perm("scoring.view_queue", is_verifikator | is_admin)
rules.add_perm("scoring.assign", is_admin & (no_object | in_same_region))
rules.add_perm(
    "scoring.judge_innovation",
    ((is_verifikator & is_assigned_verifikator) | is_admin) & in_same_region & is_submitted,
)
# Verdicts and notes: Bappeda and the pimpinan of the region, and the OPD for its own innovations.
rules.add_perm(
    "scoring.view_verdicts",
    ((is_admin | is_verifikator | is_pimpinan) & in_same_region & is_submitted) | (is_operator & in_same_opd),
)
rules.add_perm("scoring.view_index", (is_admin | is_verifikator | is_pimpinan) & (no_object | in_same_region))
rules.add_perm("scoring.view_spd", (is_admin | is_verifikator | is_pimpinan) & (no_object | in_same_region))
rules.add_perm("scoring.change_spd", is_admin & (no_object | in_same_region))
rules.add_perm("scoring.accept_spd", (is_admin | is_verifikator) & (no_object | in_same_region))
rules.add_perm("scoring.manage_awards", is_admin & (no_object | in_same_region))

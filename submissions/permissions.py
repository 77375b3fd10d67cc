"""Who may see and change innovations. Selectors mirror these rules in querysets (``selectors.visible``).

Drafts belong to their OPD alone: nobody else sees one. From submission on, Bappeda (admin,
verifikator) and the pimpinan of the same region read it too. Only the OPD's operators change it, and
only while it is a draft or returned for revision.
"""

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

from .enums import EDITABLE_STATES, InnovationState


@rules.predicate
def is_submitted(user, innovation):
    return innovation is not None and innovation.state != InnovationState.DRAFT


@rules.predicate
def is_editable(user, innovation):
    return innovation is not None and innovation.state in EDITABLE_STATES


is_reader = is_admin | is_verifikator | is_pimpinan

rules.add_perm(
    "submissions.view_innovation", (is_operator & in_same_opd) | (is_reader & in_same_region & is_submitted)
)
rules.add_perm("submissions.add_innovation", is_operator & no_object)
rules.add_perm("submissions.change_innovation", is_operator & in_same_opd & is_editable)
rules.add_perm("submissions.publish_innovation", is_admin & in_same_region)

"""Who may see and change innovations. ``selectors.visible`` is the queryset form of
``submissions.view_innovation`` (a test holds the two equal for every persona).

Drafts belong to their OPD alone: nobody else sees one. From submission on, Bappeda (admin,
verifikator) and the pimpinan of the same region read it too. Only the OPD's operators change it, and
only while it is a draft or returned for revision, and submit it only within their OPD's deadline.
"""

import rules
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.permissions import (
    add_perm,
    in_own_opd,
    in_own_region,
    is_admin,
    is_operator,
    is_reader,
    no_object,
)

from .enums import EDITABLE_STATES, InnovationState
from .selectors import submission_window


@rules.predicate
def is_submitted(user, innovation):
    return innovation is not None and innovation.state != InnovationState.DRAFT


@rules.predicate
def is_returned(user, innovation):
    return innovation is not None and innovation.is_returned


@rules.predicate
def is_editable(user, innovation):
    return innovation is not None and innovation.state in EDITABLE_STATES


@rules.predicate
def within_deadline(user, innovation):
    """The OPD's filing window (a draft) or revision window (a returned innovation) is open."""
    return innovation is not None and submission_window(innovation).is_open


def _change_denied(user, innovation):
    if in_own_opd(user, innovation):
        return _(
            "Inovasi ini berstatus %(state)s: OPD tidak dapat mengubahnya sampai dikembalikan untuk revisi."
        ) % {"state": innovation.get_state_display()}
    return _("Hanya operator OPD pemilik inovasi yang dapat mengubahnya.")


add_perm(
    "submissions.view_innovation",
    (is_operator & in_own_opd) | (is_reader & in_own_region & is_submitted),
    denied=_("Inovasi ini tidak dapat Anda lihat."),
)
add_perm(
    "submissions.list_innovations",
    is_operator | is_reader,
    denied=_("Daftar inovasi untuk operator OPD, Bappeda dan pimpinan daerah."),
)
add_perm(
    "submissions.add_innovation",
    is_operator & no_object,
    denied=_("Hanya operator OPD yang dapat membuat inovasi."),
)
add_perm("submissions.change_innovation", is_operator & in_own_opd & is_editable, denied=_change_denied)


def _submit_denied(user, innovation):
    if rules.has_perm("submissions.change_innovation", user, innovation):
        return submission_window(innovation).refusal
    return _change_denied(user, innovation)


add_perm(
    "submissions.submit_innovation",
    is_operator & in_own_opd & is_editable & within_deadline,
    denied=_submit_denied,
)
add_perm(
    "submissions.publish_innovation",
    is_admin & in_own_region,
    denied=_("Hanya admin Bappeda yang menerbitkan inovasi di galeri."),
)
add_perm(
    "submissions.answer_review",
    is_operator & in_own_opd & is_returned,
    denied=_("Catatan verifikator dijawab oleh operator OPD pemilik inovasi selama inovasi dikembalikan."),
)

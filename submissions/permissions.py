"""Who may see and change innovations. ``selectors.visible`` is the queryset form of
``submissions.view_innovation`` (a test holds the two equal for every persona).

Drafts belong to their OPD alone (its operators and its head): nobody else sees one, nor one waiting for
the head's endorsement. From the moment it reaches Bappeda on, Bappeda (admin, verifikator) and the
pimpinan of the same region read it too. Only the OPD's operators change it, and only while it is a draft
or returned for revision, and submit it only within their OPD's deadline. Where the region asks for it,
the OPD's head endorses what its operators submit, or sends it back, before it goes to Bappeda.
"""

import rules
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.permissions import (
    add_perm,
    in_own_opd,
    in_own_region,
    is_admin,
    is_kepala_opd,
    is_operator,
    is_reader,
    no_object,
)
from innovasi.standards.enums import RUNNING_CYCLE_STATES

from .enums import EDITABLE_STATES, OPD_ONLY_STATES
from .selectors import submission_window


@rules.predicate
def is_submitted(user, innovation):
    """The innovation has reached Bappeda: neither a draft nor waiting for its OPD head's endorsement."""
    return innovation is not None and innovation.state not in OPD_ONLY_STATES


@rules.predicate
def is_awaiting_endorsement(user, innovation):
    return innovation is not None and innovation.is_awaiting_endorsement


@rules.predicate
def cycle_running(user, innovation):
    """The innovation's cycle is neither in persiapan nor final: its state may still change."""
    return innovation is not None and innovation.cycle.state in RUNNING_CYCLE_STATES


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
    ((is_operator | is_kepala_opd) & in_own_opd) | (is_reader & in_own_region & is_submitted),
    denied=_("Inovasi ini tidak dapat Anda lihat."),
)
add_perm(
    "submissions.list_innovations",
    is_operator | is_kepala_opd | is_reader,
    denied=_("Daftar inovasi untuk OPD, Bappeda dan pimpinan daerah."),
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


def _endorse_denied(user, innovation):
    if is_kepala_opd(user) and in_own_opd(user, innovation):
        if not innovation.is_awaiting_endorsement:
            return _("Inovasi ini berstatus %(state)s: tidak ada yang menunggu pengesahan Anda.") % {
                "state": innovation.get_state_display()
            }
        return _("Siklus %(cycle)s berstatus %(state)s: inovasinya tidak dapat diubah.") % {
            "cycle": innovation.cycle.name,
            "state": innovation.cycle.get_state_display(),
        }
    return _("Hanya kepala OPD pemilik inovasi yang mengesahkannya.")


# The head of the OPD: the list of what waits for them, and the endorsement (or the sending back) itself.
add_perm(
    "submissions.list_endorsements",
    is_kepala_opd & no_object,
    denied=_("Daftar pengesahan untuk kepala OPD."),
)
add_perm(
    "submissions.endorse_innovation",
    is_kepala_opd & in_own_opd & is_awaiting_endorsement & cycle_running,
    denied=_endorse_denied,
)

"""Who may verify, assign, fill and accept the SPD rows, read the scores, run awards and sit on a jury.

Conflict of interest is a rule like the others: nobody judges an innovation of their own OPD or one they
created, whatever their role (``has_no_conflict``).
"""

import rules
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.permissions import (
    add_perm,
    has_province,
    in_own_opd,
    in_own_region,
    is_admin,
    is_bappeda,
    is_juri,
    is_kepala_opd,
    is_operator,
    is_pimpinan,
    is_reader,
    is_verifikator,
    no_object,
)
from submissions.permissions import is_submitted


@rules.predicate
def is_assigned_verifikator(user, innovation):
    assignment = getattr(innovation, "assignment", None) if innovation is not None else None
    return assignment is not None and assignment.verifikator_id == user.pk


@rules.predicate
def has_no_conflict(user, innovation):
    """Neither from the innovation's OPD nor its creator."""
    if innovation is None:
        return False
    return (user.opd_id is None or user.opd_id != innovation.opd_id) and innovation.created_by_id != user.pk


@rules.predicate
def is_open_to_own_region(user, scheme):
    """The scheme is one of the user's province, open to the regions below it."""
    region = getattr(user, "region", None)
    return (
        scheme is not None
        and region is not None
        and scheme.open_to_regions_below
        and scheme.cycle.region_id == region.parent_id
    )


@rules.predicate
def is_own_entry(user, nomination):
    """The nominated innovation is of the user's region (an entry the region made in its province's
    scheme)."""
    return nomination is not None and nomination.entrant_region_id == user.region_id


@rules.predicate
def is_not_author(user, entry):
    """Someone other than the last to fill the SPD row (four eyes)."""
    return entry is not None and entry.entered_by_id != user.pk


@rules.predicate
def sits_on_seat(user, member):
    return member is not None and member.juror_id == user.pk


def conflict_reason(user, innovation):
    """Why ``user`` may not judge ``innovation`` as far as ``has_no_conflict`` goes, or None."""
    if user.opd_id is not None and user.opd_id == innovation.opd_id:
        return _(
            "%(user)s berasal dari OPD yang sama (%(opd)s): tidak boleh memverifikasi inovasi OPD sendiri."
        ) % {"user": user, "opd": innovation.opd}
    if innovation.created_by_id == user.pk:
        return _("%(user)s membuat inovasi ini sendiri: tidak boleh memverifikasinya.") % {"user": user}
    return None


def assignment_refusal(verifikator, innovation):
    """Why ``verifikator`` may not be assigned ``innovation`` (the rule ``scoring.be_assigned``), or None."""
    if rules.has_perm("scoring.be_assigned", verifikator, innovation):
        return None
    if not is_verifikator(verifikator):
        return _("%(user)s bukan verifikator aktif.") % {"user": verifikator}
    if not in_own_region(verifikator, innovation):
        return _("%(user)s bukan verifikator wilayah ini.") % {"user": verifikator}
    return conflict_reason(verifikator, innovation)


def _judge_denied(user, innovation):
    if innovation is not None and (is_verifikator(user) or is_admin(user)):
        reason = conflict_reason(user, innovation)
        if reason:
            return reason
    return _("Hanya verifikator yang ditugaskan (atau admin) yang dapat menilai inovasi ini.")


add_perm("scoring.view_queue", is_bappeda, denied=_("Antrean verifikasi untuk Bappeda."))
add_perm(
    "scoring.assign",
    is_admin & (no_object | in_own_region),
    denied=_("Penugasan verifikator dilakukan admin Bappeda."),
)
add_perm(
    "scoring.be_assigned",
    is_verifikator & in_own_region & has_no_conflict,
    denied=_("Verifikator ini tidak dapat ditugaskan pada inovasi ini."),
)
add_perm(
    "scoring.judge_innovation",
    ((is_verifikator & is_assigned_verifikator) | is_admin) & in_own_region & is_submitted & has_no_conflict,
    denied=_judge_denied,
)
# Verdicts and notes: Bappeda and the pimpinan of the region, and the OPD (its operators and its head) for
# its own innovations.
add_perm(
    "scoring.view_verdicts",
    (is_reader & in_own_region & is_submitted) | ((is_operator | is_kepala_opd) & in_own_opd),
    denied=_("Putusan verifikasi inovasi ini tidak dapat Anda lihat."),
)
add_perm(
    "scoring.view_index",
    is_reader & (no_object | in_own_region),
    denied=_("Indeks wilayah untuk Bappeda dan pimpinan daerah."),
)
add_perm(
    "scoring.view_spd",
    is_reader & (no_object | in_own_region),
    denied=_("Data SPD untuk Bappeda dan pimpinan daerah."),
)
add_perm(
    "scoring.change_spd",
    is_admin & (no_object | in_own_region),
    denied=_("Hanya admin Bappeda wilayah ini yang mengisi data SPD."),
)


def _accept_spd_denied(user, entry):
    if entry is not None and is_bappeda(user) and in_own_region(user, entry):
        return _(
            "Baris ini terakhir diisi oleh Anda sendiri: harus diterima oleh verifikator atau admin lain (empat mata)."
        )
    return _("Hanya verifikator atau admin wilayah ini yang dapat menerima data SPD.")


add_perm(
    "scoring.accept_spd",
    is_bappeda & (no_object | (in_own_region & is_not_author)),
    denied=_accept_spd_denied,
)
add_perm(
    "scoring.manage_awards",
    is_admin & (no_object | in_own_region),
    denied=_("Skema penghargaan dikelola admin Bappeda."),
)
# A kabupaten or kota in the province's schemes: its admin enters its own verified innovations, its
# pimpinan follows them; neither sees another region's entries (the selectors list only their own).
add_perm(
    "scoring.view_entries",
    (is_admin | is_pimpinan) & has_province & (no_object | is_open_to_own_region),
    denied=_("Lomba provinsi untuk admin dan pimpinan kabupaten/kota di provinsi itu."),
)
add_perm(
    "scoring.enter_awards",
    is_admin & has_province & (no_object | is_open_to_own_region),
    denied=_("Entri lomba provinsi diajukan admin kabupaten/kota."),
)
add_perm(
    "scoring.withdraw_entry",
    is_admin & has_province & is_own_entry,
    denied=_("Entri lomba provinsi ditarik admin kabupaten/kota."),
)
add_perm("scoring.judge_awards", is_juri, denied=_("Halaman ini untuk juri."))
add_perm("scoring.score_seat", is_juri & sits_on_seat, denied=_("Kursi juri ini bukan milik Anda."))
add_perm("scoring.sit_on_jury", is_juri, denied=_("Akun ini bukan akun juri yang aktif."))

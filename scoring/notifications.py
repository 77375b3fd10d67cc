"""What people are told, and when: composed here in Indonesian (the portal's language) and handed to
``innovasi.accounts.services.notify``, which keeps each event to one notification per person.

Called from Celery tasks after the change they announce has been committed (run in the web process
itself when the broker cannot be reached: ``PortalTask.inline_when_broker_down``).
"""

import logging
from collections import Counter

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from innovasi.accounts.enums import Role
from innovasi.accounts.models import User
from innovasi.accounts.services import notify
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Cycle
from submissions.enums import CommentKind, InnovationState
from submissions.models import ClaimComment, Innovation

from .models import Assignment, AwardScheme, JuryMember, Nomination

logger = logging.getLogger(__name__)


def _operators(opd_id):
    return User.objects.filter(opd_id=opd_id, role=Role.OPERATOR, is_active=True)


def assignment_made(*, assignment_id, event):
    assignment = (
        Assignment.objects.select_related("innovation__opd", "verifikator").filter(pk=assignment_id).first()
    )
    if assignment is None:
        logger.info("assignment %s is gone; no notification", assignment_id)
        return
    innovation = assignment.innovation
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=[assignment.verifikator],
            key=f"assignment:{event}",
            title=_("Tugas verifikasi baru: %(name)s") % {"name": innovation.name},
            body=_("Inovasi «%(name)s» dari %(opd)s ditugaskan kepada Anda untuk diverifikasi.")
            % {"name": innovation.name, "opd": innovation.opd.name},
            url=reverse("scoring:verify", args=[innovation.pk]),
        )


def _return_notes(innovation, record, previous):
    """The verifier's row notes of the return ``record`` made: written in its transaction, after the
    state before it (the OPD cannot write in between: the innovation was with the verifier)."""
    notes = ClaimComment.objects.filter(
        claim__innovation=innovation, kind=CommentKind.RETURN_NOTE, created_at__lte=record.history_date
    )
    if previous is not None:
        notes = notes.filter(created_at__gt=previous.history_date)
    return list(notes.select_related("claim__indicator").order_by("claim__indicator__position"))


def _heads(opd_id):
    return User.objects.filter(opd_id=opd_id, role=Role.KEPALA_OPD, is_active=True)


def _verifier_return(innovation, record, previous):
    """The verifier's return: the rows to fix with their notes, and the general note."""
    title = _("Inovasi «%(name)s» dikembalikan untuk diperbaiki") % {"name": innovation.name}
    notes = _return_notes(innovation, record, previous)
    if notes:
        rows = "\n".join(
            f"- {note.claim.indicator.code} {note.claim.indicator.name}: {note.body}" for note in notes
        )
        body = _(
            "Perlu diperbaiki: %(codes)s. Catatan verifikator:\n%(rows)s\n\nPerbaiki baris-baris itu, "
            "tandai «sudah diperbaiki», lalu ajukan kembali."
        ) % {"codes": ", ".join(note.claim.indicator.code for note in notes), "rows": rows}
    else:
        body = _("Verifikator mengembalikan inovasi ini untuk diperbaiki. Perbaiki lalu ajukan kembali.")
    if record.return_note:
        body = f"{body}\n\n{_('Catatan umum verifikator:')} {record.return_note}"
    return title, body


def _resubmitted(innovation):
    """The assigned verifier's message when a returned innovation comes back to them."""
    title = _("Inovasi «%(name)s» diajukan kembali") % {"name": innovation.name}
    body = _("%(opd)s telah memperbaiki inovasi ini. Baris yang diubah menunggu putusan Anda.") % {
        "opd": innovation.opd.name
    }
    return [
        ([innovation.assignment.verifikator], title, body, reverse("scoring:verify", args=[innovation.pk]))
    ]


def _messages(innovation, record, previous):
    """(users, title, body, url) of everyone the transition ``record`` concerns."""
    detail = reverse("submissions:detail", args=[innovation.pk])
    edit = reverse("submissions:edit", args=[innovation.pk])
    came_from = previous.state if previous is not None else None
    assigned = hasattr(innovation, "assignment")
    if record.state == InnovationState.MENUNGGU_PENGESAHAN:
        title = _("Inovasi «%(name)s» menunggu pengesahan Anda") % {"name": innovation.name}
        body = _(
            "%(user)s mengajukan inovasi ini. Periksa profil, indikator dan buktinya, lalu sahkan agar "
            "diteruskan ke Bappeda, atau kembalikan kepada operator dengan catatan."
        ) % {"user": record.history_user or innovation.opd.name}
        if came_from == InnovationState.REVISI:
            again = _("Inovasi ini diajukan kembali setelah dikembalikan verifikator.")
            body = f"{body} {again}"
        return [(_heads(innovation.opd_id), title, body, f"{detail}#pengesahan")]
    if came_from == InnovationState.MENUNGGU_PENGESAHAN and record.state != InnovationState.DIAJUKAN:
        title = _("Inovasi «%(name)s» dikembalikan kepala OPD") % {"name": innovation.name}
        body = _(
            "Kepala OPD mengembalikan inovasi ini sebelum diteruskan ke Bappeda. Catatan kepala OPD:\n"
            "%(note)s\n\nPerbaiki lalu ajukan lagi."
        ) % {"note": record.endorsement_note}
        return [(_operators(innovation.opd_id), title, body, edit)]
    if record.state == InnovationState.REVISI:
        title, body = _verifier_return(innovation, record, previous)
        return [(_operators(innovation.opd_id), title, body, edit)]
    if record.state == InnovationState.TERVERIFIKASI:
        title = _("Inovasi «%(name)s» sudah diverifikasi") % {"name": innovation.name}
        body = _("Bappeda telah memverifikasi inovasi Anda. Lihat kematangan terverifikasinya di portal.")
        return [(_operators(innovation.opd_id), title, body, detail)]
    if record.state == InnovationState.DIAJUKAN and came_from == InnovationState.MENUNGGU_PENGESAHAN:
        title = _("Inovasi «%(name)s» disahkan kepala OPD") % {"name": innovation.name}
        body = _("Kepala OPD mengesahkan inovasi ini; inovasi diteruskan ke Bappeda untuk diverifikasi.")
        told = [(_operators(innovation.opd_id), title, body, detail)]
        # Waiting for the head, it kept the moment it first reached Bappeda: a return coming back.
        if previous.submitted_at is not None and assigned:
            told += _resubmitted(innovation)
        return told
    if record.state == InnovationState.DIAJUKAN and came_from == InnovationState.REVISI and assigned:
        return _resubmitted(innovation)
    return []


def state_changed(*, innovation_id, event):
    """Waiting for endorsement: the OPD's heads. Sent back by the head, endorsed, returned or verified:
    the OPD's operators. Resubmitted after revision (endorsed, where the head endorses): the assigned
    verifikator.

    What is said follows the event (the history record of the transition), not the innovation as it is
    when the task runs: a task that waited in the queue behind the next transition says what happened.
    """
    innovation = Innovation.objects.select_related("opd").filter(pk=innovation_id).first()
    record = (
        Innovation.history.filter(id=innovation_id, history_id=event).select_related("history_user").first()
    )
    if innovation is None or record is None:
        logger.info("innovation %s or its event %s is gone; no notification", innovation_id, event)
        return
    with translation.override(settings.LANGUAGE_CODE):
        for users, title, body, url in _messages(innovation, record, record.prev_record):
            notify(users=users, key=f"state:{event}", title=title, body=body, url=url)


def draft_reminders(today=None):
    """Remind the operators of OPDs with drafts, on the configured days before each open cycle closes."""
    today = today or timezone.localdate()
    for cycle in Cycle.objects.filter(state=CycleState.OPEN):
        days_left = (cycle.filing_closes_on - today).days
        if days_left not in settings.REMINDER_DAYS_BEFORE_CLOSE:
            continue
        opd_ids = (
            Innovation.objects.filter(cycle=cycle, state=InnovationState.DRAFT)
            .values_list("opd_id", flat=True)
            .distinct()
        )
        for opd_id in opd_ids:
            opd_reminder(cycle=cycle, opd_id=opd_id, days_left=days_left)


def opd_reminder(*, cycle, opd_id, days_left, key=None):
    """One reminder to an OPD's operators about its drafts in ``cycle`` (also sent by the admin's button)."""
    states = Counter(Innovation.objects.filter(cycle=cycle, opd_id=opd_id).values_list("state", flat=True))
    facts = {"cycle": cycle.name, "date": cycle.filing_closes_on.strftime("%d-%m-%Y"), "days": days_left}
    with translation.override(settings.LANGUAGE_CODE):
        if states[InnovationState.DRAFT]:
            title = _("Pengingat: %(count)d draf inovasi belum diajukan") % {
                "count": states[InnovationState.DRAFT]
            }
            body = _(
                "%(cycle)s ditutup pada %(date)s (%(days)d hari lagi). Lengkapi dan ajukan draf Anda sebelum tanggal itu."
            )
        elif states[InnovationState.REVISI]:
            title = _("Pengingat: %(count)d inovasi menunggu perbaikan") % {
                "count": states[InnovationState.REVISI]
            }
            body = _(
                "%(cycle)s ditutup pada %(date)s (%(days)d hari lagi). Perbaiki inovasi yang dikembalikan verifikator "
                "lalu ajukan kembali sebelum tanggal itu."
            )
        elif states:
            title = _("Pengingat: %(cycle)s ditutup %(days)d hari lagi") % facts
            body = _(
                "Semua inovasi OPD Anda sudah diajukan. Inovasi baru masih dapat didaftarkan sampai %(date)s."
            )
        else:
            title = _("Pengingat: OPD Anda belum mendaftarkan inovasi")
            body = _(
                "%(cycle)s ditutup pada %(date)s (%(days)d hari lagi). Daftarkan inovasi OPD Anda di portal sebelum "
                "tanggal itu."
            )
        return notify(
            users=_operators(opd_id),
            key=key or f"reminder:{cycle.pk}:{opd_id}:{cycle.filing_closes_on}:{days_left}",
            title=title,
            body=body % facts,
            url=reverse("submissions:list"),
        )


def nomination_made(*, nomination_id):
    nomination = (
        Nomination.objects.select_related("innovation", "category", "scheme").filter(pk=nomination_id).first()
    )
    if nomination is None:
        return
    innovation = nomination.innovation
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=_operators(innovation.opd_id),
            key=f"nomination:{nomination.pk}",
            title=_("Inovasi «%(name)s» dinominasikan") % {"name": innovation.name},
            body=_("Inovasi Anda masuk nominasi %(scheme)s, kategori %(category)s.")
            % {"scheme": nomination.scheme.name, "category": nomination.category.name},
            url=reverse("submissions:detail", args=[innovation.pk]),
        )


def regional_call_opened(*, scheme_id):
    """A province's scheme open to the regions below: their admins are told of the call and its deadline."""
    scheme = (
        AwardScheme.objects.select_related("cycle__region")
        .filter(pk=scheme_id, open_to_regions_below=True)
        .first()
    )
    if scheme is None:
        return
    admins = User.objects.filter(
        region__parent_id=scheme.cycle.region_id, role=Role.ADMIN, is_active=True
    ).select_related("region")
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=admins,
            key=f"regional-call:{scheme.pk}",
            title=_("%(province)s membuka %(scheme)s")
            % {"province": scheme.cycle.region.name, "scheme": scheme.name},
            body=_(
                "Ajukan inovasi terverifikasi wilayah Anda, paling banyak %(limit)d entri, sampai %(date)s."
            )
            % {"limit": scheme.entries_per_region, "date": date_format(scheme.entry_deadline, "j F Y")},
            url=reverse("scoring:entry_scheme", args=[scheme.pk]),
        )


def entry_removed(*, scheme_id, innovation_id):
    """A regency's entry removed by its province: the regency's admins are told."""
    scheme = AwardScheme.objects.select_related("cycle__region").filter(pk=scheme_id).first()
    innovation = Innovation.objects.select_related("opd").filter(pk=innovation_id).first()
    if scheme is None or innovation is None:
        return
    admins = User.objects.filter(region_id=innovation.opd.region_id, role=Role.ADMIN, is_active=True)
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=admins,
            key=f"entry-removed:{scheme.pk}:{innovation.pk}",
            title=_("Entri «%(name)s» dikeluarkan dari %(scheme)s")
            % {"name": innovation.name, "scheme": scheme.name},
            body=_("%(province)s mengeluarkan entri ini. Tanyakan alasannya kepada penyelenggara.")
            % {"province": scheme.cycle.region.name},
            url=reverse("scoring:entry_scheme", args=[scheme.pk]),
        )


def jury_seat_given(*, member_id):
    member = JuryMember.objects.select_related("juror", "category__scheme").filter(pk=member_id).first()
    if member is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=[member.juror],
            key=f"jury:{member.pk}",
            title=_("Anda menjadi juri: %(scheme)s") % {"scheme": member.category.scheme.name},
            body=_("Kategori %(category)s. Nyatakan konflik kepentingan Anda, lalu nilai setiap nominasi.")
            % {"category": member.category.name},
            url=reverse("scoring:jury_sheet", args=[member.pk]),
        )


def jury_reminders(today=None):
    """One reminder a day to each juror whose sheet of an open scheme is not yet submitted."""
    today = today or timezone.localdate()
    waiting = JuryMember.objects.filter(
        submitted_at__isnull=True, category__scheme__finalised_at__isnull=True
    ).select_related("juror", "category__scheme")
    for member in waiting:
        with translation.override(settings.LANGUAGE_CODE):
            notify(
                users=[member.juror],
                key=f"jury-reminder:{member.pk}:{today.isoformat()}",
                title=_("Pengingat penjurian: %(scheme)s") % {"scheme": member.category.scheme.name},
                body=_("Nilai kategori %(category)s belum Anda kirim.") % {"category": member.category.name},
                url=reverse("scoring:jury_sheet", args=[member.pk]),
            )

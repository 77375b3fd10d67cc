"""Reads of the workbook uploads: a user's own, and one of them."""

from django.http import Http404
from django.utils.translation import gettext as _

from ..models import WorkbookImport

RECENT_UPLOADS = 10


def uploads_of(*, user, cycle) -> list[WorkbookImport]:
    """The user's newest uploads into ``cycle`` (1 query): a preview left open is found again here."""
    return list(
        WorkbookImport.objects.filter(requested_by=user, cycle=cycle)
        .only("pk", "state", "workbook_name", "created_at", "cycle_id", "requested_by_id")
        .order_by("-created_at")[:RECENT_UPLOADS]
    )


def upload_get(*, user, pk) -> WorkbookImport:
    """One of the user's uploads, or 404: another's is not told apart from a missing one."""
    upload = (
        WorkbookImport.objects.select_related("cycle__catalogue", "cycle__region", "opd")
        .filter(pk=pk, requested_by=user)
        .first()
    )
    if upload is None:
        raise Http404(_("Unggahan buku kerja tidak ditemukan."))
    return upload

"""The cycle workbook on the portal: its template, the upload of a filled one with its preview (every bad
cell, or what the import would do) and its confirmation. The export is a generated report
(``reports:request``, kinds ``workbook_xlsx`` and ``workbook_zip``). Checking and importing happen in
workers; the page follows them."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from innovasi.accounts.permissions import allowed, is_admin, permission_required
from innovasi.errors import PortalError
from innovasi.standards.selectors import cycle_get
from innovasi.tables import XLSX_MIME

from .forms import WorkbookImportForm
from .workbook import selectors
from .workbook import services as workbook_services
from .workbook.export import template_data
from .workbook.writer import workbook_bytes


def _cycle(request, pk):
    return cycle_get(region_id=request.user.region_id, pk=pk)


def _own_upload(request, pk):
    return selectors.upload_get(user=request.user, pk=pk)


@require_safe
@permission_required("reports.import_workbook", of=_cycle)
def workbook_template(request, cycle):
    """The empty workbook of the cycle's catalogue: the admin's for the whole region, an operator's for
    their OPD (its drop-down offers their OPD alone)."""
    opd = None if is_admin(request.user) else request.user.opd
    response = HttpResponse(workbook_bytes(template_data(cycle=cycle, opd=opd)), content_type=XLSX_MIME)
    name = f"templat-buku-kerja-{slugify(cycle.name)[:60]}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("reports.import_workbook", of=_cycle)
def workbook_import(request, cycle):
    """GET: the upload form and the user's recent uploads into the cycle. POST: the files are kept and
    checked by a worker; the user follows the check on the upload's page."""
    form = WorkbookImportForm(request.POST or None, request.FILES or None, limit=settings.UPLOAD_MAX_BYTES)
    if request.method == "POST" and form.is_valid():
        try:
            upload = workbook_services.workbook_upload_create(
                cycle=cycle,
                user=request.user,
                workbook=form.cleaned_data["workbook"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            return redirect("reports:workbook_upload", pk=upload.pk)
    return render(
        request,
        "reports/workbook_import.html",
        {
            "cycle": cycle,
            "form": form,
            "uploads": selectors.uploads_of(user=request.user, cycle=cycle),
            "whole_region": is_admin(request.user),
            "can_export": allowed(request.user, "reports.request_cycle_report"),
        },
    )


@require_safe
@permission_required("reports.view_workbook_import", of=_own_upload)
def workbook_upload(request, upload):
    """An upload's page: its check or import under way (followed with htmx), its problems, or its preview
    with the confirmation, or its outcome."""
    template = "reports/includes/_workbook_upload.html" if request.htmx else "reports/workbook_upload.html"
    return render(request, template, {"upload": upload, "summary": upload.summary})


@require_POST
@permission_required("reports.view_workbook_import", of=_own_upload)
def workbook_upload_confirm(request, upload):
    """Import a clean preview (by a worker, checking it again): all of it, or nothing."""
    try:
        workbook_services.workbook_upload_confirm(upload=upload, user=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("reports:workbook_upload", pk=upload.pk)

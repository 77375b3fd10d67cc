"""The admin's pages of the region's OPDs: the list, adding one, its page (change it, its accounts, its
history), deactivating it, and importing OPDs from a file. An OPD of another region is a 404."""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innovasi.errors import PortalError
from innovasi.http import choice_param, int_param, text_param

from .. import forms, selectors
from ..permissions import allowed, permission_required, require
from ..services import imports, people
from .imports import import_page

ACTIVE = {"aktif": True, "nonaktif": False}


def _own_opd(request, pk):
    return selectors.opd_get(region_id=request.user.region_id, pk=pk)


def _form_refused(form, error):
    for problem in error.problems or [error.message]:
        form.add_error(None, problem)


@require_safe
@permission_required("accounts.view_opd")
def opd_list(request):
    status = choice_param(request.GET, "status", ACTIVE)
    query = text_param(request.GET, "q")
    opds = selectors.opd_list(region_id=request.user.region_id, active=ACTIVE.get(status), query=query)
    return render(
        request,
        "accounts/opd_list.html",
        {
            "opds": opds,
            "status": status,
            "query": query,
            "can_add": allowed(request.user, "accounts.add_opd"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.add_opd")
def opd_create(request):
    form = forms.OpdForm(request.POST or None)
    if form.is_valid():
        values = {key: form.cleaned_data[key] for key in ("name", "short_name", "kind")}
        try:
            opd = people.opd_create(region=request.user.region, by=request.user, **values)
        except PortalError as error:
            _form_refused(form, error)
        else:
            messages.success(request, _("OPD %(opd)s ditambahkan.") % {"opd": opd.name})
            return redirect("accounts:opd_detail", pk=opd.pk)
    return render(request, "accounts/opd_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.view_opd", of=_own_opd)
def opd_detail(request, opd):
    """The OPD's page: its values to change, its accounts and its history of changes."""
    initial = {
        "name": opd.name,
        "short_name": opd.short_name,
        "kind": opd.kind,
        "seen": people.fingerprint(opd, people.OPD_FIELDS),
    }
    form = forms.OpdForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(request.user, "accounts.change_opd", opd)
        if form.is_valid():
            try:
                people.opd_update(
                    opd=opd,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    short_name=form.cleaned_data["short_name"],
                    kind=form.cleaned_data["kind"],
                    seen=form.cleaned_data["seen"],
                )
            except PortalError as error:
                _form_refused(form, error)
            else:
                messages.success(request, _("Perubahan OPD disimpan."))
                return redirect("accounts:opd_detail", pk=opd.pk)
    return render(
        request,
        "accounts/opd_detail.html",
        {
            "opd": opd,
            "form": form,
            "users": selectors.opd_users(opd=opd),
            "has_operator": selectors.opd_has_operator(opd=opd),
            "history": selectors.opd_history(opd=opd),
        },
    )


@require_POST
@permission_required("accounts.change_opd", of=_own_opd)
def opd_active(request, opd):
    active = int_param(request.POST, "aktif", required=True)
    if active not in (0, 1):
        raise BadRequest(_("Parameter «aktif» harus 0 atau 1."))
    try:
        people.opd_set_active(opd=opd, by=request.user, active=bool(active))
    except PortalError as error:
        messages.error(request, error.message)
    else:
        message = _("%(opd)s diaktifkan kembali.") if active else _("%(opd)s dinonaktifkan.")
        messages.success(request, message % {"opd": opd.name})
    return redirect("accounts:opd_detail", pk=opd.pk)


@require_http_methods(["GET", "POST"])
@permission_required("accounts.add_opd")
def opd_import(request):
    region = request.user.region
    return import_page(
        request,
        kind=imports.KIND_OPD,
        check=lambda rows: imports.opds_check(region=region, rows=rows),
        run=lambda rows: imports.opds_import(region=region, rows=rows, by=request.user),
        done="accounts:opd_list",
    )

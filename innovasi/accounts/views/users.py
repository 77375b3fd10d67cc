"""The admin's pages of the region's users: the list with its filters, the invitation, an account's page
(its role and OPD, its history), deactivating it, a new set-password link, and importing users from a
file. An account of another region is a 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innovasi.errors import PortalError
from innovasi.http import choice_param, int_param, text_param

from .. import forms, selectors
from ..enums import Role
from ..permissions import allowed, permission_required, require
from ..services import imports, people
from .imports import import_page

ACTIVE = {"aktif": True, "nonaktif": False}


def _own_user(request, pk):
    return selectors.user_get(region_id=request.user.region_id, pk=pk)


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _form_refused(form, error):
    for problem in error.problems or [error.message]:
        form.add_error(None, problem)


@require_safe
@permission_required("accounts.view_user")
def user_list(request):
    region_id = request.user.region_id
    filters = selectors.UserFilters(
        role=choice_param(request.GET, "peran", Role.values),
        opd_id=int_param(request.GET, "opd"),
        active=ACTIVE.get(choice_param(request.GET, "status", ACTIVE)),
        login=choice_param(request.GET, "masuk", selectors.LOGIN_FILTERS),
        query=text_param(request.GET, "q"),
    )
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": selectors.user_list(
                region_id=region_id, filters=filters, page=request.GET.get("halaman", 1)
            ),
            "filters": filters,
            "status": choice_param(request.GET, "status", ACTIVE),
            "roles": Role.choices,
            "opds": selectors.opd_choices(region_id=region_id, active_only=False),
            "can_add": allowed(request.user, "accounts.add_user"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.add_user")
def user_invite(request):
    """Invite someone: an account without a password and an e-mail with its set-password link, shown here
    too (to pass on when the mail does not arrive)."""
    opds = selectors.opd_choices(region_id=request.user.region_id)
    # From an OPD's page: its operator, most likely.
    opd_id = int_param(request.GET, "opd")
    initial = {"opd": opd_id, "role": Role.OPERATOR} if opd_id else {}
    form = forms.UserForm(request.POST or None, opds=opds, initial=initial)
    if form.is_valid():
        try:
            link = people.user_invite(
                region=request.user.region,
                by=request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                opd=form.cleaned_data["opd"],
                affiliation=form.cleaned_data["affiliation"],
                base_url=_base_url(request),
            )
        except PortalError as error:
            _form_refused(form, error)
        else:
            return render(request, "accounts/user_link.html", {"link": link, "account": link.user})
    return render(
        request,
        "accounts/user_invite.html",
        {"form": form, "invitation_days": settings.INVITATION_VALID_DAYS},
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.view_user", of=_own_user)
def user_detail(request, account):
    """An account's page: its name, e-mail, role and OPD to change, its access, and its history."""
    can_change = allowed(request.user, "accounts.change_user", account)
    can_change_access = allowed(request.user, "accounts.change_user_access", account)
    opds = selectors.opd_choices(region_id=request.user.region_id, including=account.opd_id)
    initial = {
        "name": account.get_full_name(),
        "email": account.email,
        "role": account.role,
        "opd": account.opd_id,
        "affiliation": account.affiliation,
        "seen": people.fingerprint(account, people.USER_FIELDS),
    }
    form = forms.UserForm(request.POST or None, initial=initial, opds=opds, role_fixed=not can_change_access)
    if request.method == "POST":
        require(request.user, "accounts.change_user", account)
        if form.is_valid():
            try:
                people.user_update(
                    user=account,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    opd=form.cleaned_data["opd"],
                    affiliation=form.cleaned_data["affiliation"],
                    seen=form.cleaned_data["seen"],
                )
            except PortalError as error:
                _form_refused(form, error)
            else:
                messages.success(request, _("Perubahan akun %(user)s disimpan.") % {"user": account})
                return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "form": form,
            "can_change": can_change,
            "can_change_access": can_change_access,
            "history": selectors.user_history(user=account),
        },
    )


@require_POST
@permission_required("accounts.change_user_access", of=_own_user)
def user_active(request, account):
    active = int_param(request.POST, "aktif", required=True)
    if active not in (0, 1):
        raise BadRequest(_("Parameter «aktif» harus 0 atau 1."))
    people.user_set_active(user=account, by=request.user, active=bool(active))
    message = _("Akun %(user)s diaktifkan kembali.") if active else _("Akun %(user)s dinonaktifkan.")
    messages.success(request, message % {"user": account})
    return redirect("accounts:user_detail", pk=account.pk)


@require_POST
@permission_required("accounts.change_user", of=_own_user)
def user_link(request, account):
    """A new set-password link for the account, mailed and shown: an invitation while it has never set a
    password, else a password-reset link."""
    try:
        link = people.user_link_send(user=account, by=request.user, base_url=_base_url(request))
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_link.html", {"link": link, "account": account})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.add_user")
def user_import(request):
    region, base_url = request.user.region, _base_url(request)
    return import_page(
        request,
        kind=imports.KIND_USER,
        check=lambda rows: imports.users_check(region=region, rows=rows, by=request.user),
        run=lambda rows: imports.users_import(region=region, rows=rows, by=request.user, base_url=base_url),
        done="accounts:user_list",
    )

"""The account's API tokens: listed, made (the token shown once, on the answer to the form) and revoked."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from innovasi.accounts.permissions import permission_required
from innovasi.errors import PortalError

from . import selectors, services
from .forms import TokenCreateForm


def _own_token(request, pk):
    return selectors.token_get(user=request.user, pk=pk)


def _page(request, form, *, created=None):
    return render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "created": created,
            "tokens": selectors.tokens_of(request.user),
            "history": selectors.tokens_history(request.user),
            "max_tokens": services.MAX_ACTIVE_TOKENS,
        },
    )


@never_cache  # the answer to a creation holds the token itself: no cache keeps it
@require_http_methods(["GET", "POST"])
@permission_required("api.manage_tokens")
def token_list(request):
    """The user's tokens; a POST makes one and shows it, this once, on the page it answers with."""
    if request.method != "POST":
        return _page(request, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.token_create(user=request.user, name=form.cleaned_data["name"])
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            return _page(request, TokenCreateForm(), created={"token": token, "raw": raw})
    return _page(request, form)


@require_POST
@permission_required("api.revoke_token", of=_own_token)
def token_revoke(request, token):
    try:
        services.token_revoke(token=token, user=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Token «%(name)s» dicabut: permintaan dengannya kini ditolak.") % {"name": token.name}
        )
    return redirect("tokens:list")

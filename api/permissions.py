"""Who may keep API tokens, and who may read a region through the API (django-rules).

Everything else the API serves is decided by the rules the pages ask: ``scoring.view_index`` for the
index, ``submissions.list_innovations`` / ``submissions.view_innovation`` (and the selector that is their
queryset form) for innovations, ``scoring.view_verdicts`` for the verdicts. A token holds no rights of its
own: its requests are its owner's.
"""

import rules
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.permissions import add_perm, is_signed_in, no_object


@rules.predicate
def owns_token(user, token):
    return token is not None and token.user_id == user.pk


@rules.predicate
def has_a_region_role(user):
    """Works in a region with a role: what every page beyond the public ones asks first."""
    return user.is_authenticated and user.is_active and bool(user.role) and user.region_id is not None


@rules.predicate
def is_own_region(user, region):
    return region is not None and region.pk == getattr(user, "region_id", None)


# Anyone with an account keeps their own tokens; what a token may read is what its owner may.
add_perm("api.manage_tokens", is_signed_in, denied=_("Masuk terlebih dahulu."))
add_perm(
    "api.revoke_token",
    is_signed_in & owns_token,
    denied=_("Token ini milik orang lain."),
)
# A region and its cycles: everyone who works in it (each of its pages shows the current cycle).
add_perm(
    "api.view_region",
    has_a_region_role & (no_object | is_own_region),
    denied=_("Data wilayah untuk pengguna portal wilayah ini."),
)

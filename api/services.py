"""Writes of the API app: personal access tokens made and revoked, each in its history."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innovasi.accounts.models import User
from innovasi.accounts.permissions import require
from innovasi.errors import PortalError

from .models import AccessToken

# A token reads as the portal's own ("pid_" for Portal Inovasi Daerah), so that a leaked one is recognised
# by a secret scanner or a colleague; 32 random bytes follow, URL-safe.
TOKEN_START = "pid_"
PREFIX_LENGTH = 12  # the start plus 8 random characters: enough to tell one's tokens apart
MAX_ACTIVE_TOKENS = 10
NAME_MAX_LENGTH = 100


def token_digest(raw: str) -> str:
    """The SHA-256 of a token, as stored. A fast digest is enough: a token is 256 random bits, so nobody
    finds it from its digest by trying, and each request then finds its token with one indexed lookup."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _saved(token: AccessToken, *, user: User, reason: str, update_fields=None) -> AccessToken:
    token._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save
    token._change_reason = reason  # type: ignore[attr-defined]
    token.save(update_fields=update_fields)
    return token


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[AccessToken, str]:
    """Make a token for ``user`` named ``name`` (what it is for); returns it with the token itself, which
    is shown once and never stored (only its digest and its first characters are). At most
    MAX_ACTIVE_TOKENS active tokens per user; the creation is in the token's history."""
    require(user, "api.manage_tokens", error=PortalError)
    name = " ".join((name or "").split())
    if not name:
        raise PortalError(_("Beri token nama: untuk apa atau aplikasi mana token ini dipakai."))
    if len(name) > NAME_MAX_LENGTH:
        raise PortalError(_("Nama token paling panjang %(n)d karakter.") % {"n": NAME_MAX_LENGTH})
    # The user's row is the lock: two creations at once cannot both pass the count.
    User.objects.select_for_update().only("pk").get(pk=user.pk)
    if AccessToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise PortalError(
            _("Anda sudah mempunyai %(n)d token aktif. Cabut token yang tidak dipakai lagi dahulu.")
            % {"n": MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_START + secrets.token_urlsafe(32)
    token = AccessToken(user=user, name=name, prefix=raw[:PREFIX_LENGTH], digest=token_digest(raw))
    _saved(token, user=user, reason=_("Token API «%(name)s» dibuat") % {"name": name})
    return token, raw


@transaction.atomic
def token_revoke(*, token: AccessToken, user: User) -> AccessToken:
    """Revoke ``token`` (its owner only): from now on every request with it is refused (401). Revoking a
    revoked token changes nothing. The revocation is in the token's history."""
    locked = AccessToken.objects.select_for_update().get(pk=token.pk)
    require(user, "api.revoke_token", locked, error=PortalError)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    return _saved(
        locked,
        user=user,
        reason=_("Token API «%(name)s» dicabut") % {"name": locked.name},
        update_fields=["revoked_at"],
    )

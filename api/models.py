from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AccessToken(models.Model):
    """A personal access token of the API: whoever sends it (``Authorization: Bearer <token>``) reads the API
    with its owner's rights, by the same rules as the owner's pages.

    The token itself is shown once, when it is made, and never stored: only the SHA-256 digest of it (each
    request finds its token by the digest, one indexed lookup) and its first characters (``prefix``), by
    which its owner recognises it in the list. A revoked token stays, with its history, and is refused.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_tokens",
        verbose_name=_("pemilik"),
    )
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(_("awalan"), max_length=12)
    # Unique, so indexed: every API request looks its token up by it.
    digest = models.CharField(_("sidik"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("token akses API")
        verbose_name_plural = _("token akses API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None

import logging

import rules
from django.db import DatabaseError

from .models import Notification

logger = logging.getLogger(__name__)


class _AppPerms:
    def __init__(self, user, app):
        self.user, self.app = user, app

    def __getitem__(self, name):
        return rules.has_perm(f"{self.app}.{name}", self.user)


class RulePerms:
    """``perms.<app>.<name>`` in templates, answered by the portal's rules (``rules.has_perm``) rather than
    ``User.has_perm``, which grants a superuser everything: the navigation shows what the role allows."""

    def __init__(self, user):
        self.user = user

    def __getitem__(self, app):
        return _AppPerms(self.user, app)

    def __contains__(self, perm):
        return rules.has_perm(perm, self.user)


def portal(request):
    """The rule-backed ``perms`` (it replaces Django's, listed before it) and the number of unread
    notifications for the navbar badge (one indexed count per page).

    The count is left out when the database fails here: a page rendered after a save that committed must
    not fail on its badge.
    """
    user = getattr(request, "user", None)
    if user is None:
        return {}
    context = {"perms": RulePerms(user)}
    if user.is_authenticated:
        try:
            context["unread_notifications"] = Notification.objects.filter(
                user=user, read_at__isnull=True
            ).count()
        except DatabaseError as error:
            logger.warning("unread notifications not counted: the database failed (%s)", error)
    return context

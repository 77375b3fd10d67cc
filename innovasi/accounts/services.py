"""Writes of the accounts app: notifications to users."""

from django.db import transaction
from django.utils import timezone

from .models import Notification
from .tasks import deliver_notifications


@transaction.atomic
def notify(*, users, key, title, body="", url="", email=True):
    """Notify each user once per ``key`` (an event id); e-mail the new ones from a worker after commit.

    Returns the notifications created now; users already notified of this event are skipped.
    """
    created = []
    for user in users:
        notification, is_new = Notification.objects.get_or_create(
            user=user, key=key, defaults={"title": title, "body": body, "url": url}
        )
        if is_new:
            created.append(notification)
    if email and created:
        deliver_notifications.delay_on_commit(notification_ids=[n.pk for n in created])
    return created


def notifications_mark_read(*, user, pk=None):
    """Mark one notification (or, without ``pk``, all of them) of ``user`` as read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())

"""Notifications to users, and the password-reset requests with their throttle."""

import datetime

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..models import Notification, PasswordResetRequest
from ..tasks import deliver_notifications, password_reset_mail

PASSWORD_RESET_WINDOW = datetime.timedelta(hours=1)
PASSWORD_RESET_SUBJECT = "registration/password_reset_subject.txt"
PASSWORD_RESET_BODY = "registration/password_reset_email.txt"
# Any fixed number: the key of the PostgreSQL advisory lock the throttle's count-and-record takes.
PASSWORD_RESET_LOCK = 7_301_865_214


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


def _keyed_hash(kind, value):
    return salted_hmac(f"innovasi.accounts.password_reset.{kind}", value, algorithm="sha256").hexdigest()


@transaction.atomic
def password_reset_request(*, email, client, domain, use_https, language) -> bool:
    """Ask for a password-reset mail to ``email``; False (nothing recorded or sent) when ``client`` has
    asked more than ``PASSWORD_RESET_LIMIT_PER_CLIENT`` times within the hour.

    The request does the same work whatever the address: it counts and records the request under keyed
    hashes of the address and the client, looks no account up, and enqueues ``password_reset_mail`` after
    commit, which finds the account, makes the token and sends the mail. An address asked for more than
    ``PASSWORD_RESET_LIMIT_PER_ADDRESS`` times within the hour gets no more mail, but the caller answers as
    if it did: the throttle says nothing about the account either.
    """
    now = timezone.now()
    address_hash = _keyed_hash("address", email.strip().casefold())
    client_hash = _keyed_hash("client", client or "")
    if connection.vendor == "postgresql":
        # Two requests counted at once could both stay under the limit: they take turns (a few
        # milliseconds each, to commit). SQLite's IMMEDIATE transactions take turns already.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PASSWORD_RESET_LOCK])
    recent = PasswordResetRequest.objects.filter(
        Q(address_hash=address_hash) | Q(client_hash=client_hash),
        requested_at__gt=now - PASSWORD_RESET_WINDOW,
    ).aggregate(
        address=Count("pk", filter=Q(address_hash=address_hash)),
        client=Count("pk", filter=Q(client_hash=client_hash)),
    )
    if recent["client"] >= settings.PASSWORD_RESET_LIMIT_PER_CLIENT:
        return False
    PasswordResetRequest.objects.create(address_hash=address_hash, client_hash=client_hash, requested_at=now)
    if recent["address"] < settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
        password_reset_mail.delay_on_commit(
            email=email, domain=domain, use_https=use_https, language=language
        )
    return True


def password_reset_mail_send(*, email, domain, use_https, language) -> int:
    """Mail a link that sets a new password to each active account of ``email`` with a usable password
    (Django's rules), in ``language``, and return how many were sent: none for an unknown address.

    Also forgets the throttle's requests older than its window. A mail server that cannot be reached
    raises (OSError) for the task to retry.
    """
    PasswordResetRequest.objects.filter(requested_at__lte=timezone.now() - PASSWORD_RESET_WINDOW).delete()
    sent = 0
    with translation.override(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
        for user in auth_forms.PasswordResetForm().get_users(email):
            context = {
                "email": user.email,
                "domain": domain,
                "site_name": domain,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "user": user,
                "token": default_token_generator.make_token(user),
                "protocol": "https" if use_https else "http",
            }
            subject = "".join(render_to_string(PASSWORD_RESET_SUBJECT, context).splitlines())
            body = render_to_string(PASSWORD_RESET_BODY, context)
            EmailMultiAlternatives(
                subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
            ).send()
            sent += 1
    return sent

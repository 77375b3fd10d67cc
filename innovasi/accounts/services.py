"""Writes of the accounts app: notifications to users, the password-reset requests with their throttle, and
a region's settings (letterhead, signatories, certificate numbering)."""

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
from django.utils.translation import gettext as _

from innovasi.errors import PortalError

from .models import REGION_SETTINGS_FIELDS, Notification, PasswordResetRequest, Region
from .permissions import require
from .tasks import deliver_notifications, password_reset_mail

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


class SettingsConflict(PortalError):
    """Someone saved the region's settings since the caller's form was opened."""


@transaction.atomic
def region_settings_update(
    *, region, user, version: int, values: dict, logo=None, logo_remove: bool = False
) -> Region:
    """Save the region's settings (``values``: the fields of ``REGION_SETTINGS_FIELDS`` the form checked)
    and, when given, a new logo (checked by the form too) or its removal.

    Refused (PortalError) unless ``user`` may change them, and when someone saved since ``version`` was
    read: the form was opened on older settings. Only the fields that differ are written, in one history
    record with ``user``; nothing at all when nothing differs. A replaced logo's file is kept: the
    certificates issued with it still print it.
    """
    require(user, "accounts.change_region_settings", region, error=PortalError)
    # The row lock makes the version check and the write one step: two saves take turns, and the second
    # sees the first's version. Certificates being issued hold the same lock (reports.services).
    locked = Region.objects.select_for_update().get(pk=region.pk)
    if locked.settings_version != version:
        raise SettingsConflict(
            _(
                "Pengaturan wilayah baru saja disimpan oleh orang lain. Perubahan Anda belum disimpan: muat "
                "ulang halaman untuk melihat pengaturan terbaru, lalu ulangi perubahan Anda."
            )
        )
    changed = [
        name for name in REGION_SETTINGS_FIELDS if name in values and getattr(locked, name) != values[name]
    ]
    for name in changed:
        setattr(locked, name, values[name])
    if logo is not None:
        locked.logo.save(logo.name, logo, save=False)
        changed.append("logo")
    elif logo_remove and locked.logo:
        locked.logo = ""
        changed.append("logo")
    if not changed:
        return locked
    locked.settings_version += 1
    locked._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    locked.save(update_fields=[*changed, "settings_version"])
    return locked

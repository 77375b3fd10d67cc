import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from innovasi.celery import app

from .models import Notification

logger = logging.getLogger(__name__)


@app.task(
    name="innovasi.accounts.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    inline_when_broker_down=True,
)
def send_email(*, subject, body, to, html_body=None):
    """Send one e-mail already rendered in the user's language; retried while the mail server is away.

    Nothing enqueues it any more: kept so that the password-reset mails the previous release enqueued are
    still sent after an upgrade.
    """
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
    logger.info("e-mail %r sent to %d recipient(s)", subject, len(to))


@app.task(
    name="innovasi.accounts.password_reset_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    inline_when_broker_down=True,
)
def password_reset_mail(*, email, domain, use_https, language):
    """Find the account(s) of ``email`` and mail each a reset link in ``language`` (none for an unknown
    address): here, not in the request, so that the request does the same work for every address."""
    from .services import password_reset_mail_send  # the services enqueue this task: imported here

    sent = password_reset_mail_send(email=email, domain=domain, use_https=use_https, language=language)
    logger.info("password-reset mail: %d sent", sent)


@app.task(
    name="innovasi.accounts.link_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    inline_when_broker_down=True,
)
def link_mail(*, user_id, kind, base_url):
    """Mail an account its invitation or password-reset link (``kind``), made afresh here; nothing when the
    account is gone, inactive or has no address."""
    from .services.people import link_mail_send  # the services enqueue this task: imported here

    if not link_mail_send(user_id=user_id, kind=kind, base_url=base_url):
        logger.info("%s link for user %s not mailed: no active account with an address", kind, user_id)


@app.task(
    name="innovasi.accounts.deliver_notifications",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def deliver_notifications(*, notification_ids):
    """E-mail the notifications not yet e-mailed (idempotent: ``emailed_at`` is set once each is sent)."""
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "user"
    )
    for notification in pending:
        if not notification.user.email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "accounts/email/notification.txt",
                {"notification": notification, "base_url": settings.PORTAL_BASE_URL},
            )
        EmailMultiAlternatives(
            subject=notification.title,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.user.email],
        ).send()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    logger.debug("notifications %s delivered", notification_ids)


# The sweep leaves a notification this long to its own delivery task before sending it itself.
SWEEP_AFTER = datetime.timedelta(minutes=10)
SWEEP_WITHIN = datetime.timedelta(days=2)


@app.task(name="innovasi.accounts.deliver_pending_notifications")
def deliver_pending_notifications():
    """Every quarter of an hour (Celery beat): e-mail the notifications of the last two days whose
    delivery task never ran (the broker was away when they were made)."""
    now = timezone.now()
    pending = Notification.objects.filter(
        emailed_at__isnull=True, created_at__lt=now - SWEEP_AFTER, created_at__gte=now - SWEEP_WITHIN
    ).exclude(user__email="")
    ids = list(pending.values_list("pk", flat=True))
    if ids:
        deliver_notifications(notification_ids=ids)

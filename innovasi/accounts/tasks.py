import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from innovasi.celery import app

logger = logging.getLogger(__name__)


@app.task(
    name="innovasi.accounts.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email(*, subject, body, to, html_body=None):
    """Send one e-mail already rendered in the user's language; retried while the mail server is away."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
    logger.info("e-mail %r sent to %d recipient(s)", subject, len(to))

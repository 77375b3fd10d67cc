"""System checks of the accounts app, run by ``manage.py check`` (``--deploy`` for the deployment ones)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def console_email_in_production(app_configs, **kwargs):
    """Console mail with DEBUG off writes every e-mail, password-reset links included, to the server log."""
    if settings.DEBUG or settings.EMAIL_BACKEND != CONSOLE_BACKEND:
        return []
    return [
        Warning(
            "E-mail goes to the console with DEBUG off: password-reset links are written to the server log.",
            hint="Set EMAIL_URL to your mail server, e.g. smtp+tls://user:password@smtp.example.org:587.",
            id="accounts.W001",
        )
    ]

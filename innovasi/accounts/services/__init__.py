"""Writes of the accounts app, one module per subject: ``notifications`` (notifications to users, the
password-reset requests with their throttle), ``people`` (a region's set-up, its OPDs and users, their
invitations) and ``imports`` (OPDs and users from a workbook)."""

from .notifications import notifications_mark_read, notify, password_reset_mail_send, password_reset_request

__all__ = ["notifications_mark_read", "notify", "password_reset_mail_send", "password_reset_request"]

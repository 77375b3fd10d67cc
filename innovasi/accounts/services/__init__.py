"""Writes of the accounts app, one module per subject: ``notifications`` (notifications to users, the
password-reset requests with their throttle), ``people`` (a region's set-up, its OPDs and users, their
invitations), ``imports`` (OPDs and users from a workbook) and ``region`` (a region's place among the regions, its settings)."""

from .notifications import notifications_mark_read, notify, password_reset_mail_send, password_reset_request
from .region import SettingsConflict, region_place, region_settings_update, tree_refusal

__all__ = [
    "SettingsConflict",
    "notifications_mark_read",
    "notify",
    "password_reset_mail_send",
    "password_reset_request",
    "region_place",
    "region_settings_update",
    "tree_refusal",
]

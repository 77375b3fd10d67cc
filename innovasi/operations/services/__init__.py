"""Backup and restore of the portal (``manage.py backup`` and ``restore``): ``archive`` writes and reads the
archive, ``database`` copies and replaces the database."""

from .archive import Restored, backup_create, backup_restore, portal_version
from .errors import BackupError

__all__ = ["BackupError", "Restored", "backup_create", "backup_restore", "portal_version"]

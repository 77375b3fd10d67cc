import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innovasi.operations.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) of the database and the uploaded files (MEDIA_ROOT), with a manifest: the "
        "portal's version, the date, the row count of every table, and the size and SHA-256 of every file. "
        "With OUT '-' the archive goes to standard output and this command's messages to standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "out", help="the archive to write, e.g. portal-2026-12-01.tar.gz; - for standard output"
        )

    def handle(self, *args, out, **options):
        try:
            if out == "-":
                manifest = backup_create(out=sys.stdout.buffer)
                sys.stdout.buffer.flush()
                report = self.stderr
            else:
                manifest = _write(Path(out))
                report = self.stdout
        except BackupError as error:
            raise CommandError(str(error)) from None
        database, media = manifest["database"], manifest["media"]
        portal = manifest["portal"]
        report.write(
            f"{'standard output' if out == '-' else out}: {database['vendor']} database "
            f"({len(database['tables'])} tables, {sum(database['tables'].values())} rows, {_mb(database['size'])}), "
            f"{media['count']} files ({_mb(media['size'])}); portal {portal['version']} "
            f"(commit {portal['commit'] or 'unknown'}), {manifest['created_at']}",
            style_func=lambda text: text,
        )


def _write(path):
    """Write to PATH.part and rename it when complete: PATH is never a half-written archive."""
    part = path.with_name(f"{path.name}.part")
    try:
        with open(part, "wb") as stream:
            manifest = backup_create(out=stream)
        os.replace(part, path)
    except OSError as error:
        part.unlink(missing_ok=True)
        raise CommandError(f"the backup failed, {path} was not written: {error}") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return manifest


def _mb(size):
    return f"{size / 1024 / 1024:.1f} MB"

import sys
from contextlib import nullcontext

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from innovasi.operations.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by manage.py backup into the configured database and MEDIA_ROOT, then "
        "migrate the database if the archive comes from an older version. Refused, with nothing changed, when "
        "the archive does not match its manifest or holds another vendor's database, and (unless --force) when "
        "the database already holds regions or users or MEDIA_ROOT holds files, or when the archive comes from "
        "a newer version of the portal. With IN '-' the archive is read from standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="the archive to restore, e.g. portal-2026-12-01.tar.gz; - for standard input"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and MEDIA_ROOT that are not empty; accept an archive of a newer version",
        )

    def handle(self, *args, archive, force, **options):
        if archive == "-":
            source = nullcontext(sys.stdin.buffer)
        else:
            try:
                source = open(archive, "rb")  # noqa: SIM115  (closed by the with below)
            except OSError as error:
                raise CommandError(f"cannot read {archive}: {error.strerror or error}") from None
        try:
            with source as stream:
                restored = backup_restore(source=stream, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = restored.manifest
        database, portal = manifest["database"], manifest["portal"]
        self.stdout.write(
            f"restored the backup of {manifest['created_at']} (portal {portal['version']}, commit "
            f"{portal['commit'] or 'unknown'}): {len(database['tables'])} tables with "
            f"{sum(database['tables'].values())} rows, as the manifest says, and {restored.files} files"
        )
        if restored.kept:
            self.stdout.write(
                f"{restored.kept} files already in MEDIA_ROOT are not in the archive: left in place"
            )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("the archive comes from an older version of the portal: migrating")
            call_command("migrate", interactive=False, verbosity=options["verbosity"], stdout=self.stdout)

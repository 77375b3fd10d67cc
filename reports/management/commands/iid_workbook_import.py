import contextlib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from innovasi.accounts.enums import Role
from innovasi.accounts.models import Opd, User
from reports.workbook.archive import EvidenceArchive
from reports.workbook.plan import Actor, plan_build
from reports.workbook.reader import workbook_read
from reports.workbook.services import WorkbookRefused, workbook_import

from ._workbook import cycle_get

# The command reads files of any size the server holds; each evidence file is still held to UPLOAD_MAX_MB.
NO_LIMIT = 1 << 50


class Command(BaseCommand):
    help = (
        "Import a workbook (and its ZIP of evidence) into a cycle, with the region admin's rights: every "
        "innovation found by its key is updated, the others are created; only drafts and innovations "
        "returned for revision change. Nothing is written unless the whole file is valid: every bad cell is "
        "listed (exit status 1). --as names who the history records (default: the region's first admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="the cycle's id")
        parser.add_argument("workbook", metavar="IN.xlsx", help="the workbook to import")
        parser.add_argument("--evidence", metavar="FILES.zip", help="the ZIP of the files the workbook names")
        parser.add_argument("--opd", metavar="SHORT", help="hold every row to this OPD (its short name)")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="the user the history records")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and describe the import; write nothing"
        )

    def handle(self, *args, cycle, workbook, evidence, opd, as_user, dry_run, **options):
        found = cycle_get(cycle)
        actor = Actor(user=self._user(found, as_user), admin=True, opd=self._opd(found, opd))
        with contextlib.ExitStack() as files:
            try:
                with open(workbook, "rb") as uploaded:
                    rows = workbook_read(_Named(uploaded, workbook), limit=NO_LIMIT)
                archive = None
                if evidence:
                    archive = EvidenceArchive(
                        _Named(files.enter_context(open(evidence, "rb")), evidence), limit=NO_LIMIT
                    )
                    files.callback(archive.close)
            except (OSError, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                raise CommandError(message) from error
            if dry_run:
                plan = plan_build(cycle=found, actor=actor, rows=rows, archive=archive)
                if not plan.ok:
                    return self._refused(plan)
            else:
                try:
                    plan = workbook_import(cycle=found, actor=actor, rows=rows, archive=archive)
                except WorkbookRefused as refused:
                    return self._refused(refused.plan)
        counts = plan.counts
        for item in plan.innovations:
            changes = f": {', '.join(item.changed)}" if item.changed else ""
            self.stdout.write(f"  {item.action:<9} {item.key} {item.name} ({item.opd}){changes}")
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {counts['new']} new, {counts['changed']} changed, {counts['same']} unchanged, "
                f"{counts['locked']} locked (submitted or verified: not changed); {counts['claims']} indicator "
                f"rows, {counts['files']} files, {counts['links']} links, {counts['spd']} SPD rows"
            )
        )

    def _refused(self, plan):
        for problem in plan.problems:
            self.stderr.write(problem.line())
        raise CommandError(f"{len(plan.problems)} problems: nothing was imported", returncode=1)

    def _user(self, cycle, username):
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None or user.region_id != cycle.region_id:
                raise CommandError(f"no active user {username!r} in {cycle.region.name}", returncode=2)
            return user
        admin = (
            User.objects.filter(region_id=cycle.region_id, role=Role.ADMIN, is_active=True)
            .order_by("pk")
            .first()
        )
        if admin is None:
            raise CommandError(
                f"{cycle.region.name} has no active admin: name the user with --as", returncode=2
            )
        return admin

    def _opd(self, cycle, short_name):
        if not short_name:
            return None
        opd = Opd.objects.filter(region_id=cycle.region_id, short_name__iexact=short_name.strip()).first()
        if opd is None:
            raise CommandError(f"no OPD {short_name!r} in {cycle.region.name}", returncode=2)
        return opd


class _Named:
    """A file opened from a path, named as an upload is (the checks name the file by it)."""

    def __init__(self, file, path):
        self.file, self.name = file, path
        file.seek(0, 2)
        self.size = file.tell()
        file.seek(0)

    def __getattr__(self, name):
        return getattr(self.file, name)

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innovasi.errors import PortalError
from reports.workbook.export import export_data
from reports.workbook.writer import archive_write, workbook_bytes
from submissions.models import Innovation

from ._workbook import cycle_get


class Command(BaseCommand):
    help = (
        "Write a cycle's data in the workbook format: every innovation (drafts too: the command is the "
        "server's, not a user's) with its state, profile, indicator rows, verdicts, scores and eligibility, "
        "and the SPD rows. With --evidence, the evidence files and documents go into a ZIP under the paths "
        "the workbook names, so that importing both elsewhere brings everything back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="the cycle's id")
        parser.add_argument("out", metavar="OUT.xlsx", help="the workbook to write")
        parser.add_argument(
            "--evidence", metavar="FILES.zip", help="also write the evidence files into this ZIP"
        )

    def handle(self, *args, cycle, out, evidence, **options):
        found = cycle_get(cycle)
        data = export_data(cycle=found, innovations=Innovation.objects.filter(cycle=found))
        if evidence:
            try:
                with Path(evidence).open("wb") as target:
                    count = archive_write(target, data.files)
            except PortalError as error:
                Path(evidence).unlink(missing_ok=True)
                raise CommandError(error.message) from error
        Path(out).write_bytes(workbook_bytes(data))
        self.stdout.write(
            f"{out}: {len(data.innovations)} innovations, {len(data.claims)} indicator rows, "
            f"{len(data.spd)} SPD rows of {found.name}"
        )
        if evidence:
            self.stdout.write(f"{evidence}: {count} files")

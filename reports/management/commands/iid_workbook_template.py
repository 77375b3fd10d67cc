from pathlib import Path

from django.core.management.base import BaseCommand

from reports.workbook.export import template_data
from reports.workbook.writer import workbook_bytes

from ._workbook import cycle_get


class Command(BaseCommand):
    help = (
        "Write the empty workbook of a cycle's catalogue (sheets Inovasi, Klaim and SPD with their drop-down "
        "lists, the catalogue's indicators and a read-me) for the cycle's whole region. docs/workbook.md "
        "describes the format."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="the cycle's id")
        parser.add_argument("out", metavar="OUT.xlsx", help="the workbook to write")

    def handle(self, *args, cycle, out, **options):
        found = cycle_get(cycle)
        Path(out).write_bytes(workbook_bytes(template_data(cycle=found)))
        self.stdout.write(f"{out}: the template of {found.name} ({found.catalogue.code})")

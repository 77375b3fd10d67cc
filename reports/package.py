"""The national upload package written as a ZIP (docs/reports.md, "The national upload package"): per
innovation a folder with its profile as a PDF and its evidence renamed, the SPD rows in a folder of their
own in a region's package, and the index sheet. What goes where is ``selectors.package.package_plan``'s.

The ZIP is written to a temporary file, never held in memory: a region's evidence can run to gigabytes.
"""

import datetime
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Callable

from django.core.files import File
from django.utils import timezone

from . import excel
from .rendering import pdf_render
from .selectors import documents
from .selectors import package as package_selectors

logger = logging.getLogger(__name__)

# Compressed already: stored as they are (deflating them again costs time and saves nothing).
STORED_KINDS = {"jpg", "png", "mp4"}


def _entry(path: str, moment: datetime.datetime, *, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16  # a plain file, readable by all, on unpacking under Unix
    return info


def _copy(archive: zipfile.ZipFile, path: str, item: package_selectors.PackedFile, moment) -> None:
    """Copy a stored file into the archive as ``path``; a file missing from the storage is marked so (the
    index says so) and logged, rather than failing the whole package."""
    stored = item.stored
    assert stored is not None
    assert stored.name
    try:
        source = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        logger.error("package: stored file %s is missing", stored.name)
        item.missing = True
        return
    extension = path.rsplit(".", 1)[-1]
    with source, archive.open(_entry(path, moment, compress=extension not in STORED_KINDS), "w") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def package_write(*, package: package_selectors.Package, progress: Callable[[int], None]) -> File:
    """Write ``package`` to a ZIP in a temporary file, calling ``progress`` (5–95) after each innovation;
    returns the file, opened at its start (closing it removes it)."""
    moment = timezone.localtime()
    paper = documents.region_paper(package.region)
    out = tempfile.TemporaryFile()  # noqa: SIM115  # handed to the caller, who closes it once stored
    try:
        _write(out, package, paper, moment, progress)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return File(out, name=package.zip_name)


def _write(out, package, paper, moment, progress) -> None:
    steps = len(package.innovations) + (1 if package.spd is not None else 0) + 1
    with zipfile.ZipFile(out, "w") as archive:
        for position, packed in enumerate(package.innovations, start=1):
            context = {
                "innovation": packed.innovation,
                "packed": packed,
                "cycle": package.cycle,
                "region": package.region,
                "paper": paper,
                "sections": package_selectors.profile_sections(package_selectors.national_profile(packed)),
                "rows": package_selectors.indicator_rows(packed),
                "generated_at": moment,
            }
            for item in packed.files:
                path = f"{packed.folder}/{item.name}"
                if item.kind == "profil":
                    archive.writestr(
                        _entry(path, moment, compress=True),
                        pdf_render("reports/pdf/national_profile.html", context),
                    )
                elif item.stored is not None:
                    _copy(archive, path, item, moment)
            progress(5 + 90 * position // steps)
        if package.spd is not None:
            context = {
                "cycle": package.cycle,
                "region": package.region,
                "paper": paper,
                "rows": package_selectors.spd_rows(package.spd),
                "generated_at": moment,
            }
            for item in package.spd.files:
                path = f"{package.spd.folder}/{item.name}"
                if item.kind == "profil":
                    archive.writestr(
                        _entry(path, moment, compress=True),
                        pdf_render("reports/pdf/national_spd.html", context),
                    )
                elif item.stored is not None:
                    _copy(archive, path, item, moment)
            progress(5 + 90 * (steps - 1) // steps)
        # Last: the index says which files were missing from the storage.
        archive.writestr(
            _entry(package_selectors.INDEX_FILE, moment, compress=True), excel.package_index_workbook(package)
        )

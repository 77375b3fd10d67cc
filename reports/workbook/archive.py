"""The ZIP of evidence files that comes with a workbook: its members found by the paths the workbook names,
each checked like a browser upload (``innovasi.uploads.upload_check``: size, content sniffed, the kinds its
indicator accepts) before anything is stored.

Nothing is extracted to disk by its name: a member is read from the archive and stored under a random name
like every upload, so a path such as ``../../x`` names nothing but itself. A member's declared size is
checked before it is read, and reading stops there (zipfile reads no more than it declares), so that a
small archive cannot unpack into more than the limits allow.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _

from innovasi.tables import ZIP_MIME
from innovasi.uploads import extension, size_check, sniffed_mime, upload_check

MAX_MEMBERS = 20000


def path_normal(path: str) -> str:
    """A path inside the archive as compared: forward slashes, no leading "./" or "/", no empty parts."""
    parts = [part for part in path.strip().replace("\\", "/").split("/") if part not in ("", ".")]
    return "/".join(parts)


class Member(File):
    """One file of the archive, readable (and seekable) like an upload, with its declared size."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo):
        super().__init__(archive.open(info), name=PurePosixPath(info.filename).name)
        self.size = info.file_size


class EvidenceArchive:
    """An uploaded ZIP of evidence; ``find`` a member by the path a cell names, ``check`` it for a list of
    accepted kinds (each path and list checked once), ``open`` it to store it."""

    def __init__(self, uploaded, *, limit: int | None = None):
        self.name = size_check(uploaded, limit)
        if extension(self.name) != ".zip" or sniffed_mime(uploaded) != ZIP_MIME:
            raise ValidationError(
                _("Berkas «%(name)s» bukan arsip ZIP. Kemas berkas bukti dalam satu berkas .zip.")
                % {"name": self.name}
            )
        uploaded.seek(0)
        try:
            self.zip = zipfile.ZipFile(uploaded)
            infos = [info for info in self.zip.infolist() if not info.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise ValidationError(
                _("Arsip ZIP «%(name)s» rusak atau tidak dapat dibaca.") % {"name": self.name}
            ) from error
        if len(infos) > MAX_MEMBERS:
            raise ValidationError(
                _("Arsip ZIP «%(name)s» memuat lebih dari %(count)d berkas. Bagi menjadi beberapa impor.")
                % {"name": self.name, "count": MAX_MEMBERS}
            )
        self.members = {path_normal(info.filename): info for info in infos}
        self._folded: dict[str, list[str]] = {}
        for path in self.members:
            self._folded.setdefault(path.casefold(), []).append(path)
        self._checked: dict[tuple[str, tuple[str, ...]], tuple[str, str] | str] = {}

    def find(self, path: str) -> str | None:
        """The member a cell's path names: exactly, or in another case when only one member matches."""
        wanted = path_normal(path)
        if wanted in self.members:
            return wanted
        folded = self._folded.get(wanted.casefold(), [])
        return folded[0] if len(folded) == 1 else None

    def size(self, path: str) -> int:
        return self.members[path].file_size

    def open(self, path: str) -> Member:
        return Member(self.zip, self.members[path])

    def check(self, path: str, kinds) -> tuple[str, str]:
        """(kind, safe name) of member ``path`` if it is an acceptable upload of one of ``kinds``; raises
        ValidationError with upload_check's message otherwise."""
        key = (path, tuple(sorted(str(kind) for kind in kinds)))
        if key not in self._checked:
            member = self.open(path)
            try:
                self._checked[key] = upload_check(member, kinds)
            except ValidationError as error:
                self._checked[key] = error.messages[0]
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                self._checked[key] = _("Berkas «%(name)s» di dalam ZIP rusak dan tidak dapat dibaca.") % {
                    "name": member.name
                }
            finally:
                member.close()
        outcome = self._checked[key]
        if isinstance(outcome, str):
            raise ValidationError(outcome)
        return outcome

    def close(self) -> None:
        self.zip.close()

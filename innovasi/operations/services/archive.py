"""The archive of a backup: the database and the uploaded files (MEDIA_ROOT) in one gzipped tar.

It holds

- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite: a copy made
  with SQLite's backup API);
- ``media/<path>``: every file under MEDIA_ROOT;
- ``manifest.json``, last, since it describes what came before it: the archive's format, the portal's
  version and commit, the date, the database vendor, each table's row count and the migrations applied,
  and the size and SHA-256 of every file, the database copy included.

A restore unpacks the whole archive into a folder inside MEDIA_ROOT, checks it against the manifest, and
only then replaces the database and moves the files into place: an archive that does not match changes
nothing.
"""

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .database import DATABASE_FILE, database_copy, database_replace, database_state
from .errors import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
#: A restore unpacks into a folder of this prefix inside MEDIA_ROOT (the same file system, so that the files
#: are then moved into place, not copied); a backup leaves such folders out.
STAGING_PREFIX = ".restore-"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Restored:
    manifest: dict
    files: int  # files of the archive written into MEDIA_ROOT
    kept: int  # files that were in MEDIA_ROOT, are not in the archive, and were left in place


def backup_create(*, out: BinaryIO, using: str = "default") -> dict:
    """Write an archive of the database and MEDIA_ROOT to the binary stream ``out``; return its manifest.

    The database is copied first, as one snapshot (the manifest's row counts are of that snapshot, even while
    the portal keeps writing), then the files are read: the portal deletes no uploaded file that a row still
    names (evidence is kept for the history; an expired report's file goes together with its row), so every
    file the copy names is still there to be archived. Writes nothing to the database or MEDIA_ROOT.
    """
    connection = connections[using]
    if connection.vendor not in DATABASE_FILE:
        raise BackupError(f"cannot back up a {connection.vendor} database: only PostgreSQL and SQLite")
    database_file = DATABASE_FILE[connection.vendor]
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as scratch:
        copy = Path(scratch) / database_file
        tables, migrations = database_copy(connection, copy)
        with (
            gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as compressed,
            tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as archive,
        ):
            database = _add(archive, database_file, copy)
            files = [
                {"path": name, **_add(archive, f"{MEDIA}/{name}", path)}
                for name, path in _media_files(Path(settings.MEDIA_ROOT))
            ]
            manifest = {
                "format": FORMAT,
                "created_at": timezone.localtime().isoformat(timespec="seconds"),
                "portal": portal_version(),
                "database": {
                    "vendor": connection.vendor,
                    "file": database_file,
                    **database,
                    "tables": tables,
                    "migrations": migrations,
                },
                "media": {
                    "count": len(files),
                    "size": sum(entry["size"] for entry in files),
                    "files": files,
                },
            }
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
            archive.addfile(info, BytesIO(data))
    return manifest


def backup_restore(*, source: BinaryIO, force: bool = False, using: str = "default") -> Restored:
    """Replace the database with an archive's and write the archive's files into MEDIA_ROOT.

    Refused with a BackupError, and nothing changed, when the database already holds a region or a user account
    or MEDIA_ROOT holds a file (unless ``force``); when the archive does not match its manifest (a file missing,
    added, or with other bytes); when it holds another vendor's database; when its database has migrations this
    code does not know, i.e. it comes from a newer version (unless ``force``). The database is replaced whole
    (``database.database_replace``); files in MEDIA_ROOT that the archive does not hold are left where they are.
    Afterwards the row count of every table is checked against the manifest.
    """
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    if connection.vendor not in DATABASE_FILE:
        raise BackupError(f"cannot restore into a {connection.vendor} database: only PostgreSQL and SQLite")
    if not force:
        held = _holdings(connection, media_root)
        if held:
            raise BackupError(
                f"this portal is not empty: it holds {', '.join(held)}, which the restore would replace. "
                "Restore into a new portal (an empty database and MEDIA_ROOT), or add --force to replace them."
            )
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    try:
        manifest = _unpack(source, staging)
        _check_compatible(manifest, connection, force=force)
        database_replace(connection, staging / manifest["database"]["file"], scratch=staging)
        for entry in manifest["media"]["files"]:
            target = media_root / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / MEDIA / entry["path"], target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # Content types are cached by id in this process, and the ids are now the archive's.
    ContentType.objects.clear_cache()
    expected = manifest["database"]["tables"]
    counts, _migrations = database_state(connection)
    differ = [
        f"{table}: {rows} in the archive, {counts.get(table, 'no table')} now"
        for table, rows in sorted(expected.items())
        if counts.get(table) != rows
    ]
    if differ:
        raise BackupError(f"the restored database does not hold the archive's rows: {'; '.join(differ)}")
    listed = {entry["path"] for entry in manifest["media"]["files"]}
    kept = sum(1 for name, _path in _media_files(media_root) if name not in listed)
    return Restored(manifest=manifest, files=len(listed), kept=kept)


def portal_version() -> dict:
    """The version in pyproject.toml and the commit: PORTAL_COMMIT (the image's build argument) or git's HEAD;
    None where not known."""
    try:
        text = (Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8")
        version = tomllib.loads(text)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        version = None
    commit = os.environ.get("PORTAL_COMMIT") or None
    if commit is None and shutil.which("git"):
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "HEAD"],
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = None
    return {"version": version, "commit": commit or None}


class _Hashing:
    """A file read through: counts and hashes what tarfile takes from it."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add(archive, name, path):
    """Add one file to the archive under ``name``; its size and SHA-256 for the manifest."""
    with open(path, "rb") as raw:
        stat = os.fstat(raw.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
        reader = _Hashing(raw)
        archive.addfile(info, reader)
    return {"size": reader.size, "sha256": reader.sha256.hexdigest()}


def _media_files(root):
    """(path relative to ``root``, path) of every regular file under ``root``, sorted; symbolic links and a
    restore's unpacking folders are left out."""
    found = []
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = [
            name for name in subfolders if not (here == root and name.startswith(STAGING_PREFIX))
        ]
        for name in names:
            path = here / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def _holdings(connection, media_root):
    """What a restore would replace, described: the regions and user accounts (every record of the portal
    belongs to one; what ``migrate`` itself writes, such as the shipped catalogues, is not counted) and the
    files in MEDIA_ROOT. Empty for a new portal."""
    tables = set(connection.introspection.table_names())
    held = []
    for model, what in ((apps.get_model("accounts", "Region"), "region"), (get_user_model(), "user account")):
        if model._meta.db_table in tables:
            count = model._base_manager.using(connection.alias).count()
            if count:
                held.append(f"{count} {what}{'' if count == 1 else 's'}")
    files = len(_media_files(media_root))
    if files:
        held.append(f"{files} file{'' if files == 1 else 's'} in MEDIA_ROOT ({media_root})")
    return held


def _member_name(member):
    """The name of an archive member such as a backup writes; BackupError for anything else (a link, a folder,
    an absolute path or one that climbs out with ``..``)."""
    path = PurePosixPath(member.name)
    allowed = member.isfile() and (
        member.name in (MANIFEST, *DATABASE_FILE.values())
        or (
            len(path.parts) > 1
            and path.parts[0] == MEDIA
            and ".." not in path.parts
            and "\\" not in member.name
            and not path.parts[1].startswith(STAGING_PREFIX)
        )
    )
    if not allowed:
        raise BackupError(f"the archive holds {member.name!r}, which manage.py backup never writes: refused")
    return path.as_posix()


def _unpack(source, staging):
    """Unpack the archive into ``staging``, hashing every file, and return its manifest once everything has
    been found to match it (BackupError otherwise)."""
    found, manifest_data = {}, None
    try:
        with tarfile.open(fileobj=source, mode="r|gz") as archive:
            for member in archive:
                name = _member_name(member)
                if name in found or (name == MANIFEST and manifest_data is not None):
                    raise BackupError(f"the archive holds {name} twice: refused")
                stream = archive.extractfile(member)
                assert stream is not None  # _member_name admits regular files only, and each has a stream
                if name == MANIFEST:
                    manifest_data = stream.read()
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                sha256, size = hashlib.sha256(), 0
                with open(target, "xb") as out:
                    while chunk := stream.read(CHUNK):
                        sha256.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                found[name] = (size, sha256.hexdigest())
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"the archive cannot be read (damaged, cut short, or not a .tar.gz): {error}"
        ) from None
    if manifest_data is None:
        raise BackupError(f"the archive has no {MANIFEST}: it was not made by manage.py backup")
    listed = _listed(manifest_data)
    problems = [f"{name} is listed but not in the archive" for name in sorted(listed.keys() - found.keys())]
    problems += [f"{name} is in the archive but not listed" for name in sorted(found.keys() - listed.keys())]
    problems += [
        f"{name} has other bytes than the manifest says (size or SHA-256)"
        for name in sorted(listed.keys() & found.keys())
        if listed[name] != found[name]
    ]
    if problems:
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise BackupError(
            f"the archive does not match its manifest, nothing was restored: {'; '.join(problems[:5])}{more}"
        )
    return json.loads(manifest_data)


def _listed(manifest_data):
    """{archive member: (size, SHA-256)} as the manifest lists them; BackupError for a manifest that is not one."""
    try:
        manifest = json.loads(manifest_data)
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"the archive's format is {manifest.get('format')!r}; this version of the portal reads {FORMAT}"
            )
        database = manifest["database"]
        if not isinstance(database["tables"], dict) or not isinstance(database["migrations"], dict):
            raise TypeError("tables and migrations must be objects")
        listed = {database["file"]: (database["size"], database["sha256"])}
        for entry in manifest["media"]["files"]:
            listed[f"{MEDIA}/{entry['path']}"] = (entry["size"], entry["sha256"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"the archive's {MANIFEST} cannot be read: {error!r}") from None
    return listed


def _check_compatible(manifest, connection, *, force):
    database = manifest["database"]
    if database.get("vendor") != connection.vendor or database["file"] != DATABASE_FILE[connection.vendor]:
        raise BackupError(
            f"the archive holds a {database.get('vendor')} database and this portal uses {connection.vendor}: "
            f"restore it into a portal on {database.get('vendor')}"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(app, name) for app, names in database["migrations"].items() for name in names}
    unknown = sorted(applied - known)
    if unknown and not force:
        portal = manifest.get("portal") or {}
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5]) + (", …" if len(unknown) > 5 else "")
        raise BackupError(
            f"the archive's database has migrations this version of the portal does not know ({names}): it was "
            f"made by a newer version ({portal.get('version')}, commit {portal.get('commit')}). Restore it with "
            "that version or a newer one, or add --force."
        )

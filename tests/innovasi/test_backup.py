"""manage.py backup and restore: a real round trip (rows, files, dashboard figures), and the refusals.

Runs on the suite's database, SQLite (make test) or PostgreSQL (CI's DATABASE_URL): pytest-django's test
database, never the configured one. Transactional, since pg_dump and psql work in their own connections
and SQLite's backup API refuses a database inside a transaction.
"""

import io
import json
import shutil
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from innovasi.accounts.models import Region
from innovasi.standards.models import Cycle
from reports.selectors.dashboard import dashboard
from scoring.selectors.index import snapshots_newest
from submissions.models import Evidence
from submissions.samples import pdf_bytes

from ..reports.conftest import verified_cycle  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

VERSION = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"][
    "version"
]


@pytest.fixture(autouse=True)
def media_root(django_db_setup, settings, tmp_path):
    """This test's own MEDIA_ROOT; and a stop before anything is restored into a database not made for tests."""
    name = Path(str(connection.settings_dict["NAME"])).name
    assert name.startswith("test"), f"{name} is not a test database: nothing is restored into it"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_portal(operator_a, media_root):
    """A region with its users, and two files in MEDIA_ROOT."""
    (media_root / "bukti").mkdir(parents=True)
    (media_root / "bukti" / "satu.pdf").write_bytes(pdf_bytes("Bukti satu"))
    (media_root / "dokumen").mkdir()
    (media_root / "dokumen" / "dua.pdf").write_bytes(pdf_bytes("Dokumen dua"))


def portal_state(media_root):
    """What a round trip must keep: every table's row count, every file's bytes, each cycle's newest snapshots
    and its dashboard figures."""
    with connection.cursor() as cursor:
        rows = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            rows[table] = cursor.fetchone()[0]
    files = {
        path.relative_to(media_root).as_posix(): path.read_bytes()
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }
    snapshots, figures = {}, {}
    for cycle in Cycle.objects.order_by("pk"):
        for kind, snapshot in snapshots_newest(cycle=cycle).items():
            snapshots[cycle.pk, kind] = (
                (snapshot.pk, snapshot.iid, snapshot.inputs_hash) if snapshot else None
            )
        context = dashboard(cycle)
        figures[cycle.pk] = {
            "claimed": context["claimed"].iid if context["claimed"] else None,
            "verified": context["verified"].iid if context["verified"] else None,
            "funnel": context["funnel"],
            "contributions": context.get("contributions"),
            "gaps": context.get("gaps"),
        }
    return {"rows": rows, "files": files, "snapshots": snapshots, "figures": figures}


def wipe(media_root):
    """A new portal: the database as ``migrate`` leaves it, and no files."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root, ignore_errors=True)


def rewrite(archive, change):
    """Rewrite an archive's members ({name: bytes}) through ``change``."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {member.name: tar.extractfile(member).read() for member in tar.getmembers()}
    change(members)
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def first_file(members):
    return next(name for name in members if name.startswith("media/"))


def test_backup_restore_round_trip_keeps_rows_files_and_figures(verified_cycle, media_root, tmp_path):  # noqa: F811
    before = portal_state(media_root)
    archive = tmp_path / "portal.tar.gz"

    call_command("backup", str(archive), stdout=io.StringIO())
    wipe(media_root)
    wiped = Region.objects.count(), media_root.exists()
    call_command("restore", str(archive), stdout=io.StringIO())

    assert wiped == (0, False)
    assert sorted(before["files"]) == sorted(Evidence.objects.exclude(file="").values_list("file", flat=True))
    assert {kind for _cycle, kind in before["snapshots"]} == {"claimed", "verified"}
    assert portal_state(media_root) == before


def test_backup_manifest_lists_rows_and_files(small_portal, media_root, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    rows = portal_state(media_root)["rows"]

    call_command("backup", str(archive), stdout=io.StringIO())

    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names == [
        manifest["database"]["file"],
        "media/bukti/satu.pdf",
        "media/dokumen/dua.pdf",
        "manifest.json",
    ]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"] == rows
    assert manifest["portal"]["version"] == VERSION
    assert [(entry["path"], entry["size"]) for entry in manifest["media"]["files"]] == [
        ("bukti/satu.pdf", len(pdf_bytes("Bukti satu"))),
        ("dokumen/dua.pdf", len(pdf_bytes("Dokumen dua"))),
    ]


def test_restore_refuses_a_portal_that_is_not_empty_unless_forced(small_portal, media_root, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = portal_state(media_root)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert str(refused.value) == (
        f"this portal is not empty: it holds 1 region, 1 user account, 2 files in MEDIA_ROOT ({media_root}), "
        "which the restore would replace. Restore into a new portal (an empty database and MEDIA_ROOT), or add "
        "--force to replace them."
    )
    assert portal_state(media_root) == before


def test_backup_to_standard_output_restores_from_standard_input(
    small_portal, media_root, capsysbinary, monkeypatch
):
    before = portal_state(media_root)
    call_command("backup", "-")
    data = capsysbinary.readouterr().out
    wipe(media_root)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    call_command("restore", "-", stdout=io.StringIO())

    assert data[:2] == b"\x1f\x8b"  # gzip
    assert portal_state(media_root) == before


def _other_bytes(members):
    members[first_file(members)] = b"not the file that was backed up"


def _missing(members):
    del members[first_file(members)]


def _added(members):
    members["media/bukti/tambahan.pdf"] = b"%PDF-1.4 added later"


def _climbing(members):
    members["media/../../keluar.txt"] = b"outside MEDIA_ROOT"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _other_bytes,
            "the archive does not match its manifest, nothing was restored: media/bukti/satu.pdf "
            "has other bytes than the manifest says (size or SHA-256)",
        ),
        (
            _missing,
            "the archive does not match its manifest, nothing was restored: media/bukti/satu.pdf is "
            "listed but not in the archive",
        ),
        (
            _added,
            "the archive does not match its manifest, nothing was restored: media/bukti/tambahan.pdf is "
            "in the archive but not listed",
        ),
        (
            _climbing,
            "the archive holds 'media/../../keluar.txt', which manage.py backup never writes: refused",
        ),
    ],
)
def test_restore_refuses_an_archive_unlike_its_manifest_and_changes_nothing(
    small_portal, media_root, tmp_path, change, message
):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    rewrite(archive, change)
    wipe(media_root)
    before = portal_state(media_root)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert str(refused.value) == message
    assert portal_state(media_root) == before
    assert sorted(media_root.iterdir()) == []  # the unpacking folder is gone too
    assert not (tmp_path / "keluar.txt").exists()


def _newer_version(manifest):
    manifest["database"]["migrations"]["accounts"].append("9999_from_the_future")


def _other_vendor(manifest):
    manifest["database"]["vendor"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"


def test_restore_refuses_an_archive_of_a_newer_version_unless_forced(small_portal, media_root, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    rewrite(archive, lambda members: _edit_manifest(members, _newer_version))
    wipe(media_root)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert str(refused.value).startswith(
        "the archive's database has migrations this version of the portal does not know "
        f"(accounts.9999_from_the_future): it was made by a newer version ({VERSION}, commit "
    )
    assert Region.objects.get().code == "35.99"


def test_restore_refuses_another_vendors_database(small_portal, media_root, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    rewrite(archive, lambda members: _edit_manifest(members, _other_vendor))
    wipe(media_root)

    with pytest.raises(CommandError, match="this portal uses " + connection.vendor):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert Region.objects.count() == 0


def _edit_manifest(members, edit):
    manifest = json.loads(members["manifest.json"])
    edit(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()

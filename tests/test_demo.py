"""The demo data (``seed_demo``, what ``make run`` shows): idempotent, up to date with the shipped
catalogues, and every snapshot it leaves reproducible with ``iid_export_scenario`` + ``iid_simulate``.

Seeding the demo takes half a minute, so the module seeds it once (``demo``) inside a transaction rolled
back at its end, running its after-commit work as a commit would (the recomputes its changes ask for);
each test runs in a savepoint of its own on top, rolled back after it. Under ``make test`` the module stays
on one test process (tests/conftest.py, ``ONE_PROCESS_MODULES``), so that it is seeded once.

The browser tests of the demo log-ins (tests/browser/test_login.py) seed their own: the live server reads
only committed rows.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from innovasi.accounts.models import Opd, Region, User
from innovasi.standards.models import Cycle, Indicator
from reports.models import Certificate
from scoring.enums import SnapshotKind
from scoring.models import IndexSnapshot
from submissions.models import Innovation

from .conftest import as_each_test_runs
from .scoring.test_index import simulated_and_stored

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module (as each test would: ``as_each_test_runs``)."""
    with django_db_blocker.unblock(), as_each_test_runs():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):  # the recomputes the demo's changes ask for
                call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_seed_demo_twice_gives_the_same_data(demo):
    counts = (Opd.objects.count(), User.objects.count(), Cycle.objects.count(), Innovation.objects.count())
    published = sorted(Innovation.objects.filter(is_published=True).values_list("pk", flat=True))
    region = Region.objects.get(code="35.16")
    settings_records = region.history.count()
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    call_command("seed_demo")

    assert (
        Opd.objects.count(),
        User.objects.count(),
        Cycle.objects.count(),
        Innovation.objects.count(),
    ) == counts
    assert counts[0:1] + counts[2:] == (53, 2, 63 + 21)
    assert User.objects.get(username="operator.dinkes").opd.short_name == "Dinkes"
    assert User.objects.get(username="verifikator1").opd.short_name == "Bappeda"
    assert User.objects.get(username="bupati").check_password("inovasi-demo")
    assert sorted(Innovation.objects.filter(is_published=True).values_list("pk", flat=True)) == published
    assert published
    # The demo's settings are labelled placeholders, set once; its certificates are numbered once.
    region.refresh_from_db()
    assert region.history.count() == settings_records
    assert (region.signatory_name, region.report_signatory_name, region.letterhead_government) == (
        "Dra. Hj. Sri Wahyuni, M.Si. (nama contoh)",
        "Ir. Budi Santoso, M.T. (nama contoh)",
        "PEMERINTAH KABUPATEN MOJOKERTO (CONTOH)",
    )
    assert sorted(Certificate.objects.values_list("number", flat=True)) == numbers
    assert len(numbers) == 21
    assert numbers[0].startswith("001/PIAGAM-CONTOH/BAPPEDA/")


def test_seed_demo_brings_a_catalogue_loaded_before_a_file_change_up_to_date(demo):
    """Migrating loads only missing catalogues; the demo path (``make run``) reloads the shipped files."""
    Indicator.objects.filter(code="SID-33").update(description_id="", basis_labels={})

    call_command("seed_demo", stdout=io.StringIO())

    benefit = Indicator.objects.get(catalogue__code="iid-2026", code="SID-33")
    assert benefit.description_id.startswith("Manfaat inovasi")
    assert benefit.basis_labels["a"] == {"id": "Jumlah penerima manfaat", "en": "Number of beneficiaries"}


def test_export_and_simulate_reproduce_every_stored_snapshot_of_the_demo(demo, tmp_path, capsys):
    snapshots = list(IndexSnapshot.objects.all())
    capsys.readouterr()

    for snapshot in snapshots:
        path = tmp_path / f"{snapshot.pk}.json"
        call_command("iid_export_scenario", snapshot=snapshot.pk, output=str(path))
        simulated, stored = simulated_and_stored(path, snapshot, capsys)
        assert simulated == stored, f"snapshot {snapshot.pk} ({snapshot.cycle}, {snapshot.kind})"
    assert {(s.cycle.catalogue.code, s.kind) for s in snapshots} == {
        (code, kind) for code in ("iid-2023", "iid-2026") for kind in SnapshotKind.values
    }

"""Every demo persona logs in through the real login page and reaches its own home page.

The live server reads only committed rows, and a transactional test's rows are removed after it. Seeding
the demo takes half a minute, so the module seeds it once, committed (``demo_rows``), and each test after
the first gets the very rows it left put back (``demo``), which takes a second. The module stays on one
test process under xdist (tests/conftest.py, ``ONE_PROCESS_MODULES``).
"""

import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from ..conftest import as_each_test_runs
from .conftest import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)

HOME_HEADINGS = {
    "admin": "Inovasi Kabupaten Mojokerto",
    "verifikator1": "Antrean verifikasi saya",
    "verifikator2": "Antrean verifikasi saya",
    "operator.dinkes": "Inovasi Dinas Kesehatan",
    "operator.dispendik": "Inovasi Dinas Pendidikan",
    "kepala.dinkes": "Menunggu pengesahan Anda",
    "juri1": "Penjurian",
    "juri2": "Penjurian",
    "bupati": "Inovasi Kabupaten Mojokerto",
}


def _tables():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


@pytest.fixture(scope="module")
def demo_rows(django_db_setup, django_db_blocker):
    """The demo, seeded and committed (as a test would seed it: ``as_each_test_runs``); yields every row of
    every table as the seeding left it, and whether the database still holds them untouched."""
    with django_db_blocker.unblock(), as_each_test_runs():
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        rows = {
            model: list(model._base_manager.values_list(*[f.attname for f in model._meta.concrete_fields]))
            for model in _tables()
        }
        yield {"rows": rows, "untouched": True}


@pytest.fixture
def demo(demo_rows, transactional_db):
    """The seeded demo: as seeded for the first test, its rows put back for the others.

    Put back as they were read (``raw``: no field sets its own value, as ``auto_now`` would), with the
    primary keys they had, into a database emptied first; the sequences have moved past them meanwhile.
    """
    if demo_rows["untouched"]:
        demo_rows["untouched"] = False
        return
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    with transaction.atomic():  # foreign keys are checked at the commit, once every row is back
        for model, values in demo_rows["rows"].items():
            if not values:
                continue
            fields = model._meta.concrete_fields
            names = [field.attname for field in fields]
            objs = [model(**dict(zip(names, row, strict=True))) for row in values]
            size = connection.ops.bulk_batch_size(fields, objs)
            for start in range(0, len(objs), size):
                model._base_manager._insert(objs[start : start + size], fields=fields, raw=True)
    ContentType.objects.clear_cache()  # the content types are back with the ids of the seeding


def test_login_each_demo_persona_sees_its_home_page(page, demo):
    for username, heading in HOME_HEADINGS.items():
        log_in(page, username, "inovasi-demo")

        assert page.locator("h1").inner_text() == heading
        log_out(page)


def test_login_wrong_password_shows_the_error(page, demo):
    log_in(page, "operator.dinkes", "salah")

    assert page.locator(".alert-danger").inner_text() == (
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
    )

"""The home page per role, the error pages, the language switch and the demo data."""

import io

import pytest
from django.core.management import call_command

from innovasi.accounts.models import Opd, Region, User
from innovasi.standards.models import Cycle, Indicator
from reports.models import Certificate
from submissions.models import Innovation

pytestmark = pytest.mark.django_db

# Every role lands on its working page (an anonymous visitor on the landing: tests/reports).
HOMES = {
    "operator_a": "/inovasi/",
    "operator_b": "/inovasi/",
    "verifikator": "/verifikasi/",
    "admin_user": "/dasbor/",
    "pimpinan": "/dasbor/",
    "juri": "/penjurian/",
}


@pytest.mark.parametrize("persona", HOMES)
def test_home_each_persona_lands_on_its_page(persona_client, persona, cycle):
    response = persona_client(persona).get("/", follow=True)

    assert response.redirect_chain[-1][0] == HOMES[persona]
    assert response.status_code == 200


def test_dashboard_without_cycle_says_what_comes_next(client, pimpinan):
    client.force_login(pimpinan)

    response = client.get("/", follow=True)

    assert "Belum ada siklus penilaian untuk wilayah Anda." in response.content.decode()


def test_home_account_without_role_is_told_to_ask_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="baru"))

    response = client.get("/")

    assert response.templates[0].name == "home/no_role.html"


def test_error_page_404_in_portal_style(client, settings):
    settings.DEBUG = False

    response = client.get("/tidak-ada/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_language_switch_to_english_and_back(client, operator_a):
    client.force_login(operator_a)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/", follow=True)
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    indonesian = client.get("/", follow=True)

    assert english["Content-Language"] == "en"
    assert "Sign out" in english.content.decode()
    assert "Keluar" in indonesian.content.decode()


def test_language_ignores_browser_preference(client, operator_a):
    client.force_login(operator_a)

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "id"


def test_responses_carry_a_content_security_policy(client):
    response = client.get("/akun/masuk/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_seed_demo_twice_gives_the_same_data():
    call_command("seed_demo")
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
    assert sorted(Innovation.objects.filter(is_published=True).values_list("pk", flat=True)) == published
    assert published
    assert User.objects.get(username="operator.dinkes").opd.short_name == "Dinkes"
    assert User.objects.get(username="verifikator1").opd.short_name == "Bappeda"
    assert User.objects.get(username="bupati").check_password("inovasi-demo")
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


def test_seed_demo_brings_a_catalogue_loaded_before_a_file_change_up_to_date():
    """Migrating loads only missing catalogues; the demo path (``make run``) reloads the shipped files."""
    Indicator.objects.filter(code="SID-33").update(description_id="", basis_labels={})

    call_command("seed_demo", stdout=io.StringIO())

    benefit = Indicator.objects.get(catalogue__code="iid-2026", code="SID-33")
    assert benefit.description_id.startswith("Manfaat inovasi")
    assert benefit.basis_labels["a"] == {"id": "Jumlah penerima manfaat", "en": "Number of beneficiaries"}

"""The home page per role, the error pages and the language switch (the demo data: tests/test_demo.py)."""

import pytest

pytestmark = pytest.mark.django_db

# Every role lands on its working page (an anonymous visitor on the landing: tests/reports).
HOMES = {
    "operator_a": "/inovasi/",
    "operator_b": "/inovasi/",
    "kepala_a": "/inovasi/pengesahan/",
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

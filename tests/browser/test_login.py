"""Every demo persona logs in through the real login page and reaches its own home page."""

import pytest
from django.core.management import call_command

from .conftest import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)

HOME_HEADINGS = {
    "admin": "Inovasi Kabupaten Mojokerto",
    "verifikator1": "Antrean verifikasi saya",
    "verifikator2": "Antrean verifikasi saya",
    "operator.dinkes": "Inovasi Dinas Kesehatan",
    "operator.dispendik": "Inovasi Dinas Pendidikan",
    "juri1": "Penjurian",
    "juri2": "Penjurian",
    "bupati": "Inovasi Kabupaten Mojokerto",
}


def test_login_each_demo_persona_sees_its_home_page(page):
    call_command("seed_demo")

    for username, heading in HOME_HEADINGS.items():
        log_in(page, username, "inovasi-demo")

        assert page.locator("h1").inner_text() == heading
        log_out(page)


def test_login_wrong_password_shows_the_error(page):
    call_command("seed_demo")

    log_in(page, "operator.dinkes", "salah")

    assert page.locator(".alert-danger").inner_text() == (
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
    )

"""Going live in the browser: a fresh superuser sets up the region, adds an OPD and invites its operator;
the operator opens the invitation's link, chooses a password and files an innovation; the link then
works no more."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from innovasi.accounts.enums import Role
from innovasi.accounts.models import Region, User
from submissions.models import Innovation

from ..factories import CycleFactory, UserFactory
from .conftest import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://\S+/akun/undangan/\S+/")
PASSWORD = "Operator-Dinkes-2026!"


def test_fresh_superuser_sets_up_the_region_and_its_operator_files_an_innovation(page):
    UserFactory(username="root", email="root@example.org", region=None, role="", opd=None,
                is_superuser=True, is_staff=True, password="akar-Portal-2026")  # fmt: skip

    # The superuser lands on the set-up page instead of the dead end of an account without a role.
    log_in(page, "root", "akar-Portal-2026")
    expect(page.locator("h1")).to_have_text("Siapkan wilayah")
    page.get_by_label("Nama wilayah").fill("Kabupaten Mojokerto")
    page.get_by_label("Jenis").select_option("kabupaten")
    page.get_by_label("Kode wilayah").fill("35.16")
    page.get_by_role("button", name="Siapkan wilayah").click()
    expect(page.get_by_text("Kabupaten Mojokerto sudah disiapkan dan Anda admin-nya.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("OPD")

    # The admin's menu leads to the OPDs; one is added, and it has no operator yet.
    page.get_by_role("link", name="OPD baru").click()
    page.locator("#id_name").fill("Dinas Kesehatan")
    page.get_by_label("Nama singkat").fill("Dinkes")
    page.get_by_label("Jenis").select_option("dinas")
    page.get_by_role("button", name="Tambahkan OPD").click()
    expect(page.locator("h1")).to_have_text("Dinas Kesehatan")
    expect(page.get_by_test_id("no-operator")).to_be_visible()

    # Its operator is invited from the OPD's page; the link is shown and mailed.
    page.get_by_role("link", name="Undang pengguna").click()
    expect(page.get_by_label("Peran")).to_have_value(Role.OPERATOR)
    page.get_by_label("Nama lengkap").fill("Sri Wahyuni")
    page.get_by_label("Surel").fill("sri@dinkes.example.org")
    page.get_by_role("button", name="Kirim undangan").click()
    expect(page.locator("h1")).to_have_text("Undangan dikirim")
    shown = page.get_by_test_id("set-password-link").input_value()
    [message] = mail.outbox
    [mailed] = LINK.findall(message.body)
    assert message.to == ["sri@dinkes.example.org"]
    assert urlsplit(shown).path.startswith("/akun/undangan/")

    # Cycles are opened elsewhere; the region needs one for an innovation to be filed.
    CycleFactory(region=Region.objects.get(code="35.16"))
    log_out(page)

    # The operator opens the mailed link, chooses a password and is in.
    page.goto(urlsplit(mailed).path)
    expect(page.locator("h1")).to_have_text("Atur kata sandi Anda")
    page.locator("input[name=new_password1]").fill(PASSWORD)
    page.locator("input[name=new_password2]").fill(PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi dan masuk").click()
    expect(page.get_by_text("Kata sandi Anda tersimpan.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Inovasi Dinas Kesehatan")

    page.get_by_role("link", name="Inovasi baru").first.click()
    page.get_by_label("Nama inovasi").fill("Posyandu Digital Majapahit")
    page.get_by_role("button", name="Buat draf").click()
    expect(page.get_by_text("Draf inovasi dibuat.")).to_be_visible()
    innovation = Innovation.objects.get()
    operator = User.objects.get(email="sri@dinkes.example.org")
    assert (innovation.name, innovation.opd.short_name, innovation.created_by) == (
        "Posyandu Digital Majapahit",
        "Dinkes",
        operator,
    )

    # The link worked once.
    log_out(page)
    page.goto(urlsplit(mailed).path)
    expect(page.get_by_text("Tautan undangan ini tidak berlaku lagi")).to_be_visible()
    page.goto(urlsplit(shown).path)
    expect(page.get_by_text("Tautan undangan ini tidak berlaku lagi")).to_be_visible()

"""Going live in the browser, without the demo and without the Django admin: a fresh superuser sets up the
region, imports its OPDs and people from files, invites an operator and opens a cycle on the shipped
catalogue; the operator opens the invitation's link, chooses a password and files an innovation; the link
then works no more."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from innovasi.accounts.enums import Role
from innovasi.accounts.models import User
from submissions.models import Innovation

from ..factories import UserFactory
from .conftest import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)

OPD_FILE = "Nama,Nama singkat,Jenis\nDinas Kesehatan,Dinkes,Dinas\nDinas Sosial,Dinsos,Dinas\n"
USER_FILE = (
    "Nama lengkap,E-mail,Peran,OPD\n"
    "Rina Kartika,rina@dinsos.example.org,Operator OPD,Dinsos\n"
    "Bagus Santoso,bagus@bappeda.example.org,Verifikator,\n"
)
SCHEDULE = [
    ("Pengisian dibuka", 0),
    ("Batas pengisian", 30),
    ("Batas verifikasi", 60),
    ("Batas perbaikan", 75),
    ("Tanggal final", 90),
]
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

    # The OPDs come from the Bappeda's own list: checked first, imported on confirmation.
    page.get_by_role("link", name="Impor dari berkas").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "opd.csv", "mimeType": "text/csv", "buffer": OPD_FILE.encode()}]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_test_id("import-ready")).to_contain_text("2 baru, 0 diubah, 0 tidak berubah")
    page.get_by_role("button", name="Impor sekarang").click()
    expect(page.get_by_text("Impor selesai: 2 baru, 0 diubah, 0 tidak berubah.")).to_be_visible()
    page.get_by_role("link", name="Dinas Kesehatan").click()
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

    # The other people come from a list too, each invited by e-mail once imported.
    page.get_by_role("button", name="Pengaturan").click()
    page.get_by_role("link", name="Pengguna", exact=True).click()
    page.get_by_role("link", name="Impor dari berkas").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "pengguna.csv", "mimeType": "text/csv", "buffer": USER_FILE.encode()}]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_test_id("import-ready")).to_contain_text("2 baru, 0 diubah, 0 tidak berubah")
    page.get_by_role("button", name="Impor sekarang").click()
    expect(page.get_by_text("Impor selesai: 2 baru, 0 diubah, 0 tidak berubah.")).to_be_visible()
    assert sorted(message.to[0] for message in mail.outbox[1:]) == [
        "bagus@bappeda.example.org",
        "rina@dinsos.example.org",
    ]

    # The cycle is opened on the shipped catalogue and moved to filing, from the admin's menu.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Siklus").click()
    page.get_by_role("link", name="Siklus baru").click()
    page.get_by_label("Katalog indikator").select_option(label="Indeks Inovasi Daerah 2026")
    for label, days in SCHEDULE:
        page.get_by_label(label).fill((timezone.localdate() + datetime.timedelta(days=days)).isoformat())
    page.get_by_role("button", name="Buat siklus").click()
    page.get_by_role("link", name="Pindah ke tahap Pengisian").click()
    page.get_by_role("button", name="Ya, pindahkan ke tahap Pengisian").click()
    expect(page.get_by_test_id("cycle-stage")).to_have_text("Pengisian")
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

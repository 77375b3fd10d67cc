"""The admin's journey with a cycle: open one on a catalogue from the menu (the dates refused out of order,
then accepted), move it from persiapan to pengisian through the confirmation page, and find the move in
its history; an operator of the region then sees the stage on their home."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from innovasi.accounts.enums import Role
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Cycle

from ..factories import OpdFactory, UserFactory
from .conftest import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def iso(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_admin_creates_a_cycle_and_moves_its_stage_with_a_confirmation(page, admin_user, region):
    admin_user.set_password("inovasi-demo")
    admin_user.save()
    UserFactory(
        username="operator.dinkes",
        region=region,
        role=Role.OPERATOR,
        opd=OpdFactory(region=region, name="Dinas Kesehatan"),
        password="inovasi-demo",
    )
    log_in(page, "admin.bappeda", "inovasi-demo")

    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Siklus").click()
    page.get_by_role("link", name="Siklus baru").click()
    page.get_by_label("Katalog indikator").select_option(label="Indeks Inovasi Daerah 2026")
    page.get_by_label("Pengisian dibuka").fill(iso(0))
    page.get_by_label("Batas pengisian").fill(iso(30))
    page.get_by_label("Batas verifikasi").fill(iso(20))  # before the filing deadline: refused
    page.get_by_label("Batas perbaikan").fill(iso(75))
    page.get_by_label("Tanggal final").fill(iso(90))
    page.get_by_role("button", name="Buat siklus").click()
    expect(page.get_by_text("Batas verifikasi harus setelah batas pengisian.")).to_be_visible()
    page.get_by_label("Batas verifikasi").fill(iso(60))
    page.get_by_role("button", name="Buat siklus").click()

    expect(page.get_by_role("heading", name="IID 2026 — Kabupaten Uji", level=1)).to_be_visible()
    expect(page.get_by_test_id("cycle-stage")).to_have_text("Persiapan")

    # The move asks first, saying what it changes; nothing moves until confirmed.
    page.get_by_role("link", name="Pindah ke tahap Pengisian").click()
    expect(
        page.get_by_role(
            "heading", name="Pindahkan IID 2026 — Kabupaten Uji dari tahap Persiapan ke tahap Pengisian?"
        )
    ).to_be_visible()
    expect(page.get_by_test_id("transition-effects")).to_contain_text(
        "OPD dapat membuat dan mengajukan inovasi"
    )
    assert Cycle.objects.get().state == CycleState.DRAFT
    page.get_by_role("button", name="Ya, pindahkan ke tahap Pengisian").click()

    expect(page.get_by_text("IID 2026 — Kabupaten Uji kini pada tahap Pengisian.")).to_be_visible()
    expect(page.get_by_test_id("cycle-stage")).to_have_text("Pengisian")
    history = page.get_by_role("region", name="Riwayat")
    expect(history.get_by_text("Tahap: Persiapan → Pengisian")).to_be_visible()
    expect(history).to_contain_text("admin.bappeda")
    assert Cycle.objects.get().state == CycleState.OPEN
    log_out(page)

    log_in(page, "operator.dinkes", "inovasi-demo")
    expect(page.get_by_test_id("cycle-stage")).to_have_text("Pengisian")
    expect(page.get_by_role("link", name="Inovasi baru")).to_be_visible()

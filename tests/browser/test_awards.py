"""juri1 declares, scores the nominees of a category and submits; the admin finalises the scheme and
downloads the winners' certificates, whose code resolves publicly."""

import re

import pytest
from playwright.sync_api import expect

from innovasi.accounts.enums import Role
from reports.models import Certificate
from scoring.services import awards as award_services
from submissions.models import Innovation

from ..factories import UserFactory
from ..reports.conftest import verified_cycle  # noqa: F401
from .conftest import issue_winners_certificates, log_in, log_out, score_and_submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_juror_scores_and_admin_finalises_and_prints(page, verified_cycle, admin_user, region):  # noqa: F811
    admin_user.set_password("inovasi-demo")
    admin_user.save()
    UserFactory(username="juri1", region=region, role=Role.JURI, opd=None, password="inovasi-demo")
    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    category = scheme.categories.get()
    for innovation in Innovation.objects.filter(cycle=verified_cycle).order_by("pk"):
        award_services.nominate(category=category, innovation=innovation, by=admin_user)

    # The admin seats juri1 in the category.
    log_in(page, "admin.bappeda", "inovasi-demo")
    page.goto(f"/penghargaan/{scheme.pk}/")
    page.get_by_label("Akun juri").select_option(label="juri1 (juri1)")

    page.get_by_role("button", name="Tugaskan", exact=True).click()
    expect(page.get_by_text("menjadi juri Presentasi Kepala Perangkat Daerah")).to_be_visible()
    log_out(page)

    # juri1 declares no conflict, scores every nominee on every criterion, submits.
    log_in(page, "juri1", "inovasi-demo")
    page.get_by_role("link", name=re.compile("Presentasi Kepala Perangkat Daerah")).click()
    page.get_by_label("Saya menyatakan dengan sebenarnya").check()
    page.get_by_role("button", name="Simpan pernyataan dan mulai menilai").click()
    score_and_submit(page, {"Ambulans Desa": 70, "Posyandu <b>Digital</b> & Co": 80, "Sekolah Literasi": 90})
    log_out(page)

    # The admin finalises, issues the winners' certificates after confirming, and prints them.
    log_in(page, "admin.bappeda", "inovasi-demo")
    page.goto(f"/penghargaan/{scheme.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finalkan").click()
    expect(page.get_by_text("Skema difinalkan; hasilnya terkunci.")).to_be_visible()
    issue_winners_certificates(page, 3)  # 3 winners

    winner = Certificate.objects.get(award__startswith="Juara 1")
    page.goto(f"/sertifikat/{winner.code}/")
    expect(page.get_by_test_id("holder")).to_have_text("Dinas Pendidikan")

"""A province's award scheme open to the kabupaten and kota below it (the Inotek Award): who may open it,
the regencies' entries (verified only, within the limit, until the deadline), jurors' region conflicts
(the entries of a declared region are never shown to them), each regency's view of its own entries
only, and the results and certificates in the province's name."""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from innovasi.accounts.models import Notification
from innovasi.errors import PortalError
from reports.rendering import pdf_render
from reports.selectors import documents
from reports.services import award_certificates_issue
from scoring.enums import AwardPlace, ExclusionReason
from scoring.models import AwardScheme, JuryExclusion, Nomination
from scoring.selectors import awards as award_selectors
from scoring.services import awards as award_services

from ..factories import CycleFactory, RegionFactory
from ..reports.conftest import verified_cycle  # noqa: F401
from ..submissions.conftest import MANDATORY, complete_profile, draft, fill  # noqa: F401
from .regional import entrants, province, province_admin, provincial_juror, verified_innovations  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def inotek(province, province_admin):  # noqa: F811
    return award_services.scheme_from_preset(cycle=CycleFactory(region=province), preset="inotek_provinsi")


def test_only_a_province_opens_a_scheme_for_the_regions_below(cycle):
    with pytest.raises(PortalError, match="dibuka oleh provinsi"):
        award_services.scheme_from_preset(cycle=cycle, preset="inotek_provinsi")
    assert not AwardScheme.objects.exists()


def test_the_province_preset_has_the_inotek_categories_a_limit_and_a_deadline(inotek):
    assert inotek.open_to_regions_below
    assert [category.name for category in inotek.categories.all()] == award_services.INOTEK_CATEGORIES
    assert inotek.entries_per_region == award_services.ENTRIES_PER_REGION
    assert inotek.entry_deadline == timezone.localdate() + datetime.timedelta(days=award_services.ENTRY_DAYS)


def test_a_regency_enters_its_verified_innovations_and_the_province_admin_does_not(inotek, entrants):  # noqa: F811
    category = inotek.categories.first()
    entry = award_services.entry_submit(
        category=category, innovation=entrants["own"][0], by=entrants["admin"]
    )

    assert entry.scheme == inotek
    assert entry.nominated_by == entrants["admin"]
    with pytest.raises(PortalError, match="sudah dinominasikan"):
        award_services.entry_submit(category=category, innovation=entrants["own"][0], by=entrants["admin"])
    with pytest.raises(PortalError, match="diajukan oleh admin kabupaten/kota"):
        award_services.nominate(category=category, innovation=entrants["own"][1], by=entrants["admin"])
    assert Nomination.objects.count() == 1


def test_an_unverified_innovation_or_one_of_another_province_is_refused(inotek, entrants, draft):  # noqa: F811
    category = inotek.categories.first()
    with pytest.raises(PortalError, match="Hanya inovasi terverifikasi"):
        award_services.entry_submit(category=category, innovation=draft, by=entrants["admin"])
    elsewhere = RegionFactory(name="Kabupaten Seberang", code="36.01", parent=None)
    elsewhere_admin, (foreign,) = verified_innovations(elsewhere, ["Inovasi Seberang"])
    with pytest.raises(PortalError, match="tidak menerima entri dari wilayah Anda"):
        award_services.entry_submit(category=category, innovation=foreign, by=elsewhere_admin)
    assert not Nomination.objects.exists()


def test_the_limit_per_region_is_enforced_and_cannot_fall_below_what_was_entered(inotek, entrants):  # noqa: F811
    inotek.entries_per_region = 2
    inotek.save(update_fields=["entries_per_region"])
    categories = list(inotek.categories.all())
    for number, innovation in enumerate(entrants["own"][:2]):
        award_services.entry_submit(category=categories[number], innovation=innovation, by=entrants["admin"])

    with pytest.raises(PortalError, match="sudah mengajukan 2 entri, batas dari provinsi 2"):
        award_services.entry_submit(
            category=categories[2], innovation=entrants["own"][2], by=entrants["admin"]
        )
    # Another region has its own places.
    award_services.entry_submit(
        category=categories[0], innovation=entrants["other"][0], by=entrants["other_admin"]
    )
    settings = {
        "scale_min": 1,
        "scale_max": 100,
        "entries_per_region": 1,
        "entry_deadline": inotek.entry_deadline,
    }
    criteria = [(c.pk, c.name, c.weight) for c in inotek.criteria.all()]
    with pytest.raises(PortalError, match="lebih kecil dari entri yang sudah diajukan Kabupaten Uji \\(2\\)"):
        award_services.scheme_update(
            scheme=inotek,
            version=inotek.version,
            settings=settings,
            criteria=criteria,
            categories=[(c.pk, c.name) for c in categories],
        )
    inotek.refresh_from_db()
    assert inotek.entries_per_region == 2
    assert Nomination.objects.filter(innovation__opd__region=entrants["admin"].region).count() == 2


def test_the_deadline_closes_entries_and_withdrawals(inotek, entrants):  # noqa: F811
    category = inotek.categories.first()
    entry = award_services.entry_submit(
        category=category, innovation=entrants["own"][0], by=entrants["admin"]
    )
    AwardScheme.objects.filter(pk=inotek.pk).update(
        entry_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    entry.refresh_from_db()

    with pytest.raises(PortalError, match="Batas waktu pengajuan entri sudah lewat"):
        award_services.entry_submit(category=category, innovation=entrants["own"][1], by=entrants["admin"])
    with pytest.raises(PortalError, match="tidak dapat ditarik setelah batas waktu"):
        award_services.entry_withdraw(nomination=entry)
    assert list(Nomination.objects.values_list("pk", flat=True)) == [entry.pk]


def test_an_entry_is_withdrawn_before_the_deadline(inotek, entrants):  # noqa: F811
    entry = award_services.entry_submit(
        category=inotek.categories.first(), innovation=entrants["own"][0], by=entrants["admin"]
    )
    award_services.entry_withdraw(nomination=entry)
    assert not Nomination.objects.exists()


def test_a_juror_never_sees_the_entries_of_a_region_they_declared(inotek, entrants, province, client):  # noqa: F811
    category = inotek.categories.first()
    award_services.entry_submit(category=category, innovation=entrants["own"][0], by=entrants["admin"])
    hidden = award_services.entry_submit(
        category=category, innovation=entrants["other"][0], by=entrants["other_admin"]
    )
    juror = provincial_juror(province)
    member = award_services.jury_assign(category=category, juror=juror)
    # Declared before seeing any entry: every region below the province is offered.
    assert list(award_selectors.conflict_choices(member)) == [
        entrants["admin"].region,
        entrants["other_admin"].region,
    ]
    award_services.conflicts_declare(
        member=member, opds=[], regions=[entrants["other_admin"].region], note=""
    )
    # An entry made after the declaration is kept from the juror too.
    later = award_services.entry_submit(
        category=category, innovation=entrants["other"][1], by=entrants["other_admin"]
    )

    assert set(JuryExclusion.objects.filter(member=member).values_list("nomination_id", "reason")) == {
        (hidden.pk, ExclusionReason.DECLARED_REGION),
        (later.pk, ExclusionReason.DECLARED_REGION),
    }
    assert [n.innovation.name for n in award_selectors.sheet(member)] == [entrants["own"][0].name]
    client.force_login(juror)
    page = client.get(reverse("scoring:jury_sheet", args=[member.pk])).content.decode()
    assert escape(entrants["own"][0].name) in page
    assert "Pasar Daring" not in page
    assert "Sampah Jadi Emas" not in page
    assert "2 entri dari wilayah tersebut tidak ditampilkan" in page
    criterion = inotek.criteria.first()
    response = client.post(
        reverse("scoring:jury_score", args=[member.pk, hidden.pk]), {f"c{criterion.pk}": "80"}
    )
    assert response.status_code == 404
    with pytest.raises(PortalError, match="dikecualikan"):
        award_services.scores_save(member=member, nomination=hidden, scores={criterion.pk: 80}, comment="")


def test_a_declared_region_stays_unless_the_admin_removes_it(inotek, entrants, province, province_admin):  # noqa: F811
    category = inotek.categories.first()
    member = award_services.jury_assign(category=category, juror=provincial_juror(province))
    other = entrants["other_admin"].region
    award_services.conflicts_declare(member=member, opds=[], regions=[other], note="Konsultan Kota Lain")

    with pytest.raises(PortalError, match="hanya dapat ditambah: Kota Lain tetap dinyatakan"):
        award_services.conflicts_declare(member=member, opds=[], regions=[], note="")
    award_services.conflicts_change(
        member=member, opds=[], regions=[], reason="Salah centang", by=province_admin
    )
    record = member.conflict_records.order_by("pk").last()
    assert (record.regions, record.removed, record.reason) == ([], ["Kota Lain"], "Salah centang")


def test_each_regency_sees_only_its_own_entries_and_their_results(inotek, entrants, pimpinan, client):  # noqa: F811
    category = inotek.categories.first()
    award_services.entry_submit(category=category, innovation=entrants["own"][0], by=entrants["admin"])
    award_services.entry_submit(
        category=category, innovation=entrants["other"][0], by=entrants["other_admin"]
    )

    client.force_login(entrants["other_admin"])
    page = client.get(reverse("scoring:entry_scheme", args=[inotek.pk])).content.decode()
    assert "Pasar Daring" in page
    assert escape(entrants["own"][0].name) not in page
    assert "Kabupaten Uji" not in page
    listing = client.get(reverse("scoring:entry_schemes")).content.decode()
    assert "1 dari 5 entri" in listing

    client.force_login(pimpinan)  # Kabupaten Uji's: follows, does not enter
    page = client.get(reverse("scoring:entry_scheme", args=[inotek.pk])).content.decode()
    assert escape(entrants["own"][0].name) in page
    assert "Pasar Daring" not in page
    response = client.post(
        reverse("scoring:entry_submit", args=[inotek.pk]),
        {"category": category.pk, "innovation": entrants["own"][1].pk},
    )
    assert response.status_code == 403
    assert Nomination.objects.count() == 2


def test_results_and_certificates_are_the_provinces(inotek, entrants, province, province_admin, client):  # noqa: F811
    category = inotek.categories.first()
    own = award_services.entry_submit(category=category, innovation=entrants["own"][0], by=entrants["admin"])
    other = award_services.entry_submit(
        category=category, innovation=entrants["other"][0], by=entrants["other_admin"]
    )
    member = award_services.jury_assign(category=category, juror=provincial_juror(province))
    award_services.conflicts_declare(member=member, opds=[], note="")
    for score, entry in ((90, other), (70, own)):
        scores = {criterion.pk: score for criterion in inotek.criteria.all()}
        award_services.scores_save(member=member, nomination=entry, scores=scores, comment="")
    with pytest.raises(PortalError, match="Nilai dikirim setelah batas waktu pengajuan entri"):
        award_services.sheet_submit(member=member)  # entries still come in until the deadline
    AwardScheme.objects.filter(pk=inotek.pk).update(
        entry_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    award_services.sheet_submit(member=member)
    final = award_services.scheme_finalise(
        scheme=inotek, by=province_admin, reason="Kategori lain tanpa entri"
    )

    other.refresh_from_db()
    assert (other.result.rank, other.result.place) == (1, AwardPlace.WINNER)
    certificates = award_certificates_issue(scheme=final, by=province_admin)
    holders = sorted(certificate.holder_opd for certificate in certificates)
    assert holders == sorted(
        [f"{own.innovation.opd.name}, Kabupaten Uji", f"{other.innovation.opd.name}, Kota Lain"]
    )
    assert {(c.region_id, c.heading, c.signatory_title) for c in certificates} == {
        (province.pk, "PEMERINTAH PROVINSI JAWA UJI", "Gubernur Jawa Uji")
    }

    report = pdf_render("reports/pdf/award.html", documents.award_report_context(final))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=report, capture_output=True, check=True
    ).stdout.decode()
    assert "PEMERINTAH PROVINSI JAWA UJI" in text
    assert "Kota Lain" in text
    assert "Kabupaten Uji" in text
    assert "Universitas Airlangga" in text

    client.force_login(entrants["admin"])
    page = client.get(reverse("scoring:entry_scheme", args=[inotek.pk])).content.decode()
    assert "Juara 2" in page
    assert "Pasar Daring" not in page


def test_the_regions_admins_are_told_of_the_call(province, entrants, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        scheme = award_services.scheme_from_preset(
            cycle=CycleFactory(region=province), preset="inotek_provinsi"
        )

    told = Notification.objects.filter(key=f"regional-call:{scheme.pk}").select_related("user")
    assert {notification.user for notification in told} == {entrants["admin"], entrants["other_admin"]}
    assert told.first().url == reverse("scoring:entry_scheme", args=[scheme.pk])


def test_the_score_url_shows_nothing_before_the_juror_declares(inotek, entrants, province, client):  # noqa: F811
    category = inotek.categories.first()
    entry = award_services.entry_submit(
        category=category, innovation=entrants["other"][0], by=entrants["other_admin"]
    )
    member = award_services.jury_assign(category=category, juror=provincial_juror(province))
    client.force_login(member.juror)

    response = client.post(
        reverse("scoring:jury_score", args=[member.pk, entry.pk]), {}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 404
    assert "Pasar Daring" not in response.content.decode()


def test_unscored_entries_and_hidden_ranks(inotek, entrants, province, province_admin, client):  # noqa: F811
    category = inotek.categories.first()
    own = award_services.entry_submit(category=category, innovation=entrants["own"][0], by=entrants["admin"])
    award_services.entry_submit(
        category=category, innovation=entrants["other"][0], by=entrants["other_admin"]
    )
    unscored = award_services.entry_submit(
        category=inotek.categories.last(), innovation=entrants["own"][1], by=entrants["admin"]
    )
    member = award_services.jury_assign(category=category, juror=provincial_juror(province))
    award_services.conflicts_declare(
        member=member, opds=[], regions=[entrants["other_admin"].region], note=""
    )
    award_services.scores_save(
        member=member, nomination=own, scores={c.pk: 80 for c in inotek.criteria.all()}, comment=""
    )
    AwardScheme.objects.filter(pk=inotek.pk).update(
        entry_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    award_services.sheet_submit(member=member)
    client.force_login(member.juror)
    sheet = client.get(reverse("scoring:jury_sheet", args=[member.pk]))

    assert sheet.context["ranks_shown"] is False
    assert [item["nomination"] for item in sheet.context["ranking"]] == [own]
    award_services.scheme_finalise(scheme=inotek, by=province_admin, reason="Tanpa juri di kategori lain")
    client.force_login(entrants["admin"])
    page = client.get(reverse("scoring:entry_scheme", args=[inotek.pk])).content.decode()
    row = page.split(escape(unscored.innovation.name))[1].split("</tr>")[0]
    assert "belum dinilai" in row
    assert "Peringkat" not in row


def test_the_deadline_is_not_moved_later_once_a_juror_has_sent(inotek, entrants, province):  # noqa: F811
    category = inotek.categories.first()
    award_services.entry_submit(category=category, innovation=entrants["own"][0], by=entrants["admin"])
    member = award_services.jury_assign(category=category, juror=provincial_juror(province))
    award_services.conflicts_declare(member=member, opds=[], note="")
    award_services.scores_save(
        member=member,
        nomination=category.nominations.get(),
        scores={c.pk: 80 for c in inotek.criteria.all()},
        comment="",
    )
    passed = timezone.localdate() - datetime.timedelta(days=1)
    AwardScheme.objects.filter(pk=inotek.pk).update(entry_deadline=passed)
    award_services.sheet_submit(member=member)
    inotek.refresh_from_db()
    settings = {
        "scale_min": 1,
        "scale_max": 100,
        "entries_per_region": 5,
        "entry_deadline": timezone.localdate() + datetime.timedelta(days=7),
    }

    with pytest.raises(PortalError, match="tidak dapat diundur setelah ada juri yang mengirim"):
        award_services.scheme_update(
            scheme=inotek,
            version=inotek.version,
            settings=settings,
            criteria=[(c.pk, c.name, c.weight) for c in inotek.criteria.all()],
            categories=[(c.pk, c.name) for c in inotek.categories.all()],
        )
    inotek.refresh_from_db()
    assert inotek.entry_deadline == passed


def test_an_entry_removed_by_the_province_is_announced(inotek, entrants, province_admin, client):  # noqa: F811
    entry = award_services.entry_submit(
        category=inotek.categories.first(), innovation=entrants["own"][0], by=entrants["admin"]
    )
    client.force_login(province_admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("scoring:award_nomination_remove", args=[entry.pk]))

    assert not Nomination.objects.exists()
    told = Notification.objects.get(key=f"entry-removed:{inotek.pk}:{entrants['own'][0].pk}")
    assert told.user == entrants["admin"]


@pytest.mark.parametrize("url_name", ["scoring:entry_schemes", "scoring:entry_scheme", "scoring:award"])
def test_the_entry_pages_read_a_fixed_number_of_queries(inotek, entrants, province_admin, client, url_name):  # noqa: F811
    """Whatever the number of entries: the regency's two pages and the province's scheme page."""
    category = inotek.categories.first()
    viewer = province_admin if url_name == "scoring:award" else entrants["admin"]
    args = [] if url_name == "scoring:entry_schemes" else [inotek.pk]
    client.force_login(viewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name, args=args)).status_code == 200
        return len(captured)

    award_services.entry_submit(category=category, innovation=entrants["own"][0], by=entrants["admin"])
    one = queries()
    for innovation in entrants["own"][1:]:
        award_services.entry_submit(category=category, innovation=innovation, by=entrants["admin"])
    award_services.entry_submit(
        category=category, innovation=entrants["other"][0], by=entrants["other_admin"]
    )

    assert queries() == one

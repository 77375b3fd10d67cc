"""The dashboard (one truth with the snapshot and iid_simulate), its drill-down, monitoring, and the
public gallery; with query counts that do not grow with the data."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innovasi.accounts.models import Notification
from innovasi.errors import PortalError
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Catalogue
from scoring.enums import SnapshotKind
from scoring.selectors import index as index_selectors
from scoring.selectors.inputs import catalogue_rules
from scoring.services import index
from submissions import services as submission_services
from submissions.models import Innovation

from ..factories import CycleFactory, OpdFactory, innovation_create
from ..submissions.conftest import MANDATORY, complete_profile, fill
from .conftest import waiting_for_the_head

pytestmark = pytest.mark.django_db


def test_pimpinan_reads_everything_and_changes_nothing(client, pimpinan, verified_cycle):
    innovation = Innovation.objects.get(name="Ambulans Desa")
    claim = innovation.claims.get(indicator__code="SID-16")
    evidence = claim.evidence.get()
    client.force_login(pimpinan)

    reads = [
        client.get(reverse("submissions:detail", args=[innovation.pk])).status_code,
        client.get(reverse("submissions:evidence_download", args=[innovation.pk, evidence.pk])).status_code,
        client.get(reverse("scoring:index")).status_code,
        client.get(reverse("scoring:spd")).status_code,
        client.get(reverse("reports:dashboard_opd", args=[innovation.opd_id])).status_code,
    ]
    writes = [
        client.post(reverse("submissions:edit", args=[innovation.pk]), {"name": "x"}).status_code,
        client.post(reverse("submissions:publish", args=[innovation.pk]), {"published": "1"}).status_code,
        client.post(reverse("scoring:verdict_save", args=[innovation.pk, claim.pk]), {}).status_code,
        client.post(reverse("scoring:assignments"), {}).status_code,
        client.post(reverse("reports:remind", args=[innovation.opd_id])).status_code,
    ]

    assert reads == [200, 200, 200, 200, 200]
    assert writes == [403, 403, 403, 403, 403]
    assert not Innovation.objects.filter(is_published=True).exists()


def test_dashboard_figures_are_the_snapshot_and_iid_simulate(
    client, pimpinan, verified_cycle, tmp_path, capsys
):
    client.force_login(pimpinan)

    response = client.get(reverse("reports:dashboard"))

    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]
    context = response.context
    assert context["verified"] == verified
    page = response.content.decode()
    shown = f"{verified.iid:.2f}".replace(".", ",")
    assert f'data-testid="dashboard-iid-verified">{shown}</div>' in page
    assert f'data-testid="dashboard-category">{verified.category}</span>' in page
    assert (
        sum(item["points"] for item in context["contributions"]) + Decimal(verified.result["spd_points"])
        == verified.iid
    )
    path = tmp_path / "verified.json"
    call_command("iid_export_scenario", cycle=verified_cycle.pk, kind="verified", output=str(path))
    capsys.readouterr()
    call_command("iid_simulate", str(path))
    simulated = json.loads(capsys.readouterr().out)
    assert (Decimal(str(simulated["iid"])), simulated["category"], simulated["n_eligible"]) == (
        verified.iid,
        verified.category,
        int(page.split('data-testid="dashboard-eligible">')[1].split("<")[0]),
    )


def test_dashboard_yandas_coverage_is_the_snapshot_s_until_it_is_recomputed(client, pimpinan, verified_cycle):
    from innovasi.standards.models import Urusan

    client.force_login(pimpinan)
    before = dict(client.get(reverse("reports:dashboard")).context["yandas"])
    covered = next(urusan for urusan, is_covered in before.items() if is_covered)
    elsewhere = Urusan.objects.exclude(group="wajib_yandas").first()
    # The profile changes without a new snapshot yet (an update that announces nothing).
    Innovation.objects.filter(cycle=verified_cycle, urusan_utama=covered).update(urusan_utama=elsewhere)
    cache.clear()

    shown = dict(client.get(reverse("reports:dashboard")).context["yandas"])

    assert shown == before
    assert shown[covered]


def test_rows_waiting_for_the_verifier_are_told_apart_from_rows_the_opd_must_fix(
    client, pimpinan, verified_cycle, opd_a, operator_a, verifikator, admin_user
):
    from scoring.services import verification

    waiting = innovation_create(
        verified_cycle, opd_a, operator_a, name="Menunggu Verifikasi", **complete_profile()
    )
    fill(waiting, operator_a, dict.fromkeys(MANDATORY, 2))
    submission_services.innovation_transition(innovation=waiting, user=operator_a, to_state="diajukan")
    verification.assignment_set(innovation=waiting, verifikator=verifikator, by=admin_user)
    verification.verdict_save(  # one row judged; the other mandatory rows wait for the verifier
        claim=waiting.claims.get(indicator__code="SID-16"),
        user=verifikator,
        verdict="sesuai",
        level=2,
        reason="",
        opd_note="",
        version=None,
    )
    index.cycle_recompute(cycle_id=verified_cycle.pk)
    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]
    client.force_login(pimpinan)

    page = client.get(reverse("reports:dashboard")).content.decode()
    actions = index_selectors.actions_described(
        cycle=verified_cycle,
        payload=verified.result,
        rules=catalogue_rules(verified_cycle.catalogue),
        limit=100,
    )

    assert "Menunggu Verifikasi</a>: SID-17, SID-32, SID-33, SID-35 <span" in page
    assert "(menunggu verifikasi)" in page
    about_it = [action for action in actions if "«Menunggu Verifikasi»" in action.text]
    assert about_it
    assert all(action.text.startswith("Selesaikan verifikasi indikator wajib") for action in about_it)
    assert {action.owner for action in about_it} == {
        "verifikator Bappeda"
    }  # the verifier's work, not the OPD's


def test_dashboard_drills_down_to_opd_and_innovation(client, pimpinan, verified_cycle, opd_a):
    client.force_login(pimpinan)

    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    opd_page = client.get(reverse("reports:dashboard_opd", args=[opd_a.pk])).content.decode()

    assert reverse("reports:dashboard_opd", args=[opd_a.pk]) in dashboard
    for innovation in Innovation.objects.filter(opd=opd_a):
        assert reverse("submissions:detail", args=[innovation.pk]) in opd_page


def test_innovation_page_shows_its_kematangan_evidence_and_nominations(
    client, pimpinan, admin_user, verified_cycle
):
    from scoring.services import awards

    innovation = Innovation.objects.get(name="Ambulans Desa")
    scheme = awards.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    awards.nominate(category=scheme.categories.get(), innovation=innovation, by=admin_user)
    evidence = innovation.claims.filter(evidence__isnull=False).first().evidence.first()
    client.force_login(pimpinan)

    page = client.get(reverse("submissions:detail", args=[innovation.pk])).content.decode()
    verdicts = client.get(reverse("scoring:innovation_verdicts", args=[innovation.pk])).content.decode()

    verified = f"{innovation.kematangan_verified:.2f}".replace(".", ",")
    assert f'Terverifikasi Bappeda</dt>\n          <dd class="col-5 text-end fs-5 mb-0">{verified}' in page
    assert reverse("submissions:evidence_download", args=[innovation.pk, evidence.pk]) in page
    assert f"Dinominasikan dalam {scheme.name}, kategori {scheme.categories.get().name}." in verdicts


def test_dashboard_lists_opds_without_innovations_and_with_drafts_only(
    client, admin_user, verified_cycle, region
):
    idle = OpdFactory(region=region, name="Kecamatan Sepi", short_name="")
    drafting = OpdFactory(region=region, name="Dinas Draf", short_name="DinasDraf")
    innovation_create(verified_cycle, drafting, name="Masih draf")
    client.force_login(admin_user)

    context = client.get(reverse("reports:dashboard")).context

    assert idle in context["no_innovation"]
    assert [opd.name for opd in context["drafts_only"]] == ["Dinas Draf"]


def make_verified_innovations(cycle, opd, user, count):
    for number in range(count):
        innovation = innovation_create(cycle, opd, user, name=f"{opd.name} {number}", **complete_profile())
        fill(innovation, user, dict.fromkeys(MANDATORY, 2))
        Innovation.objects.filter(pk=innovation.pk).update(state="terverifikasi", is_published=True)


@pytest.mark.parametrize("size", [1, 4])
def test_dashboard_and_gallery_queries_do_not_grow(client, pimpinan, cycle, region, size):
    from ..factories import UserFactory

    for number in range(size):
        opd = OpdFactory(region=region, name=f"Dinas {number}")
        user = UserFactory(region=region, role="operator", opd=opd)
        make_verified_innovations(cycle, opd, user, size)
    index.cycle_recompute(cycle_id=cycle.pk)
    client.force_login(pimpinan)
    client.get(reverse("submissions:list"))  # the session and the user, loaded once

    with CaptureQueriesContext(connection) as computed:
        client.get(reverse("reports:dashboard"))
    with CaptureQueriesContext(connection) as cached:
        client.get(reverse("reports:dashboard"))
    client.logout()
    with CaptureQueriesContext(connection) as gallery_queries:
        response = client.get(reverse("reports:gallery") + "?q=Dinas")
    with CaptureQueriesContext(connection) as gallery_cached:
        client.get(reverse("reports:gallery") + "?q=Dinas")

    assert len(response.context["page"].object_list) == size * size
    # Computed: the snapshots, OPDs, trend and the rest; the catalogue's rules were read by the recompute.
    assert (len(computed), len(cached), len(gallery_queries), len(gallery_cached)) == (14, 5, 6, 1)


@pytest.mark.parametrize("count", [1, 3])
def test_monitoring_query_count_does_not_grow(
    client, admin_user, cycle, region, count, django_assert_num_queries
):
    from ..factories import UserFactory

    for number in range(count):  # each OPD with a draft, a submitted innovation and a reminder sent
        opd = OpdFactory(region=region, name=f"Dinas {number}")
        user = UserFactory(region=region, role="operator", opd=opd)
        innovation_create(cycle, opd, user, name=f"Draf {number}")
        submitted = innovation_create(cycle, opd, user, name=f"Diajukan {number}", **complete_profile())
        fill(submitted, user, dict.fromkeys(MANDATORY, 2))
        submission_services.innovation_transition(innovation=submitted, user=user, to_state="diajukan")
        Notification.objects.create(user=user, key=f"reminder:{cycle.pk}:1", title="Pengingat", url="/")
    client.force_login(admin_user)
    client.get(reverse("reports:monitoring"))

    with django_assert_num_queries(5):
        response = client.get(reverse("reports:monitoring"))

    opds = [opd for opd in response.context["opds"] if opd.name.startswith("Dinas ")]
    assert [(opd.n_total, opd.reminders) for opd in opds] == [(2, 1)] * count


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_opd_query_count_does_not_grow(
    client, pimpinan, cycle, opd_a, operator_a, count, django_assert_num_queries
):
    make_verified_innovations(cycle, opd_a, operator_a, count)
    index.cycle_recompute(cycle_id=cycle.pk)
    client.force_login(pimpinan)
    client.get(reverse("reports:dashboard_opd", args=[opd_a.pk]))

    with django_assert_num_queries(10):
        response = client.get(reverse("reports:dashboard_opd", args=[opd_a.pk]))

    assert len(response.context["innovations"]) == count


def test_gallery_shows_only_published_and_never_evidence(client, verified_cycle, admin_user):
    published = Innovation.objects.get(name="Ambulans Desa")
    submission_services.innovation_publish(innovation=published, user=admin_user, published=True)
    hidden = Innovation.objects.get(name="Sekolah Literasi")

    listing = client.get(reverse("reports:gallery")).content.decode()
    page = client.get(reverse("reports:gallery_innovation", args=[published.pk]))

    assert "Ambulans Desa" in listing
    assert "Sekolah Literasi" not in listing
    assert page.status_code == 200
    assert (
        "bukti" not in page.content.decode().lower().split("<main", 1)[1].split("kematangan terverifikasi")[0]
    )
    assert "/bukti/" not in page.content.decode()
    assert client.get(reverse("reports:gallery_innovation", args=[hidden.pk])).status_code == 404
    assert "csrfmiddlewaretoken" not in listing  # nothing of a user, so it can be cached for everyone
    by_short_name = client.get(reverse("reports:gallery") + "?q=dinkes").content.decode()
    assert "Ambulans Desa" in by_short_name  # the OPD's short name, as the staff screens write it


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"opd": "²"}, "Parameter «opd» harus bilangan bulat, bukan «²»."),
        ({"tahun": "99999999999999999999"}, "Parameter «tahun» di luar jangkauan."),
        ({"q": "a\x00"}, "Parameter «q» memuat karakter yang tidak diizinkan."),
    ],
)
def test_gallery_filter_that_is_no_filter_answers_400_with_a_message(client, query, message):
    response = client.get(reverse("reports:gallery"), query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_gallery_shows_publishing_and_unpublishing_at_once(client, verified_cycle, admin_user):
    innovation = Innovation.objects.get(name="Ambulans Desa")
    listing_url, page_url = (
        reverse("reports:gallery"),
        reverse("reports:gallery_innovation", args=[innovation.pk]),
    )
    before = client.get(listing_url).content.decode()  # cached, with nothing published

    submission_services.innovation_publish(innovation=innovation, user=admin_user, published=True)
    published_listing = client.get(listing_url).content.decode()
    published_page = client.get(page_url)
    client.get(listing_url), client.get(page_url)  # and cached again
    submission_services.innovation_publish(innovation=innovation, user=admin_user, published=False)
    unpublished_listing = client.get(listing_url).content.decode()
    unpublished_page = client.get(page_url)

    assert "Ambulans Desa" not in before
    assert "Ambulans Desa" in published_listing
    assert published_page.status_code == 200
    assert "Ambulans Desa" not in unpublished_listing
    assert unpublished_page.status_code == 404


def test_gallery_page_of_a_published_innovation_follows_its_changes(client, verified_cycle, admin_user):
    innovation = Innovation.objects.get(name="Ambulans Desa")
    submission_services.innovation_publish(innovation=innovation, user=admin_user, published=True)
    page_url = reverse("reports:gallery_innovation", args=[innovation.pk])
    client.get(page_url)

    Innovation.objects.filter(pk=innovation.pk).update(name="Ambulans Desa Siaga", updated_at=timezone.now())

    assert "Ambulans Desa Siaga" in client.get(page_url).content.decode()


def test_only_verified_innovations_can_be_published(verified_cycle, admin_user, cycle, opd_a, operator_a):
    draft = innovation_create(cycle, opd_a, operator_a, name="Draf")

    with pytest.raises(PortalError, match="Hanya inovasi yang sudah terverifikasi"):
        submission_services.innovation_publish(innovation=draft, user=admin_user, published=True)


def test_remind_now_sends_one_notification_per_press(
    client, admin_user, verified_cycle, opd_a, operator_a, django_capture_on_commit_callbacks
):
    innovation_create(verified_cycle, opd_a, operator_a, name="Draf lama")
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:remind", args=[opd_a.pk]))
        client.post(reverse("reports:remind", args=[opd_a.pk]))

    titles = list(Notification.objects.filter(user=operator_a).values_list("title", flat=True))
    assert titles == ["Pengingat: 1 draf inovasi belum diajukan"] * 2
    row = next(opd for opd in client.get(reverse("reports:monitoring")).context["opds"] if opd.pk == opd_a.pk)
    assert (row.n_draft, row.n_terverifikasi, row.reminders) == (1, 2, 2)


def test_reminder_to_an_opd_without_innovations_asks_it_to_file_one(
    client, admin_user, verified_cycle, django_capture_on_commit_callbacks
):
    from ..factories import UserFactory

    opd = OpdFactory(region=verified_cycle.region, name="Kecamatan Sepi")
    operator = UserFactory(region=verified_cycle.region, role="operator", opd=opd)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:remind", args=[opd.pk]))

    assert Notification.objects.get(user=operator).title == "Pengingat: OPD Anda belum mendaftarkan inovasi"


def test_reminder_to_an_opd_with_everything_submitted_says_so(
    client, admin_user, verified_cycle, opd_b, operator_b, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:remind", args=[opd_b.pk]))

    notification = Notification.objects.get(user=operator_b, title__startswith="Pengingat")
    assert notification.title.startswith(f"Pengingat: {verified_cycle.name} ditutup ")
    assert notification.body.startswith("Semua inovasi OPD Anda sudah diajukan.")


def test_monitoring_last_activity_counts_indicator_rows_and_evidence(
    client, admin_user, verified_cycle, opd_a, operator_a
):
    from django.utils import timezone

    from submissions.models import Claim, Evidence

    from ..submissions.conftest import fill

    draft = innovation_create(verified_cycle, opd_a, operator_a, name="Draf baru")
    long_ago = timezone.now() - timezone.timedelta(days=30)
    Innovation.objects.filter(opd=opd_a).update(updated_at=long_ago)
    Claim.objects.filter(innovation__opd=opd_a).update(updated_at=long_ago)
    fill(draft, operator_a, {"SID-16": 1})  # a row and its evidence, today
    Innovation.objects.filter(pk=draft.pk).update(updated_at=long_ago)
    client.force_login(admin_user)

    def last_activity():
        opds = client.get(reverse("reports:monitoring")).context["opds"]
        return next(opd for opd in opds if opd.pk == opd_a.pk).last_activity

    with_row = last_activity()
    Claim.objects.filter(innovation__opd=opd_a).update(updated_at=long_ago)  # only the evidence is new
    with_evidence = last_activity()
    Evidence.objects.filter(claim__innovation__opd=opd_a).update(uploaded_at=long_ago)

    assert with_row > long_ago + timezone.timedelta(days=29)
    assert with_evidence > long_ago + timezone.timedelta(days=29)
    assert last_activity() == long_ago


def test_remind_now_while_redis_is_stopped_says_it_was_not_sent(
    client, admin_user, verified_cycle, opd_a, redis_stopped
):
    client.force_login(admin_user)

    page = client.post(reverse("reports:remind", args=[opd_a.pk]), follow=True)

    assert page.status_code == 200
    assert "pengingat belum dikirim" in page.content.decode()


def indonesian(value):
    return f"{Decimal(value):.2f}".replace(".", ",")


def test_dashboard_tells_the_gap_to_the_next_band_and_the_change_since_the_last_cycle(
    client, pimpinan, verified_cycle
):
    earlier = CycleFactory(
        region=verified_cycle.region,
        catalogue=Catalogue.objects.get(code="iid-2023"),
        opens_on=datetime.date(2023, 1, 2),
        filing_closes_on=datetime.date(2023, 8, 31),
        verification_closes_on=datetime.date(2023, 9, 30),
        revision_closes_on=datetime.date(2023, 10, 31),
        final_on=datetime.date(2023, 12, 31),
        state=CycleState.FINAL,
    )
    index.cycle_recompute(cycle_id=earlier.pk)
    earlier_iid = index_selectors.snapshots_newest(cycle=earlier)[SnapshotKind.VERIFIED].iid
    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]
    bands = sorted((band.min, band.name) for band in catalogue_rules(verified_cycle.catalogue).bands)
    minimum, band = next((minimum, name) for minimum, name in bands if minimum > verified.iid)
    client.force_login(pimpinan)

    page = client.get(reverse("reports:dashboard")).content.decode()

    assert f"{indonesian(minimum - verified.iid)} poin lagi ke {band}" in page
    assert f"{indonesian(verified.iid - earlier_iid)} poin dibanding siklus 2023" in page
    assert 'data-testid="provisional"' not in page  # every innovation is verified: the figure is final


def test_next_actions_name_their_opd_and_their_gain_is_the_difference_of_the_figures_shown(
    client, pimpinan, verified_cycle
):
    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]
    actions = index_selectors.actions_described(
        cycle=verified_cycle,
        payload=verified.result,
        rules=catalogue_rules(verified_cycle.catalogue),
        limit=5,
    )
    client.force_login(pimpinan)

    page = client.get(reverse("reports:dashboard")).content.decode()

    assert actions
    for action in actions:
        assert action.after - verified.iid == action.gain
        assert f"IID {indonesian(verified.iid)} → {indonesian(action.after)}" in page
    owners = {action.owner for action in actions}
    assert owners <= {None, "verifikator Bappeda", *Innovation.objects.values_list("opd__name", flat=True)}
    assert any(owners)
    for owner in owners - {None}:
        assert f"Dikerjakan oleh: {owner}" in page


def test_verified_figures_are_marked_provisional_while_verification_is_under_way(
    client, pimpinan, verified_cycle, opd_a, operator_a
):
    waiting = innovation_create(verified_cycle, opd_a, operator_a, name="Menunggu", **complete_profile())
    fill(waiting, operator_a, dict.fromkeys(MANDATORY, 2))
    submission_services.innovation_transition(innovation=waiting, user=operator_a, to_state="diajukan")
    index.cycle_recompute(cycle_id=verified_cycle.pk)
    client.force_login(pimpinan)

    pages = [
        client.get(reverse("reports:dashboard")),
        client.get(reverse("reports:dashboard_opd", args=[opd_a.pk])),
        client.get(reverse("scoring:index")),
    ]

    for response in pages:
        assert response.status_code == 200
        assert 'data-testid="provisional"' in response.content.decode(), response.request["PATH_INFO"]


def test_monitoring_flags_an_opd_without_an_active_operator(
    client, admin_user, verified_cycle, opd_a, operator_b
):
    from innovasi.accounts.models import User

    quiet = OpdFactory(region=verified_cycle.region, name="Kecamatan Sepi")
    User.objects.filter(pk=operator_b.pk).update(is_active=False)
    client.force_login(admin_user)

    page = client.get(reverse("reports:monitoring"))

    flags = {opd.name: opd.has_operator for opd in page.context["opds"]}
    assert flags == {"Bappeda": False, "Dinas Kesehatan": True, "Dinas Pendidikan": False, quiet.name: False}
    assert page.content.decode().count('data-testid="no-operator"') == 3


def test_reminder_to_an_opd_without_an_operator_says_so_and_sends_nothing(
    client, admin_user, verified_cycle, django_capture_on_commit_callbacks
):
    from ..factories import UserFactory

    opd = OpdFactory(region=verified_cycle.region, name="Kecamatan Sepi")
    former = UserFactory(region=verified_cycle.region, role="operator", opd=opd, is_active=False)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client.post(reverse("reports:remind", args=[opd.pk]), follow=True)

    assert [str(message) for message in page.context["messages"]] == [
        "Pengingat tidak dikirim: Kecamatan Sepi belum punya operator aktif yang dapat menerimanya. Undang "
        "operatornya di halaman Pengguna."
    ]
    assert (callbacks, Notification.objects.filter(user=former).count()) == ([], 0)


def test_monitoring_before_the_first_cycle_says_so(client, outsider_admin):
    client.force_login(outsider_admin)

    page = client.get(reverse("reports:monitoring"))

    assert page.status_code == 200
    assert "Belum ada siklus penilaian untuk wilayah Anda." in page.content.decode()


def test_a_submission_waiting_for_its_head_is_filed_but_not_at_bappeda_on_every_page(
    client, pimpinan, admin_user, verified_cycle, opd_a, operator_a
):
    waiting = waiting_for_the_head(verified_cycle, opd_a, operator_a, "Menunggu Kepala")
    claimed = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.CLAIMED]
    client.force_login(pimpinan)

    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    drill_down = client.get(reverse("reports:dashboard_opd", args=[opd_a.pk])).content.decode()
    client.force_login(admin_user)
    monitoring = client.get(reverse("reports:monitoring"))
    changes = client.get(reverse("scoring:snapshot", args=[claimed.pk])).content.decode()

    assert str(waiting.pk) in {item["ref"] for item in claimed.result["innovations"]}  # counted as filed
    assert 'data-testid="provisional"' in dashboard  # more verdicts are to come
    assert '<span data-testid="funnel-awaiting">Menunggu pengesahan kepala OPD: 1</span>' in dashboard
    assert "1 menunggu pengesahan kepala OPD" in drill_down
    assert "Menunggu Kepala" not in drill_down  # not at Bappeda: not listed to open
    states = [state.value for state in monitoring.context["states"]]
    row = next(opd for opd in monitoring.context["opds"] if opd.pk == opd_a.pk)
    assert dict(zip(states, row.counts, strict=True))["menunggu_pengesahan"] == 1
    assert "Menunggu Kepala <span" in changes
    assert f'href="/inovasi/{waiting.pk}/"' not in changes


def test_without_the_setting_the_pages_have_no_waiting_step(client, pimpinan, admin_user, verified_cycle):
    client.force_login(pimpinan)
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    client.force_login(admin_user)
    monitoring = client.get(reverse("reports:monitoring"))

    assert "Menunggu pengesahan kepala OPD" not in dashboard
    assert "menunggu_pengesahan" not in [state.value for state in monitoring.context["states"]]


def test_a_gap_of_a_return_waiting_for_its_head_is_named_without_a_link(
    client, pimpinan, verified_cycle, opd_a, operator_a, verifikator, admin_user
):
    waiting = waiting_for_the_head(
        verified_cycle, opd_a, operator_a, "Kembali ke Kepala", after_a_return=(verifikator, admin_user)
    )
    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]
    client.force_login(pimpinan)

    page = client.get(reverse("reports:dashboard")).content.decode()
    actions = index_selectors.actions_described(
        cycle=verified_cycle,
        payload=verified.result,
        rules=catalogue_rules(verified_cycle.catalogue),
        limit=100,
    )

    assert "<li>Kembali ke Kepala: SID-17 <span" in page
    assert f'href="/inovasi/{waiting.pk}/"' not in page
    about_it = [action for action in actions if "«Kembali ke Kepala»" in action.text]
    assert about_it
    assert {(action.url, action.awaiting_endorsement) for action in about_it} == {(None, True)}

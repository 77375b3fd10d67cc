"""The admin's cycle pages: opening a cycle on a catalogue, its dates in order, moving it from stage to stage
with a confirmation, one OPD's extended deadline, and the history of every change with its old and new
values; the database's own checks; the migration from the single closing date."""

import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from innovasi.errors import PortalError
from innovasi.standards.enums import CycleState, DeadlineKind
from innovasi.standards.models import Catalogue, Cycle, DeadlineExtension
from innovasi.standards.selectors import cycle_history, day, deadline_window
from innovasi.standards.services import cycles

from ..factories import CycleFactory, OpdFactory, days_from_today

pytestmark = pytest.mark.django_db


def schedule_data(**overrides):
    """A valid schedule as the form posts it (ISO dates), with ``overrides``."""
    dates = {
        "opens_on": days_from_today(1),
        "filing_closes_on": days_from_today(60),
        "verification_closes_on": days_from_today(90),
        "revision_closes_on": days_from_today(105),
        "final_on": days_from_today(120),
    }
    dates.update(overrides)
    return {name: value.isoformat() if value else "" for name, value in dates.items()}


def errors(response, form="form"):
    return {field: list(messages) for field, messages in response.context[form].errors.items()}


# Creating a cycle


def test_cycle_create_opens_a_cycle_in_persiapan_with_its_dates_and_history(client, admin_user, region):
    catalogue = Catalogue.objects.get(code="iid-2026")
    client.force_login(admin_user)

    response = client.post(
        reverse("standards:cycle_create"), {"catalogue": catalogue.pk, "name": "", **schedule_data()}
    )

    cycle = Cycle.objects.get(region=region, catalogue=catalogue)
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:cycle", args=[cycle.pk])
    assert cycle.name == "IID 2026 — Kabupaten Uji"
    assert cycle.state == CycleState.DRAFT
    assert (cycle.filing_closes_on, cycle.final_on) == (days_from_today(60), days_from_today(120))
    (created,) = cycle_history(cycle)
    assert (created.what, created.who) == ("Siklus dibuat", admin_user)


def test_cycle_create_refuses_dates_out_of_order_in_indonesian(client, admin_user, region):
    client.force_login(admin_user)
    data = schedule_data(
        filing_closes_on=days_from_today(0),  # before the opening
        verification_closes_on=days_from_today(0),  # not after the filing deadline
        revision_closes_on=days_from_today(200),
        final_on=days_from_today(200),  # not after the revision deadline
    )

    response = client.post(
        reverse("standards:cycle_create"),
        {"catalogue": Catalogue.objects.get(code="iid-2026").pk, "name": "IID 2026", **data},
    )

    assert response.status_code == 200
    assert errors(response) == {
        "filing_closes_on": ["Batas pengisian tidak boleh sebelum pengisian dibuka."],
        "verification_closes_on": ["Batas verifikasi harus setelah batas pengisian."],
        "final_on": ["Tanggal final harus setelah batas perbaikan."],
    }
    assert not Cycle.objects.filter(region=region).exists()


def test_cycle_create_refuses_a_missing_date_and_a_catalogue_that_has_a_cycle(client, admin_user, cycle):
    client.force_login(admin_user)

    response = client.post(
        reverse("standards:cycle_create"),
        {"catalogue": cycle.catalogue.pk, "name": "Lagi", **schedule_data(final_on=None)},
    )

    assert errors(response) == {
        "catalogue": ["Pilih katalog yang belum memiliki siklus di wilayah Anda."],
        "final_on": ["Bidang ini tidak boleh kosong."],
    }
    assert Cycle.objects.filter(region=cycle.region).count() == 1


def test_cycle_create_service_refuses_a_second_cycle_on_a_catalogue(admin_user, cycle):
    with pytest.raises(PortalError, match=r"^Kabupaten Uji sudah memiliki siklus pada katalog"):
        cycles.cycle_create(
            region=cycle.region,
            catalogue=cycle.catalogue,
            name="Lagi",
            schedule={name: getattr(cycle, name) for name in cycles.SCHEDULE_FIELDS},
            user=admin_user,
        )


def test_cycle_create_service_refuses_another_regions_admin(outsider_admin, region):
    with pytest.raises(PortalError, match=r"^Hanya admin Bappeda yang membuka siklus penilaian baru\.$"):
        cycles.cycle_create(
            region=region,
            catalogue=Catalogue.objects.get(code="iid-2026"),
            name="IID 2026",
            schedule={name: datetime.date.fromisoformat(v) for name, v in schedule_data().items()},
            user=outsider_admin,
        )


# Changing the dates


def test_cycle_edit_records_old_and_new_dates_with_who_and_the_reason(client, admin_user, cycle):
    old_deadline = cycle.filing_closes_on
    client.force_login(admin_user)
    data = {
        "name": cycle.name,
        "version": cycle.version,
        "reason": "Surat edaran BSKDN",
        **schedule_data(
            opens_on=cycle.opens_on, filing_closes_on=cycle.filing_closes_on + datetime.timedelta(days=7)
        ),
    }

    response = client.post(reverse("standards:cycle_edit", args=[cycle.pk]), data)

    cycle.refresh_from_db()
    assert response.status_code == 302
    assert cycle.filing_closes_on == old_deadline + datetime.timedelta(days=7)
    newest = cycle_history(cycle)[0]
    assert (newest.what, newest.who) == ("Surat edaran BSKDN", admin_user)
    assert ("batas pengisian", old_deadline.isoformat(), cycle.filing_closes_on.isoformat()) in newest.changes
    page = client.get(reverse("standards:cycle", args=[cycle.pk])).content.decode()
    assert f"<del>{old_deadline.isoformat()}</del> → {cycle.filing_closes_on.isoformat()}" in page


def test_cycle_edit_opened_before_another_change_saves_nothing(client, admin_user, cycle):
    client.force_login(admin_user)
    data = {
        "name": "Nama baru",
        "version": cycle.version,
        "reason": "",
        **schedule_data(opens_on=cycle.opens_on),
    }
    cycles.cycle_transition(cycle=cycle, user=admin_user, to_state=CycleState.VERIFICATION)

    response = client.post(reverse("standards:cycle_edit", args=[cycle.pk]), data)

    assert response.status_code == 200
    assert (
        response.context["form"]
        .non_field_errors()[0]
        .startswith("Siklus ini baru saja diubah oleh orang lain.")
    )
    cycle.refresh_from_db()
    assert cycle.name == "IID 2026 — Kabupaten Uji"


def test_cycle_edit_refuses_dates_out_of_order(client, admin_user, cycle):
    client.force_login(admin_user)
    data = {
        "name": cycle.name,
        "version": cycle.version,
        "reason": "",
        **schedule_data(opens_on=cycle.opens_on, revision_closes_on=days_from_today(89)),
    }

    response = client.post(reverse("standards:cycle_edit", args=[cycle.pk]), data)

    assert errors(response) == {"revision_closes_on": ["Batas perbaikan harus setelah batas verifikasi."]}


def test_final_cycle_keeps_its_dates(admin_user, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.FINAL)
    cycle.refresh_from_db()

    with pytest.raises(PortalError, match="sudah final: jadwalnya tidak diubah lagi"):
        cycles.cycle_update(
            cycle=cycle,
            user=admin_user,
            name=cycle.name,
            schedule={name: getattr(cycle, name) for name in cycles.SCHEDULE_FIELDS},
            version=None,
        )


# Moving from stage to stage


def test_transition_page_asks_for_confirmation_and_says_what_changes(client, admin_user, cycle):
    client.force_login(admin_user)

    response = client.get(reverse("standards:cycle_transition", args=[cycle.pk]), {"ke": "verification"})

    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN  # a GET moves nothing
    page = response.content.decode()
    assert f"Pindahkan {cycle.name} dari tahap Pengisian ke tahap Verifikasi?" in page
    assert response.context["effects"][0] == (
        "Pengisian ditutup: OPD tidak dapat lagi membuat atau mengajukan inovasi baru, kecuali OPD yang diberi perpanjangan."
    )
    assert "Ya, pindahkan ke tahap Verifikasi" in page


def test_transition_confirmed_moves_the_stage_and_records_it(client, admin_user, cycle):
    client.force_login(admin_user)

    response = client.post(
        reverse("standards:cycle_transition", args=[cycle.pk]),
        {"to_state": "verification", "note": "", "version": cycle.version},
    )

    cycle.refresh_from_db()
    assert response.status_code == 302
    assert cycle.state == CycleState.VERIFICATION
    newest = cycle_history(cycle)[0]
    assert (newest.what, newest.who, newest.changes) == ("Tahap: Pengisian → Verifikasi", admin_user, ())


def test_transition_back_needs_a_reason_beside_its_field(client, admin_user, cycle):
    client.force_login(admin_user)
    url = reverse("standards:cycle_transition", args=[cycle.pk])

    refused = client.post(url, {"to_state": "draft", "note": " ", "version": cycle.version})
    moved = client.post(
        url, {"to_state": "draft", "note": "Jadwal nasional belum terbit", "version": cycle.version}
    )

    assert errors(refused) == {"note": ["Tuliskan alasan memundurkan siklus ke tahap Persiapan."]}
    assert moved.status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == CycleState.DRAFT
    assert cycle_history(cycle)[0].what == "Tahap: Pengisian → Persiapan. Jadwal nasional belum terbit"


def test_transition_skipping_a_stage_is_refused(client, admin_user, cycle):
    client.force_login(admin_user)

    response = client.post(
        reverse("standards:cycle_transition", args=[cycle.pk]),
        {"to_state": "final", "note": "", "version": cycle.version},
    )

    assert errors(response) == {
        "to_state": [
            "Siklus pada tahap Pengisian hanya dapat dipindahkan ke tahap sesudahnya atau sebelumnya.",
        ]
    }
    assert response.context["form"].fields["to_state"].choices == [
        ("verification", "Verifikasi"),
        ("draft", "Persiapan"),
    ]
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN


def test_transition_service_refuses_a_skip_and_a_second_cycle_in_pengisian(admin_user, cycle):
    older = CycleFactory(region=cycle.region, catalogue=Catalogue.objects.get(code="iid-2023"), state="draft")

    with pytest.raises(
        PortalError, match="hanya dapat dipindahkan ke tahap sesudahnya atau sebelumnya, tidak ke Final"
    ):
        cycles.cycle_transition(cycle=cycle, user=admin_user, to_state=CycleState.FINAL)
    with pytest.raises(PortalError, match=f"^{cycle.name} masih pada tahap Pengisian: pindahkan dahulu"):
        cycles.cycle_transition(cycle=older, user=admin_user, to_state=CycleState.OPEN)


def test_transition_from_a_stale_page_is_refused(client, admin_user, cycle):
    client.force_login(admin_user)
    seen = cycle.version
    cycles.cycle_transition(cycle=cycle, user=admin_user, to_state=CycleState.VERIFICATION)

    response = client.post(
        reverse("standards:cycle_transition", args=[cycle.pk]),
        {"to_state": "revision", "note": "", "version": seen},
    )

    assert (
        response.context["form"]
        .non_field_errors()[0]
        .startswith("Siklus ini baru saja diubah oleh orang lain.")
    )
    cycle.refresh_from_db()
    assert cycle.state == CycleState.VERIFICATION


def test_cycle_page_of_another_region_is_not_found(client, outsider_admin, cycle):
    client.force_login(outsider_admin)

    assert client.get(reverse("standards:cycle", args=[cycle.pk])).status_code == 404
    assert client.get(reverse("standards:cycle_transition", args=[cycle.pk])).status_code == 404


# Extensions


def test_extension_save_gives_one_opd_more_time_and_is_in_the_history(client, admin_user, cycle, opd_a):
    client.force_login(admin_user)
    until = cycle.filing_closes_on + datetime.timedelta(days=5)

    response = client.post(
        reverse("standards:extension_save", args=[cycle.pk]),
        {
            "ext-opd": opd_a.pk,
            "ext-kind": "filing",
            "ext-closes_on": until.isoformat(),
            "ext-reason": "Banjir",
        },
    )

    extension = DeadlineExtension.objects.get()
    assert response.status_code == 302
    assert (extension.opd, extension.kind, extension.closes_on, extension.granted_by) == (
        opd_a,
        DeadlineKind.FILING,
        until,
        admin_user,
    )
    newest = cycle_history(cycle)[0]
    assert (newest.what, newest.who) == ("Perpanjangan batas pengisian Dinas Kesehatan diberikan", admin_user)
    assert newest.changes == (("diperpanjang sampai", "", until.isoformat()), ("alasan", "", "Banjir"))


def test_extension_changed_and_withdrawn_keeps_old_and_new_values(client, admin_user, cycle, opd_a):
    first = cycle.filing_closes_on + datetime.timedelta(days=5)
    later = cycle.filing_closes_on + datetime.timedelta(days=9)
    cycles.extension_save(
        cycle=cycle, opd=opd_a, kind=DeadlineKind.FILING, closes_on=first, reason="Banjir", user=admin_user
    )
    extension = cycles.extension_save(
        cycle=cycle,
        opd=opd_a,
        kind=DeadlineKind.FILING,
        closes_on=later,
        reason="Banjir susulan",
        user=admin_user,
    )
    client.force_login(admin_user)

    client.post(reverse("standards:extension_remove", args=[cycle.pk, extension.pk]))

    assert not DeadlineExtension.objects.exists()
    removed, changed, _given, _created = cycle_history(cycle)
    assert removed.what == "Perpanjangan batas pengisian Dinas Kesehatan dicabut"
    assert changed.what == "Perpanjangan batas pengisian Dinas Kesehatan diubah"
    assert changed.changes == (
        ("diperpanjang sampai", first.isoformat(), later.isoformat()),
        ("alasan", "Banjir", "Banjir susulan"),
    )


def test_extension_form_refuses_a_date_that_gives_no_time_and_a_missing_reason(
    client, admin_user, cycle, opd_a
):
    client.force_login(admin_user)

    response = client.post(
        reverse("standards:extension_save", args=[cycle.pk]),
        {
            "ext-opd": opd_a.pk,
            "ext-kind": "filing",
            "ext-closes_on": cycle.filing_closes_on.isoformat(),
            "ext-reason": "",
        },
    )

    assert response.status_code == 200
    assert errors(response, "extension_form") == {
        "closes_on": [f"Perpanjangan harus setelah batas pengisian siklus, {day(cycle.filing_closes_on)}."],
        "reason": ["Tuliskan alasan perpanjangan."],
    }
    assert not DeadlineExtension.objects.exists()


def test_extension_form_refuses_filing_past_verification_and_revision_past_final(
    client, admin_user, cycle, opd_a
):
    client.force_login(admin_user)
    url = reverse("standards:extension_save", args=[cycle.pk])
    late = cycle.verification_closes_on + datetime.timedelta(days=1)

    filing = client.post(
        url, {"ext-opd": opd_a.pk, "ext-kind": "filing", "ext-closes_on": late, "ext-reason": "x"}
    )
    revision = client.post(
        url, {"ext-opd": opd_a.pk, "ext-kind": "revision", "ext-closes_on": cycle.final_on, "ext-reason": "x"}
    )

    assert errors(filing, "extension_form") == {
        "closes_on": [
            f"Perpanjangan batas pengisian paling lambat batas verifikasi, {day(cycle.verification_closes_on)}."
        ]
    }
    assert errors(revision, "extension_form") == {
        "closes_on": [f"Perpanjangan batas perbaikan harus sebelum tanggal final, {day(cycle.final_on)}."]
    }


def test_extension_for_an_opd_of_another_region_is_refused(client, admin_user, cycle, other_region):
    outsider = OpdFactory(region=other_region)
    client.force_login(admin_user)
    until = cycle.filing_closes_on + datetime.timedelta(days=5)

    response = client.post(
        reverse("standards:extension_save", args=[cycle.pk]),
        {"ext-opd": outsider.pk, "ext-kind": "filing", "ext-closes_on": until, "ext-reason": "x"},
    )

    assert errors(response, "extension_form") == {"opd": ["Pilih OPD dari wilayah siklus ini."]}
    with pytest.raises(PortalError, match=r"^OPD ini bukan OPD wilayah siklus ini\.$"):
        cycles.extension_save(
            cycle=cycle, opd=outsider, kind=DeadlineKind.FILING, closes_on=until, reason="x", user=admin_user
        )


# The menu


def test_admin_menu_points_to_the_cycles_and_no_other_role_sees_it(
    client, admin_user, operator_a, pimpinan, cycle
):
    link = f'href="{reverse("standards:cycles")}"'
    seen = {}
    for user in (admin_user, operator_a, pimpinan):
        client.force_login(user)
        seen[user.username] = link in client.get(reverse("accounts:notifications")).content.decode()

    assert seen == {"admin.bappeda": True, "operator.a": False, "bupati": False}


def test_cycle_list_shows_each_cycle_with_its_stage(client, admin_user, cycle):
    client.force_login(admin_user)

    response = client.get(reverse("standards:cycles"))

    assert list(response.context["cycles"]) == [cycle]
    assert "Pengisian" in response.content.decode()


# The database's own checks


@pytest.mark.parametrize(
    ("field", "days"),
    [("filing_closes_on", -61), ("verification_closes_on", 30), ("revision_closes_on", 60), ("final_on", 90)],
)
def test_cycle_dates_out_of_order_are_refused_by_the_database(cycle, field, days):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(pk=cycle.pk).update(**{field: days_from_today(days)})


def test_extension_needs_a_reason_and_is_one_per_opd_and_deadline(cycle, opd_a, admin_user):
    fields = {"cycle": cycle, "opd": opd_a, "kind": DeadlineKind.FILING, "granted_by": admin_user}
    until = cycle.filing_closes_on + datetime.timedelta(days=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineExtension.objects.create(**fields, closes_on=until, reason="")
    DeadlineExtension.objects.create(**fields, closes_on=until, reason="Banjir")
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineExtension.objects.create(**fields, closes_on=until, reason="Lagi")


# The migration


def test_migration_makes_the_closing_date_the_filing_deadline_and_starts_the_history(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    old = executor.migrate([("standards", "0003_catalogue_revision")]).apps
    region = old.get_model("accounts", "Region").objects.create(name="Uji", kind="kabupaten", code="99.01")
    catalogue = old.get_model("standards", "Catalogue").objects.get(code="iid-2026")
    old_cycle = old.get_model("standards", "Cycle").objects.create(
        region=region,
        catalogue=catalogue,
        name="IID 2026 — Uji",
        opens_on=datetime.date(2026, 1, 2),
        closes_on=datetime.date(2026, 8, 31),
        state="open",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    cycle = Cycle.objects.get(pk=old_cycle.pk)
    assert (
        cycle.opens_on,
        cycle.filing_closes_on,
        cycle.verification_closes_on,
        cycle.revision_closes_on,
        cycle.final_on,
        cycle.state,
    ) == (
        datetime.date(2026, 1, 2),
        datetime.date(2026, 8, 31),
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 14),
        datetime.date(2026, 10, 28),
        CycleState.OPEN,
    )
    (start,) = cycle_history(cycle)
    assert start.what == "Jadwal tahap ditambahkan: batas pengisian dari tanggal tutup siklus"
    assert start.when <= timezone.now()


# The stage on every role's home and the dashboard


HOMES = ["operator_a", "kepala_a", "verifikator", "admin_user", "juri", "pimpinan"]


def stage_panel(page):
    """The stages panel of a page: the current stage's badge and the stages with their dates."""
    start = page.index('data-testid="cycle-stages"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("persona", HOMES)
def test_every_home_shows_the_stage_with_its_dates(persona_client, persona, cycle, admin_user):
    client = persona_client(persona)

    before = stage_panel(client.get("/", follow=True).content.decode())
    cycles.cycle_transition(cycle=cycle, user=admin_user, to_state=CycleState.VERIFICATION)
    after = stage_panel(client.get("/", follow=True).content.decode())

    assert '<span class="badge text-bg-primary" data-testid="cycle-stage">Pengisian</span>' in before
    assert '<span class="badge text-bg-primary" data-testid="cycle-stage">Verifikasi</span>' in after
    assert f"Tahap ini berakhir {day(cycle.filing_closes_on)}, 30 hari lagi." in before
    assert f"Tahap ini berakhir {day(cycle.verification_closes_on)}, 60 hari lagi." in after
    for label, start, end in [
        ("Pengisian", cycle.opens_on, cycle.filing_closes_on),
        ("Verifikasi", cycle.filing_closes_on + datetime.timedelta(days=1), cycle.verification_closes_on),
        ("Perbaikan", cycle.verification_closes_on + datetime.timedelta(days=1), cycle.revision_closes_on),
    ]:
        assert (
            f'<span class="fw-semibold">{label}</span>\n        <span class="small text-body-secondary">'
            f"{date_format(start, 'j M Y')} – {date_format(end, 'j M Y')}"
        ) in before
    assert 'aria-current="step"' in after


def test_dashboard_shows_the_stage_moved_at_once_though_its_body_is_cached(
    client, pimpinan, cycle, admin_user
):
    client.force_login(pimpinan)
    client.get(reverse("reports:dashboard"))  # the body is cached now

    cycles.cycle_transition(cycle=cycle, user=admin_user, to_state=CycleState.VERIFICATION)
    response = client.get(reverse("reports:dashboard"))

    assert response.context["stages"].current_label == "Verifikasi"
    assert 'data-testid="cycle-stage">Verifikasi</span>' in response.content.decode()


def test_home_in_persiapan_says_when_filing_opens(client, operator_a, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.DRAFT, opens_on=days_from_today(5))
    client.force_login(operator_a)

    page = stage_panel(client.get("/", follow=True).content.decode())

    assert f"Pengisian dibuka {day(days_from_today(5))}, 5 hari lagi." in page
    assert "masih dalam tahap Persiapan: pengisian belum dibuka." in page


# The demo's cycles


def test_demo_cycle_is_in_pengisian_with_its_stages_and_a_stale_demo_keeps_filing_open():
    from innovasi.accounts import demo as accounts_demo
    from innovasi.standards import demo as standards_demo

    context = {"stdout": io.StringIO()}
    accounts_demo.seed(context)
    standards_demo.seed(context)
    cycle, dinkes, dispendik = context["cycle"], context["opds"]["Dinkes"], context["opds"]["Dispendik"]
    records = cycle.history.count()

    standards_demo.seed(context)  # seeding again changes nothing

    assert cycle.history.count() == records
    assert (cycle.state, cycle.filing_closes_on, cycle.final_on) == (
        CycleState.OPEN,
        days_from_today(30),
        days_from_today(88),
    )
    (extension,) = DeadlineExtension.objects.filter(cycle=cycle)
    assert (extension.opd, extension.closes_on) == (dispendik, days_from_today(37))

    # A demo seeded long ago: its deadlines passed. Seeding moves them on, in the cycle's history.
    Cycle.objects.filter(pk=cycle.pk).update(
        filing_closes_on=days_from_today(-3),
        verification_closes_on=days_from_today(-2),
        revision_closes_on=days_from_today(-1),
        final_on=days_from_today(0),
    )
    DeadlineExtension.objects.filter(pk=extension.pk).update(closes_on=days_from_today(-1))
    standards_demo.seed(context)

    cycle.refresh_from_db()
    extension.refresh_from_db()
    assert (cycle.filing_closes_on, extension.closes_on) == (days_from_today(30), days_from_today(37))
    # (The extension's re-save is no change to its history here: its first record was made today too.)
    assert [entry.what for entry in cycle_history(cycle)] == [
        "Demo: jadwal digeser agar pengisian tetap terbuka",
        "Perpanjangan batas pengisian Dinas Pendidikan diberikan",
        "Siklus dibuat",
    ]
    assert deadline_window(cycle=cycle, opd_id=dinkes.pk, kind=DeadlineKind.FILING).is_open

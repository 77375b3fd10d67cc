"""``seed_demo --province``: the Province of East Java with its 38 kabupaten/kota by their codes, Mojokerto the
full demo and the others synthetic (uneven, some still filing), the province's logins; idempotent, and
``seed_demo`` without the flag still as before. Seeded once for the module (as tests/test_demo.py does)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from innovasi.accounts.enums import RegionKind, Role
from innovasi.accounts.models import Opd, Region, User
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Cycle
from reports.selectors import ranking as ranking_selectors
from scoring.enums import SnapshotKind
from scoring.models import AwardScheme, IndexSnapshot, JuryMember, Nomination, Verification
from submissions.models import Innovation

from .conftest import as_each_test_runs

pytestmark = pytest.mark.django_db

# Kemendagri/BPS codes: 29 kabupaten 35.01–35.29, 9 kota 35.71–35.79.
SOME = {
    "35.01": "Kabupaten Pacitan",
    "35.10": "Kabupaten Banyuwangi",
    "35.16": "Kabupaten Mojokerto",
    "35.29": "Kabupaten Sumenep",
    "35.71": "Kota Kediri",
    "35.76": "Kota Mojokerto",
    "35.78": "Kota Surabaya",
    "35.79": "Kota Batu",
}


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), as_each_test_runs():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", "--province", verbosity=0, stdout=io.StringIO())
            yield Region.objects.get(code="35")
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _counts():
    return (
        Region.objects.count(),
        Opd.objects.count(),
        User.objects.count(),
        Cycle.objects.count(),
        Innovation.objects.count(),
        Verification.objects.count(),
        IndexSnapshot.objects.count(),
        Nomination.objects.count(),
        Region.history.count(),
    )


def test_the_province_holds_its_38_regencies_and_cities_by_their_codes(province):
    below = Region.objects.filter(parent=province)

    assert (province.name, province.kind, province.parent) == (
        "Provinsi Jawa Timur",
        RegionKind.PROVINSI,
        None,
    )
    assert below.filter(kind=RegionKind.KABUPATEN).count() == 29
    assert below.filter(kind=RegionKind.KOTA).count() == 9
    codes = sorted(below.values_list("code", flat=True))
    assert codes == [f"35.{n:02d}" for n in range(1, 30)] + [f"35.{n}" for n in range(71, 80)]
    assert {code: below.get(code=code).name for code in SOME} == SOME


def test_mojokerto_is_the_full_demo_and_the_others_are_synthetic_but_uneven(province):
    mojokerto = Region.objects.get(code="35.16")
    cycles = Cycle.objects.filter(region__parent=province, catalogue__code="iid-2026")
    sizes = sorted(Innovation.objects.filter(cycle=cycle).count() for cycle in cycles)

    assert mojokerto.parent == province
    assert Innovation.objects.filter(cycle__region=mojokerto, cycle__catalogue__code="iid-2026").count() == 63
    assert len(sizes) == 38
    assert sizes[0] >= 2
    assert sizes[-1] >= 10 * sizes[0]  # log-normally uneven: a few file many, some a handful
    assert cycles.filter(state=CycleState.OPEN).count() >= 8  # some still filing
    assert Verification.objects.filter(claim__innovation__cycle__region__parent=province).exists()
    for cycle in cycles:
        assert IndexSnapshot.objects.filter(cycle=cycle, kind=SnapshotKind.VERIFIED).exists(), cycle
    # The province is a pemda of its own: OPDs and a cycle with innovations.
    assert Opd.objects.filter(region=province).count() == 15
    assert Innovation.objects.filter(cycle__region=province).count() == 14


def test_the_province_logins(province):
    for username, role in [
        ("admin.jatim", Role.ADMIN),
        ("gubernur", Role.PIMPINAN),
        ("juri.prov1", Role.JURI),
        ("juri.prov2", Role.JURI),
        ("juri.prov3", Role.JURI),
    ]:
        user = User.objects.get(username=username)
        assert (user.region, user.role, user.check_password("inovasi-demo")) == (province, role, True)


def test_the_governor_compares_the_38_regions_and_mojokerto_sees_its_rank(client, province):
    client.force_login(User.objects.get(username="gubernur"))
    page = client.get(reverse("reports:ranking")).content.decode()
    client.force_login(User.objects.get(username="bupati"))
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    mojokerto = Region.objects.get(code="35.16")
    neighbours = ranking_selectors.neighbours(
        region=mojokerto, catalogue=mojokerto.cycles.get(catalogue__code="iid-2026").catalogue
    )
    own = next(item for item in neighbours if item.is_self)

    assert page.count('data-testid="ranking-row"') == 38
    assert len(neighbours) == 29
    assert f"Wilayah Anda di peringkat <strong>{own.rank}</strong> dari 29 kabupaten." in dashboard


def test_an_inotek_round_runs_with_entries_from_several_regencies(client, province):
    """The province's Inotek Award open to its regencies: entries from several, Mojokerto's among them,
    which its admin sees (only its own); the province's jurors seated, their conflicts declared."""
    scheme = AwardScheme.objects.get(cycle__region=province, open_to_regions_below=True)
    entering = set(
        Nomination.objects.filter(scheme=scheme).values_list("innovation__opd__region__code", flat=True)
    )
    seats = JuryMember.objects.filter(category__scheme=scheme)
    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("scoring:entry_scheme", args=[scheme.pk])).content.decode()

    assert len(entering) >= 5
    assert "35.16" in entering
    assert {seat.juror.username for seat in seats} == {"juri.prov1", "juri.prov2", "juri.prov3"}
    assert all(seat.declared_at for seat in seats)
    assert User.objects.get(username="juri.prov1").affiliation
    assert (
        page.count("<tr>") - 1
        == Nomination.objects.filter(scheme=scheme, innovation__opd__region__code="35.16").count()
    )


def test_seed_demo_province_twice_and_seed_demo_after_it_change_nothing(province):
    before = _counts()

    call_command("seed_demo", "--province", verbosity=0, stdout=io.StringIO())
    again = _counts()
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())

    assert again == before
    assert _counts() == before
    assert Region.objects.get(code="35.16").parent == province

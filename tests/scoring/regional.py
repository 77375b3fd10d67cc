"""A province with two regencies under it, each with verified innovations, for the tests of a province's
scheme open to the regions below (tests/scoring/test_regional_awards.py, tests/browser/)."""

import pytest

from innovasi.accounts.enums import OpdKind, RegionKind, Role
from scoring.services import verification
from submissions import services as submission_services
from submissions.models import Innovation

from ..factories import CycleFactory, OpdFactory, RegionFactory, UserFactory, innovation_create
from ..submissions.conftest import MANDATORY, complete_profile, fill
from .conftest import judge_all


def verified_innovations(region, names):
    """Innovations of ``region`` verified through the services, in a cycle of its own."""
    cycle = CycleFactory(region=region)
    opd = OpdFactory(region=region, name=f"Dinas Kominfo {region.code}")
    bappeda = OpdFactory(region=region, name=f"Bappeda {region.code}", kind=OpdKind.BADAN)
    operator = UserFactory(region=region, role=Role.OPERATOR, opd=opd)
    verifikator = UserFactory(region=region, role=Role.VERIFIKATOR, opd=bappeda)
    admin = UserFactory(region=region, role=Role.ADMIN, opd=bappeda)
    made = []
    for name in names:
        innovation = innovation_create(cycle, opd, operator, name=name, **complete_profile())
        fill(innovation, operator, dict.fromkeys(MANDATORY, 2))
        submission_services.innovation_transition(innovation=innovation, user=operator, to_state="diajukan")
        verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin)
        judge_all(innovation, verifikator)
        verification.verification_finish(innovation=innovation, user=verifikator, action="verify")
        made.append(Innovation.objects.select_related("opd", "cycle").get(pk=innovation.pk))
    return admin, made


@pytest.fixture
def province(region, other_region):
    province = RegionFactory(name="Provinsi Jawa Uji", kind=RegionKind.PROVINSI, code="35")
    for regency in (region, other_region):
        regency.parent = province
        regency.save(update_fields=["parent"])
    province.signatory_name, province.signatory_title = "Dr. Contoh Gubernur", "Gubernur Jawa Uji"
    province.letterhead_government = "PEMERINTAH PROVINSI JAWA UJI"
    province.save(update_fields=["signatory_name", "signatory_title", "letterhead_government"])
    return province


@pytest.fixture
def province_admin(province):
    return UserFactory(username="admin.jatim", region=province, role=Role.ADMIN, opd=None)


@pytest.fixture
def entrants(verified_cycle, admin_user, other_region):
    """Kabupaten Uji's three verified innovations and its admin; Kota Lain's two and its admin."""
    own = list(Innovation.objects.filter(cycle=verified_cycle).select_related("opd", "cycle").order_by("pk"))
    other_admin, other = verified_innovations(other_region, ["Pasar Daring", "Sampah Jadi Emas"])
    return {"admin": admin_user, "own": own, "other_admin": other_admin, "other": other}


def provincial_juror(province, username="juri.prov1"):
    return UserFactory(
        username=username, region=province, role=Role.JURI, opd=None, affiliation="Universitas Airlangga"
    )

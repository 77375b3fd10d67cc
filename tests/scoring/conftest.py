import pytest

from innovasi.accounts.enums import Role
from scoring.services import verification
from submissions import services as submission_services
from submissions.enums import InnovationState

from ..factories import OpdFactory, UserFactory
from ..submissions.conftest import draft, fill, ready  # noqa: F401  (fixtures shared with the submissions tests)


@pytest.fixture
def submitted(ready, operator_a):  # noqa: F811
    submission_services.innovation_transition(
        innovation=ready, user=operator_a, to_state=InnovationState.DIAJUKAN
    )
    ready.refresh_from_db()
    return ready


@pytest.fixture
def assigned(submitted, verifikator, admin_user):
    verification.assignment_set(innovation=submitted, verifikator=verifikator, by=admin_user)
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def verifikator2(bappeda):
    return UserFactory(username="verifikator2", region=bappeda.region, role=Role.VERIFIKATOR, opd=bappeda)


@pytest.fixture
def admin2(region):
    return UserFactory(
        username="admin2", region=region, role=Role.ADMIN, opd=OpdFactory(region=region), is_staff=True
    )


def judge_all(innovation, user, verdict="sesuai", **overrides):
    """Give every claimed row of ``innovation`` the same verdict (``overrides``: code -> kwargs)."""
    for claim in innovation.claims.filter(level__gt=0).select_related("indicator"):
        arguments = {"verdict": verdict, "level": claim.level, "reason": "", "opd_note": "", "version": None}
        arguments.update(overrides.get(claim.indicator.code, {}))
        verification.verdict_save(claim=claim, user=user, **arguments)

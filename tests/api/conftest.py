import pytest

from api import services as api_services
from scoring.services import index, verification
from submissions import services as submission_services
from submissions.enums import InnovationState

from ..factories import innovation_create
from ..reports.conftest import verified_cycle  # noqa: F401
from ..scoring.conftest import judge_all
from ..submissions.conftest import MANDATORY, complete_profile, fill


def bearer(user, name="Uji"):
    """The test client's keyword arguments that send a new token of ``user``."""
    _token, raw = api_services.token_create(user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def submit(innovation, operator, verifikator, admin):
    fill(innovation, operator, dict.fromkeys(MANDATORY, 2))
    submission_services.innovation_transition(
        innovation=innovation, user=operator, to_state=InnovationState.DIAJUKAN
    )
    verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin)
    return innovation


def verify(innovation, verifikator):
    judge_all(innovation, verifikator)
    verification.verification_finish(innovation=innovation, user=verifikator, action="verify")
    innovation.refresh_from_db()
    return innovation


@pytest.fixture
def api_cycle(cycle, opd_a, opd_b, operator_a, operator_b, verifikator, admin_user):
    """A cycle with a draft and a submitted innovation of OPD A, a verified (and published) one of OPD B,
    and its snapshots."""
    innovation_create(cycle, opd_a, operator_a, name="Draf Posyandu", **complete_profile())
    submit(
        innovation_create(cycle, opd_a, operator_a, name="Ambulans Desa", **complete_profile()),
        operator_a,
        verifikator,
        admin_user,
    )
    verified = submit(
        innovation_create(cycle, opd_b, operator_b, name="Sekolah Literasi", **complete_profile()),
        operator_b,
        verifikator,
        admin_user,
    )
    verify(verified, verifikator)
    submission_services.innovation_publish(innovation=verified, user=admin_user, published=True)
    index.cycle_recompute(cycle_id=cycle.pk)
    return cycle

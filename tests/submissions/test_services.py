"""The services: profile and claim saves with their version check, evidence, the state machine, copying
and the history."""

import pytest

from innovasi.errors import PortalError
from innovasi.standards.models import Catalogue, Urusan
from submissions import selectors, services, signals
from submissions.enums import InnovationState
from submissions.models import Innovation

from ..factories import CycleFactory, innovation_create
from .conftest import MANDATORY, fill, pdf_upload

pytestmark = pytest.mark.django_db


def test_profile_save_counts_words_and_sanitises(draft, operator_a):
    services.innovation_update_profile(
        innovation=draft,
        user=operator_a,
        data={"rancang_bangun": "<p>Satu <b>dua</b> tiga</p><script>x</script>", "tujuan": "Baris satu"},
        version=draft.version,
    )

    draft.refresh_from_db()
    assert (draft.rancang_bangun, draft.rancang_bangun_words) == ("<p>Satu <b>dua</b> tiga</p>", 3)
    assert draft.tujuan == "<p>Baris satu</p>"
    assert draft.version == 2


def test_profile_second_save_with_old_version_is_refused_and_changes_nothing(draft, operator_a, operator_b):
    seen = draft.version
    services.innovation_update_profile(
        innovation=draft, user=operator_a, data={"name": "Versi A"}, version=seen
    )

    with pytest.raises(services.VersionConflict) as error:
        services.innovation_update_profile(
            innovation=draft, user=operator_a, data={"name": "Versi B"}, version=seen
        )

    draft.refresh_from_db()
    assert draft.name == "Versi A"
    assert error.value.message.startswith("Profil inovasi ini baru saja disimpan oleh orang lain.")


def test_claim_second_save_with_old_version_is_refused(draft, operator_a):
    claim = draft.claims.select_related("indicator").get(indicator__code="SID-16")
    services.claim_update(claim=claim, user=operator_a, level=2, basis="", note="", version=1)

    with pytest.raises(services.VersionConflict):
        services.claim_update(claim=claim, user=operator_a, level=3, basis="", note="", version=1)

    claim.refresh_from_db()
    assert (claim.level, claim.version) == (2, 2)


def test_claim_indicator_33_needs_a_basis_before_a_level(draft, operator_a):
    claim = draft.claims.select_related("indicator").get(indicator__code="SID-33")

    with pytest.raises(PortalError, match="Pilih dasar pengukuran"):
        services.claim_update(claim=claim, user=operator_a, level=2, basis="", note="", version=None)


def test_claim_change_announces_level_and_evidence(draft, operator_a):
    heard = []

    def receiver(claim, what, **kwargs):
        heard.append((claim.indicator.code, what))

    signals.claim_changed.connect(receiver)
    try:
        fill(draft, operator_a, {"SID-16": 2})
    finally:
        signals.claim_changed.disconnect(receiver)

    assert heard == [("SID-16", "level"), ("SID-16", "evidence")]


def test_submit_incomplete_lists_every_problem_and_changes_nothing(draft, operator_a):
    with pytest.raises(PortalError) as error:
        services.innovation_transition(innovation=draft, user=operator_a, to_state=InnovationState.DIAJUKAN)

    draft.refresh_from_db()
    assert draft.state == InnovationState.DRAFT
    assert error.value.problems[0].startswith("Lengkapi profil: tahapan, inisiator, nama inisiator,")
    assert error.value.problems[1] == "Rancang bangun baru 0 kata; paling sedikit 300 kata."
    assert error.value.problems[2:] == [
        f"Indikator wajib {code} belum dipilih tingkatnya." for code in MANDATORY
    ]


def test_submit_with_mandatory_row_without_evidence_is_refused(ready, operator_a):
    evidence = ready.claims.get(indicator__code="SID-32").evidence.get()
    services.evidence_remove(evidence=evidence, user=operator_a)

    with pytest.raises(PortalError) as error:
        services.innovation_transition(innovation=ready, user=operator_a, to_state=InnovationState.DIAJUKAN)

    assert error.value.problems == ["Indikator wajib SID-32 belum ada buktinya."]


def test_submit_complete_locks_the_innovation(ready, operator_a):
    services.innovation_transition(innovation=ready, user=operator_a, to_state=InnovationState.DIAJUKAN)

    ready.refresh_from_db()
    assert ready.state == InnovationState.DIAJUKAN
    assert ready.submitted_at is not None
    with pytest.raises(services.NotEditable):
        services.innovation_update_profile(
            innovation=ready, user=operator_a, data={"name": "x"}, version=None
        )
    with pytest.raises(services.NotEditable):
        services.evidence_add(claim=ready.claims.first(), user=operator_a, uploaded=pdf_upload())


@pytest.mark.parametrize(
    ("start", "target", "actor", "allowed"),
    [
        (InnovationState.DRAFT, InnovationState.DIAJUKAN, "opd", True),
        (InnovationState.DRAFT, InnovationState.TERVERIFIKASI, "opd", False),
        (InnovationState.DRAFT, InnovationState.REVISI, "verifier", False),
        (InnovationState.DIAJUKAN, InnovationState.REVISI, "verifier", True),
        (InnovationState.DIAJUKAN, InnovationState.REVISI, "opd", False),
        (InnovationState.DIAJUKAN, InnovationState.TERVERIFIKASI, "verifier", True),
        (InnovationState.DIAJUKAN, InnovationState.DRAFT, "opd", False),
        (InnovationState.REVISI, InnovationState.DIAJUKAN, "opd", True),
        (InnovationState.REVISI, InnovationState.TERVERIFIKASI, "verifier", False),
        (InnovationState.TERVERIFIKASI, InnovationState.REVISI, "verifier", False),
        (InnovationState.TERVERIFIKASI, InnovationState.DIAJUKAN, "opd", False),
    ],
)
def test_state_machine_allows_only_its_transitions(ready, operator_a, start, target, actor, allowed):
    Innovation.objects.filter(pk=ready.pk).update(state=start)
    ready.refresh_from_db()

    if allowed:
        services.innovation_transition(innovation=ready, user=operator_a, to_state=target, actor=actor)
    else:
        with pytest.raises(PortalError, match="tidak dapat diubah menjadi"):
            services.innovation_transition(innovation=ready, user=operator_a, to_state=target, actor=actor)

    ready.refresh_from_db()
    assert ready.state == (target if allowed else start)


def test_history_records_who_changed_what(ready, operator_a):
    services.innovation_transition(innovation=ready, user=operator_a, to_state=InnovationState.DIAJUKAN)

    history = selectors.innovation_history(ready)

    assert history[0].what == "Status: Draf → Diajukan"
    assert history[0].changes == ()  # the reason says it all
    assert history[0].who == operator_a
    whats = [entry.what for entry in history]
    assert "Indikator SID-16 diubah" in whats
    assert "Bukti SID-16 ditambahkan: bukti.pdf" in whats
    assert whats[-1] == "Inovasi dibuat"
    level_change = next(entry for entry in history if entry.what == "Indikator SID-16 diubah")
    assert level_change.changes == (("tingkat", "0", "2"),)


def test_history_records_a_change_of_urusan_lain_alone_and_with_other_fields(draft, operator_a):
    sosial, pendidikan = Urusan.objects.get(code="sosial"), Urusan.objects.get(code="pendidikan")
    services.innovation_update_profile(
        innovation=draft, user=operator_a, data={"urusan_lain": [sosial]}, version=draft.version
    )
    draft.refresh_from_db()
    services.innovation_update_profile(
        innovation=draft,
        user=operator_a,
        data={"name": "Posyandu Pintar", "urusan_lain": [sosial, pendidikan]},
        version=draft.version,
    )

    newest, previous = selectors.innovation_history(draft)[:2]

    assert previous.what == "Urusan lain: — → Sosial"
    assert newest.what == "Urusan lain: Sosial → Pendidikan, Sosial"
    assert ("nama inovasi", "Posyandu Digital", "Posyandu Pintar") in newest.changes


def test_copy_brings_profile_and_levels_but_not_evidence(ready, operator_a, region):
    old_cycle = ready.cycle
    old_cycle.catalogue = Catalogue.objects.get(code="iid-2023")
    old_cycle.save()
    new_cycle = CycleFactory(region=region)

    copy = services.innovation_copy(
        source=ready, cycle=new_cycle, user=operator_a, change_note="Diperluas ke desa"
    )

    assert (copy.name, copy.rancang_bangun_words, copy.copied_from, copy.state) == (
        ready.name,
        320,
        ready,
        InnovationState.DRAFT,
    )
    levels = dict(copy.claims.filter(level__gt=0).values_list("indicator__code", "level"))
    assert levels == dict.fromkeys(MANDATORY, 2)
    assert not copy.claims.filter(evidence__isnull=False).exists()


def test_copy_requires_a_change_note(ready, operator_a, cycle):
    with pytest.raises(PortalError, match="Jelaskan apa yang berubah"):
        services.innovation_copy(source=ready, cycle=cycle, user=operator_a, change_note="  ")


def test_other_opd_innovation_is_not_visible(draft, operator_b, verifikator):
    assert not selectors.visible(operator_b).filter(pk=draft.pk).exists()
    assert not selectors.visible(verifikator).filter(pk=draft.pk).exists()  # drafts stay with the OPD


def test_innovation_create_in_another_cycle_keeps_catalogue_indicators(region, opd_a, operator_a):
    cycle_2023 = CycleFactory(region=region, catalogue=Catalogue.objects.get(code="iid-2023"))

    innovation = innovation_create(cycle_2023, opd_a, operator_a)

    assert set(innovation.claims.values_list("indicator__catalogue__code", flat=True)) == {"iid-2023"}


def test_innovations_of_a_closed_cycle_cannot_change(draft, operator_a):
    draft.cycle.state = "final"
    draft.cycle.save()

    with pytest.raises(services.NotEditable, match="berstatus Final: inovasinya tidak dapat diubah"):
        services.innovation_update_profile(
            innovation=draft, user=operator_a, data={"name": "x"}, version=None
        )


@pytest.mark.parametrize("cycle_state", ["draft", "final"])
def test_innovation_of_a_cycle_not_running_cannot_be_submitted(ready, operator_a, cycle_state):
    ready.cycle.state = cycle_state
    ready.cycle.save()

    with pytest.raises(services.NotEditable, match="inovasinya tidak dapat diubah"):
        services.innovation_transition(innovation=ready, user=operator_a, to_state=InnovationState.DIAJUKAN)

    ready.refresh_from_db()
    assert ready.state == InnovationState.DRAFT

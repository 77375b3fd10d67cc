"""Reads of the scoring app: the engine's inputs built from the database, in one place.

``catalogue_rules`` turns a catalogue into the engine's Rules; ``innovation_input`` turns an innovation
and its claims into the engine's InnovationInput, either as the OPD claims it (a row counts when it
has a level and evidence) or, later, as verified.
"""

from innovasi.standards.enums import UrusanGroup
from innovasi.standards.models import Catalogue, Urusan

from .engine import InnovationInput, Row, Rules


def catalogue_rules(catalogue: Catalogue) -> Rules:
    """The engine's Rules for a catalogue (its indicators in order, its rules, the yandas affairs)."""
    indicators = catalogue.indicators.order_by("position").values("code", "group", "weight", "mandatory")
    yandas = Urusan.objects.filter(group=UrusanGroup.WAJIB_YANDAS).values_list("code", flat=True)
    return Rules.from_catalogue(
        code=catalogue.code, rules=catalogue.rules, indicators=indicators, yandas=yandas
    )


def innovation_input(innovation, claims) -> InnovationInput:
    """The innovation as claimed by its OPD; ``claims`` come with their indicator and evidence loaded."""
    return InnovationInput(
        ref=str(innovation.pk),
        tahapan=innovation.tahapan,
        penerapan=innovation.waktu_penerapan,
        pengembangan=innovation.waktu_pengembangan,
        urusan_utama=innovation.urusan_utama.code if innovation.urusan_utama_id else None,
        rancang_bangun_words=innovation.rancang_bangun_words,
        rows=tuple(
            Row(
                code=claim.indicator.code,
                level=claim.level,
                counts=bool(claim.evidence.all()),
                basis=claim.basis or None,
            )
            for claim in claims
        ),
        group=str(innovation.opd_id),
    )

"""Reads of the scoring app, one module per subject: ``index`` (the engine's inputs, the verification
queue and rows, snapshots, next actions) and ``awards`` (schemes, jury sheets, progress).

The names most callers use are re-exported here, so ``scoring.selectors.snapshot_newest`` keeps working.
"""

from .index import (
    ActionView,
    actions_described,
    catalogue_rules,
    contributions_named,
    innovation_for_verification,
    innovation_input,
    queue,
    score_state,
    snapshot_changes,
    snapshot_history,
    snapshot_newest,
    spd_rows,
    unassigned,
    verification_rows,
    yandas_coverage,
)

__all__ = [
    "ActionView",
    "actions_described",
    "catalogue_rules",
    "contributions_named",
    "innovation_for_verification",
    "innovation_input",
    "queue",
    "score_state",
    "snapshot_changes",
    "snapshot_history",
    "snapshot_newest",
    "spd_rows",
    "unassigned",
    "verification_rows",
    "yandas_coverage",
]

"""The scoring app's models, one module per subject."""

from .awards import (
    AwardCategory,
    AwardResult,
    AwardScheme,
    ConflictRecord,
    Criterion,
    JuryExclusion,
    JuryMember,
    JuryScore,
    Nomination,
)
from .index import CycleScoreState, IndexSnapshot
from .verification import Assignment, SpdEntry, SpdEvidence, Verification

__all__ = [
    "Assignment",
    "AwardCategory",
    "AwardResult",
    "AwardScheme",
    "ConflictRecord",
    "Criterion",
    "CycleScoreState",
    "IndexSnapshot",
    "JuryExclusion",
    "JuryMember",
    "JuryScore",
    "Nomination",
    "SpdEntry",
    "SpdEvidence",
    "Verification",
]

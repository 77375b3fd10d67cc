"""Row scoring, the one place it is defined: a row scores weight × level, and 0 when it is not filled
or its evidence is missing or not accepted.

Pure Python with no Django import, so that ``scoring.engine`` (which must stay free of Django) uses
this same rule.
"""

from decimal import Decimal

LEVELS = (1, 2, 3)


def row_score(weight: Decimal, level: int, counts: bool) -> Decimal:
    """The score of one indicator row; ``counts`` says whether its evidence is present and accepted."""
    if not counts or level <= 0:
        return Decimal(0)
    return weight * level

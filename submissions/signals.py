"""What the submissions app announces, so that apps above it (scoring) react without being imported here.

- ``scores_changed(cycle_id)``: something that can move a number changed in that cycle.
- ``claim_changed(claim, what)``: the OPD changed a claim's level/basis (``what="level"``) or its
  evidence (``what="evidence"``); a verdict on it no longer holds.
- ``innovation_state_changed(innovation, old, new, by, note)``: a workflow transition happened.

All are sent inside the service's transaction; receivers defer side effects with ``on_commit``.
"""

from django.dispatch import Signal

scores_changed = Signal()
claim_changed = Signal()
innovation_state_changed = Signal()

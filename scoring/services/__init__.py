"""Writes of the scoring app, one module per subject: ``verification`` (assignments, verdicts),
``spd`` (the region's own rows) and ``index`` (recomputing the snapshots)."""

"""Reads of the scoring app, one module per subject: ``inputs`` (database rows into the engine's inputs),
``verification`` (the queue, the rows of an innovation, the SPD rows), ``index`` (snapshots, what changed,
next actions) and ``awards`` (schemes, jury sheets, rankings, progress)."""

"""The scoring app's views, one module per subject: ``verification`` (queue, assignments, verdicts, SPD,
index) and ``awards`` (schemes, nominations, jury sheets, results)."""

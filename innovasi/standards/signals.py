"""What the standards app announces, so that apps above it (scoring) react without being imported here.

- ``catalogue_changed(catalogue_id)``: a catalogue's rules, indicators or options were loaded or edited,
  or an urusan (whose group decides the yandas coverage of every catalogue); every number computed on
  it may move.

Sent inside the transaction that made the change; receivers defer side effects with ``on_commit``.
"""

from django.dispatch import Signal

catalogue_changed = Signal()

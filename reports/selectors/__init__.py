"""Reads of the reports app, one module per subject: ``documents`` (what each PDF and export shows),
``dashboard`` (the Bupati's dashboard and the monitoring of OPDs) and ``gallery`` (the public pages)."""

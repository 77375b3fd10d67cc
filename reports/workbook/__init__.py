"""The cycle workbook: one format per catalogue, both ways.

``format`` owns the format (sheets, columns, headers, validation lists); ``writer`` writes it (the empty
template and the filled export), ``reader`` and ``archive`` read an uploaded workbook and its ZIP of
evidence, ``plan`` checks every cell against the portal's rules and works out what an import would do,
``services`` writes it (all of it or nothing) and keeps an upload between its preview and its import,
``export`` reads a cycle into the format. docs/workbook.md describes the format for a Bappeda.

Why here, in the reports app: the workbook carries the SPD rows, the verdicts and the eligibility, which
are the scoring app's, and the import writes innovations, claims and evidence (submissions) and SPD rows
(scoring). Only the top layer may use both; the export is a generated document like the others
(``GeneratedReport``), and its upload waits for its confirmation like one.
"""

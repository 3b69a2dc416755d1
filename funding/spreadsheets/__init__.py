"""Funding's .xlsx exports (``core.spreadsheets.Exporter``), one module per document:

- ``plan``: the funding plan (budget, equipment list, performance table);
- ``settlements``: a settlement statement (summary, candidates, payments).
"""

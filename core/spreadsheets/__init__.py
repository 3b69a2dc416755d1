"""The spreadsheet framework (openpyxl): one importer base and one exporter base.

- ``importer``: ``Column``, ``Importer`` (declared columns, a whole-file pass, one bulk write) and
  ``ImportReport``; ``importer_workbooks``: the blank template and the error list it hands out;
- ``exporter``: ``Exporter`` (``iterate_rows()`` or ``sheets()``) into a write-only workbook, and
  ``QueryExporter`` (a row per object of a query);
- ``cells``: the cell parsers a column declares and ``CellError``;
- ``files``: the checks on an uploaded file before openpyxl reads it (``FileRefusedError``);
- ``workbook``: shared styles, the batch size and ``safe_cell`` (no formula injection).

Apps import from here: ``from core.spreadsheets import Column, Importer``.
"""

from .cells import (
    CellError,
    choice_parser,
    normalise_name,
    normalise_text,
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_int,
    parse_name,
    parse_text,
)
from .exporter import Exporter, ExportSheet, QueryExporter
from .files import FileRefusedError, check_xlsx
from .importer import Column, Importer, ImportReport, ParsedRow, RowError
from .workbook import BATCH_SIZE, safe_cell

__all__ = [
    "BATCH_SIZE",
    "CellError",
    "Column",
    "ExportSheet",
    "Exporter",
    "FileRefusedError",
    "ImportReport",
    "Importer",
    "ParsedRow",
    "QueryExporter",
    "RowError",
    "check_xlsx",
    "choice_parser",
    "normalise_name",
    "normalise_text",
    "parse_bool",
    "parse_code",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_name",
    "parse_text",
    "safe_cell",
]

"""What every workbook the framework writes shares: styles, the batch size, formula-safe cells."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from openpyxl.styles import Font, PatternFill

BATCH_SIZE = 1000  # rows resolved per query by an importer; rows between progress reports of an export
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
REQUIRED_FONT = Font(bold=True, color="C00000")
BOLD = Font(bold=True)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def example_value(value: Any) -> Any:
    """An example or guide cell: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def display_value(value: Any) -> Any:
    """A cell's content as the error list shows it: dates and times as ISO text."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value

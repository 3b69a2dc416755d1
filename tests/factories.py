"""Spreadsheet builders for tests."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook


def xlsx(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, merge: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

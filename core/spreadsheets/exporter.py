"""The exporter base: rows from ``iterate_rows()`` (or several ``sheets()``) into a write-only workbook."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from .workbook import BATCH_SIZE, BOLD, HEADER_FILL, safe_cell


@dataclass
class ExportSheet:
    """One sheet of an export: its title, header row, column widths and data rows."""

    title: Any
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()
    count: int | None = None  # rows to expect, for the progress bar


class Exporter:
    """Declare ``headers`` and ``iterate_rows()``; ``render`` writes a write-only workbook.

    An export of several tables (a plan's budget, procurement and targets) overrides ``sheets()``
    instead; each sheet is written the same way, in order.
    """

    title: ClassVar[Any] = gettext_lazy("导出")
    filename: ClassVar[str] = "export.xlsx"
    headers: ClassVar[Sequence[Any]] = ()
    widths: ClassVar[Sequence[int]] = ()

    def __init__(self, **params: Any) -> None:
        self.params = params

    def iterate_rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def list_filters(self) -> dict[str, Any]:
        """The params less the job's ``owner_id``: the filters of the list the export was asked from."""
        return {key: value for key, value in self.params.items() if key != "owner_id"}

    def count(self) -> int | None:
        """How many rows to expect, for the progress bar (None when unknown)."""
        return None

    def sheets(self) -> Iterable[ExportSheet]:
        yield ExportSheet(
            title=self.title, headers=self.headers, widths=self.widths, rows=self.iterate_rows(), count=self.count()
        )

    def render(self, progress: Callable[[int, str], None] | None = None) -> bytes:
        workbook = Workbook(write_only=True)
        for spec in self.sheets():
            sheet = workbook.create_sheet(str(spec.title)[:31])
            for index, width in enumerate(spec.widths, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = width
            header_cells = []
            for label in spec.headers:
                cell = WriteOnlyCell(sheet, value=str(label))
                cell.font = BOLD
                cell.fill = HEADER_FILL
                header_cells.append(cell)
            sheet.append(header_cells)
            for written, row in enumerate(spec.rows, start=1):
                sheet.append([safe_cell(v) for v in row])
                if progress and spec.count and written % BATCH_SIZE == 0:
                    progress(min(95, int(95 * written / spec.count)), _("已写入 %(n)s 行") % {"n": written})
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


class QueryExporter(Exporter):
    """One row per object of ``query()`` (``row(obj)``), read in chunks; ``numbered``: the rows
    start with their number (序号)."""

    numbered: ClassVar[bool] = False

    def query(self) -> QuerySet:
        raise NotImplementedError

    def row(self, obj: Any) -> Sequence[Any]:
        raise NotImplementedError

    def count(self) -> int:
        return self.query().count()

    def iterate_rows(self) -> Iterable[Sequence[Any]]:
        for number, obj in enumerate(self.query().iterator(chunk_size=2000), start=1):
            yield (number, *self.row(obj)) if self.numbered else self.row(obj)

"""The importer base: declared columns, a whole-file check before any write, one bulk write.

``Importer.run``:

1. checks the file itself (size, a real .xlsx, no macros, no zip bomb: ``files.check_xlsx``);
2. reads it in read-only mode, checks the header row, parses and validates every row, and resolves
   references in batches (``resolve``), all without a single write query;
3. only when every row is valid, writes them in bulk in one transaction (``write``).

A failed file gets an ``ImportReport`` with every bad cell, shown on the page and as an .xlsx
(``importer_workbooks``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from .cells import CellError, normalise_text, parse_text
from .files import FileRefusedError, check_xlsx, first_sheet_merges
from .importer_workbooks import error_workbook, template_workbook
from .workbook import BATCH_SIZE


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # a (lazy) translated label; the template's header and what the file must carry
    parse: Callable[[Any], Any] = parse_text
    required: bool = True
    example: Any = ""
    help: Any = ""
    width: int = 16

    @property
    def label(self) -> str:
        return str(self.header)

    def header_names(self) -> list[str]:
        """The header in the user's language and in Chinese: a file made in either imports."""
        with translation.override(settings.LANGUAGE_CODE):
            source = normalise_text(str(self.header))
        return [normalise_text(self.label), source]

    def choice_labels(self) -> list[str] | None:
        getter = getattr(self.parse, "choice_labels", None)
        return getter() if getter else None


@dataclass
class RowError:
    row: int  # the spreadsheet's row number, as the user sees it
    column: str  # the column's header, or "" for a whole-row error
    value: Any
    message: str


@dataclass
class ImportReport:
    ok: bool = False
    created: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""  # the whole file is refused (not an xlsx, too big, no header...)

    @property
    def message(self) -> str:
        if self.file_error:
            return self.file_error
        if self.errors:
            return _("文件中有 %(n)s 处错误，未导入任何数据。请按错误清单修改后重新上传。") % {"n": len(self.errors)}
        return _("已导入 %(n)s 行。") % {"n": self.created}


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]
    raw: dict[str, Any]


class Importer:
    """Declare ``columns``, then ``resolve`` (batched look-ups) and ``write`` (bulk, in bulk)."""

    title: ClassVar[Any] = gettext_lazy("导入")
    filename: ClassVar[str] = "import.xlsx"
    columns: ClassVar[Sequence[Column]] = ()

    def __init__(self, **params: Any) -> None:
        self.params = params

    # -- to override ----------------------------------------------------------------------

    def resolve(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        """Look up references for a batch of rows (one query per batch, not per row), and
        validate what needs the database. Read only: no writes here."""

    def validate_row(self, row: ParsedRow, errors: list[RowError]) -> None:
        """Checks across the cells of one row."""

    def check_file(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        """Checks across the rows of the whole file, once every row is parsed and resolved (a key
        repeated in the file: ``flag_repeats``). Read only."""

    def write(self, rows: list[ParsedRow]) -> int:
        """Write every row (called once, in one transaction, only when all rows are valid)."""
        raise NotImplementedError

    def example_rows(self) -> list[list[Any]]:
        return [[c.example for c in self.columns]]

    # -- the template -----------------------------------------------------------------------

    def template(self) -> bytes:
        """The blank .xlsx to fill in: the declared columns, with a sheet of instructions."""
        return template_workbook(self)

    # -- the run ----------------------------------------------------------------------------

    def count_rows(self, data: bytes) -> int:
        """The number of data rows, to refuse a file over the limit or give it to a job.

        Counted from the sheet's XML (its ``<row`` elements), never from the dimension it declares,
        which many writers leave at "A1"; counting stops past ``IMPORT_MAX_ROWS``, so no cell is
        parsed and a huge file costs no more than the limit.
        """
        check_xlsx(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            with workbook._archive.open(workbook.worksheets[0]._worksheet_path) as sheet:
                return max(count_row_elements(sheet, stop_after=settings.IMPORT_MAX_ROWS + 2) - 1, 0)
        finally:
            workbook.close()

    def parse(
        self, data: bytes, progress: Callable[[int, str], None] | None = None
    ) -> tuple[list[ParsedRow], ImportReport]:
        """Everything up to the write: no write query happens here."""
        report = ImportReport()
        try:
            check_xlsx(data)
            rows = self._read(data, report, progress)
        except FileRefusedError as exc:
            report.file_error = str(exc)
            return [], report
        report.rows = len(rows)
        self.check_file(rows, report.errors)
        report.errors.sort(key=lambda e: e.row)
        return rows, report

    def run(self, data: bytes, progress: Callable[[int, str], None] | None = None) -> ImportReport:
        rows, report = self.parse(data, progress)
        if report.file_error or report.errors:
            return report
        if progress:
            progress(90, _("正在写入"))
        with transaction.atomic():
            report.created = self.write(rows)
        report.ok = True
        return report

    def _read(self, data: bytes, report: ImportReport, progress: Callable[[int, str], None] | None) -> list[ParsedRow]:
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise FileRefusedError(_("无法读取该文件，可能已损坏。请在 Excel 中重新保存为 .xlsx。")) from exc
        try:
            sheet = workbook.worksheets[0]
            iterator = sheet.iter_rows(values_only=True)
            header = next(iterator, None)
            if header is None or all(v is None or str(v).strip() == "" for v in header):
                raise FileRefusedError(_("文件是空的：第一行应为列名。请使用下载的模板。"))
            merges = [ref for ref in first_sheet_merges(data) if re.match(r"^[A-Z]+1:", ref)]
            if merges:
                raise FileRefusedError(
                    _("列名行有合并单元格（%(refs)s）。请取消合并，每列一个列名。") % {"refs": ", ".join(merges)}
                )
            positions = self._header_positions(header)
            total_estimate = max((sheet.max_row or 1) - 1, 1)
            rows: list[ParsedRow] = []
            batch: list[ParsedRow] = []
            for line, values in enumerate(iterator, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if len(rows) >= settings.IMPORT_MAX_ROWS:
                    raise FileRefusedError(_("超过 %(n)s 行，请拆分后上传。") % {"n": settings.IMPORT_MAX_ROWS})
                row = self._parse_row(line, values, positions, report.errors)
                rows.append(row)
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    self.resolve(batch, report.errors)
                    batch = []
                    if progress:
                        progress(min(85, int(85 * len(rows) / total_estimate)), _("已检查 %(n)s 行") % {"n": len(rows)})
            if batch:
                self.resolve(batch, report.errors)
            if not rows:
                raise FileRefusedError(_("文件中没有数据行。"))
            return rows
        finally:
            workbook.close()

    def _header_positions(self, header: Sequence[Any]) -> dict[str, int]:
        seen = {normalise_text(str(v)): i for i, v in enumerate(header) if v is not None and str(v).strip()}
        positions: dict[str, int] = {}
        missing = []
        for column in self.columns:
            index = next((seen[name] for name in column.header_names() if name in seen), None)
            if index is None:
                if column.required:
                    missing.append(column.label)
                continue
            positions[column.key] = index
        if missing:
            raise FileRefusedError(_("缺少列：%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)})
        return positions

    def _parse_row(
        self, line: int, values: Sequence[Any], positions: dict[str, int], errors: list[RowError]
    ) -> ParsedRow:
        parsed: dict[str, Any] = {}
        raw: dict[str, Any] = {}
        errors_before = len(errors)
        for column in self.columns:
            index = positions.get(column.key)
            value = values[index] if index is not None and index < len(values) else None
            raw[column.key] = value
            try:
                result = column.parse(value)
            except CellError as exc:
                errors.append(RowError(line, column.label, value, str(exc)))
                parsed[column.key] = None
                continue
            if column.required and result in (None, ""):
                errors.append(RowError(line, column.label, value, _("必填。")))
            parsed[column.key] = result
        row = ParsedRow(line=line, values=parsed, raw=raw)
        if len(errors) == errors_before:  # cross-cell checks only on rows whose cells all parsed
            self.validate_row(row, errors)
        return row

    def error(self, row: ParsedRow, key: str, message: str, errors: list[RowError]) -> None:
        """Record an error against one cell of a row (for resolve/validate_row)."""
        label = next((c.label for c in self.columns if c.key == key), key)
        errors.append(RowError(row.line, label, row.raw.get(key), message))

    def flag_repeats(
        self,
        rows: list[ParsedRow],
        errors: list[RowError],
        *,
        key: Callable[[ParsedRow], Any],
        column: str,
        message: str,
    ) -> None:
        """An error on ``column`` of each row whose ``key(row)`` an earlier row of the file already has
        (a ``None`` key is never compared); ``message`` names that earlier row as ``%(line)s``."""
        first: dict[Any, int] = {}
        for row in rows:
            value = key(row)
            if value is None:
                continue
            if value in first:
                self.error(row, column, message % {"line": first[value]}, errors)
            else:
                first[value] = row.line

    def error_workbook(self, data: bytes, report: ImportReport) -> bytes:
        """The error list, and the uploaded rows with the bad cells marked."""
        return error_workbook(self, data, report)


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def count_row_elements(stream: IO[bytes], *, stop_after: int, chunk_size: int = 1 << 16) -> int:
    """How many ``<row>`` elements a worksheet's XML holds, reading it in chunks; at most ``stop_after``.

    The last bytes of a chunk are read again with the next one, so a tag cut in two is found
    there; a tag that ended inside those bytes was counted already.
    """
    count, carry = 0, b""
    while count < stop_after:
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        block = carry + chunk
        count += sum(1 for match in ROW_TAG.finditer(block) if match.end() > len(carry))
        carry = block[-32:]
    return min(count, stop_after)

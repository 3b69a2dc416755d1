"""The spreadsheet framework: one importer base and one exporter base (openpyxl).

An importer declares its columns once (Chinese header, parser, required or not, choices, example);
the template, the parsing and the checks all come from that declaration. ``Importer.run``:

1. checks the file itself (size, a real .xlsx, no macros, no zip bomb);
2. reads it in read-only mode, checks the header row, parses and validates every row, and resolves
   references in batches (``resolve``), all without a single write query;
3. only when every row is valid, writes them in bulk in one transaction (``write``).

A failed file gets an ``ImportReport`` with every bad cell, shown on the page and as an .xlsx.
An exporter yields rows from ``iterate_rows()`` into a write-only workbook; cells that a
spreadsheet would read as a formula are made safe.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

BATCH_SIZE = 1000
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
REQUIRED_FONT = Font(bold=True, color="C00000")
BOLD = Font(bold=True)


class CellError(ValueError):
    """A parser's complaint about one cell, in the user's language."""


# --- text normalisation and parsers ---------------------------------------------------------


def normalise_text(value: str) -> str:
    """Full-width letters, digits and spaces to half-width (NFKC), stray spaces removed.

    Chinese characters and punctuation that NFKC leaves alone stay as they are.
    """
    text = unicodedata.normalize("NFKC", value)
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    return re.sub(r"\s+", " ", text).strip()


def normalise_name(value: str) -> str:
    """Names: normalised, and the spaces between Chinese characters dropped ("张 三" -> "张三")."""
    text = normalise_text(value)
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


def parse_text(value: Any) -> str:
    """Text that must be typed as text. A number here is an error, never silently repaired:
    Excel turns a long ID number into 1.23E+17 and its last digits are gone."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        raise CellError(_("此列须为文本，但单元格是数字（Excel 可能已把长数字改写）。请把该列设为文本格式后重新输入。"))
    if isinstance(value, (datetime, date)):
        raise CellError(_("此列须为文本，但单元格是日期。"))
    return normalise_text(str(value))


def parse_name(value: Any) -> str:
    return normalise_name(parse_text(value))


def parse_code(value: Any) -> str:
    """Codes and numbers typed as text or as a whole number (a phone, a seat number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return parse_text(value).replace(" ", "")


def parse_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("须为整数。"))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = normalise_text(str(value))
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise CellError(_("须为整数。"))


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("须为数字。"))
    try:
        return Decimal(str(value) if not isinstance(value, str) else normalise_text(value).replace(",", ""))
    except InvalidOperation as exc:
        raise CellError(_("须为数字。")) from exc


def parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normalise_text(str(value))
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise CellError(_("日期格式应为 2024-06-30。"))


def parse_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = normalise_text(str(value)).lower()
    if text in ("是", "y", "yes", "true", "1"):
        return True
    if text in ("否", "n", "no", "false", "0"):
        return False
    raise CellError(_("须填“是”或“否”。"))


def choice_parser(choices: Callable[[], Sequence[tuple[str, str]]]) -> Callable[[Any], str]:
    """A parser that accepts a choice's label (in the user's language or in Chinese) or its value."""
    tables: dict[str, dict[str, str]] = {}  # per language: accepted text -> stored value

    def table() -> dict[str, str]:
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language not in tables:
            accepted = {stored: stored for stored, _label in choices()}
            with translation.override(settings.LANGUAGE_CODE):
                accepted.update({str(label): stored for stored, label in choices()})
            accepted.update({str(label): stored for stored, label in choices()})
            tables[language] = accepted
        return tables[language]

    def parse(value: Any) -> str:
        text = parse_text(value)
        if not text:
            return ""
        stored = table().get(text)
        if stored is None:
            labels = "、".join(str(label) for _v, label in choices())
            raise CellError(_("须为以下之一：%(choices)s") % {"choices": labels})
        return stored

    parse.choice_labels = lambda: [str(label) for _v, label in choices()]  # type: ignore[attr-defined]
    return parse


# --- the importer ---------------------------------------------------------------------------


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


class FileRefusedError(Exception):
    """The file as a whole cannot be read; its message is for the user."""


def check_xlsx(data: bytes) -> None:
    """Refuse anything that is not a plain .xlsx within the limits, before openpyxl sees it."""
    if not data:
        raise FileRefusedError(_("文件是空的。"))
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise FileRefusedError(
            _("文件超过 %(mb)s MB，请拆分后上传。") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileRefusedError(
            _("这不是 .xlsx 文件（可能是 CSV、旧版 .xls 或改了扩展名的文件）。请在 Excel 中“另存为 .xlsx”后上传。")
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise FileRefusedError(_("这不是 .xlsx 文件。请在 Excel 中“另存为 .xlsx”后上传。"))
        content_types = archive.read("[Content_Types].xml")
        if b"macroEnabled" in content_types or any(n.endswith("vbaProject.bin") for n in names):
            raise FileRefusedError(_("不接受带宏的文件（.xlsm）。请另存为普通 .xlsx 后上传。"))
        expanded = sum(info.file_size for info in archive.infolist())
        if expanded > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
            raise FileRefusedError(_("文件解压后过大，可能已损坏，已拒绝。"))


def _first_sheet_merges(data: bytes) -> list[str]:
    """Merged ranges of the first sheet (read-only mode does not expose them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        first = re.search(r"<(?:\w+:)?sheet\b[^>]*\br:id=\"([^\"]+)\"", workbook)
        if not first:
            return []
        target = re.search(rf"<Relationship\b[^>]*Id=\"{re.escape(first.group(1))}\"[^>]*Target=\"([^\"]+)\"", rels)
        if not target:
            target = re.search(rf"<Relationship\b[^>]*Target=\"([^\"]+)\"[^>]*Id=\"{re.escape(first.group(1))}\"", rels)
        if not target:
            return []
        path = target.group(1).lstrip("/")
        path = path if path.startswith("xl/") else f"xl/{path}"
        if path not in archive.namelist():
            return []
        sheet = archive.read(path).decode("utf-8", "replace")
    return re.findall(r"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([^\"]+)\"", sheet)


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

    def write(self, rows: list[ParsedRow]) -> int:
        """Write every row (called once, in one transaction, only when all rows are valid)."""
        raise NotImplementedError

    def example_rows(self) -> list[list[Any]]:
        return [[c.example for c in self.columns]]

    # -- the template -----------------------------------------------------------------------

    def template(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("数据"))
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.label)
            cell.fill = HEADER_FILL
            cell.font = REQUIRED_FONT if column.required else BOLD
            if column.help:
                cell.comment = Comment(str(column.help), "1+X")
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            sheet.column_dimensions[letter].number_format = "@"
            labels = column.choice_labels()
            if labels:
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(labels) + '"', allow_blank=not column.required
                )
                validation.error = str(_("请从下拉列表中选择。"))
                validation.showErrorMessage = True
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{settings.IMPORT_MAX_ROWS + 1}")
        sheet.freeze_panes = "A2"
        guide = workbook.create_sheet(str(_("填写说明")))
        guide.append([str(_("列名")), str(_("必填")), str(_("说明")), str(_("示例"))])
        for cell in guide[1]:
            cell.font = BOLD
            cell.fill = HEADER_FILL
        for column, example in zip(self.columns, self.example_rows()[0], strict=False):
            labels = column.choice_labels()
            hint = str(column.help) or ("、".join(labels) if labels else "")
            guide.append([column.label, str(_("是")) if column.required else str(_("否")), hint, _example(example)])
        guide.append([])
        guide.append([str(_("示例行（请勿填入“数据”表）："))])
        guide.append([c.label for c in self.columns])
        for example in self.example_rows():
            guide.append([_example(v) for v in example])
        for letter, width in zip("ABCD", (18, 8, 50, 24), strict=True):
            guide.column_dimensions[letter].width = width
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    # -- the run ----------------------------------------------------------------------------

    def count_rows(self, data: bytes) -> int:
        """Rough count of data rows (from the sheet's dimension), to decide on a job."""
        check_xlsx(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return max((workbook.worksheets[0].max_row or 1) - 1, 0)
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
            merges = [ref for ref in _first_sheet_merges(data) if re.match(r"^[A-Z]+1:", ref)]
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
            report.errors.sort(key=lambda e: e.row)
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

    def error_workbook(self, data: bytes, report: ImportReport) -> bytes:
        """The error list, and the uploaded rows with the bad cells marked."""
        workbook = Workbook(write_only=True)
        listing = workbook.create_sheet(str(_("错误清单")))
        listing.append([str(_("行号")), str(_("列")), str(_("单元格内容")), str(_("说明"))])
        if report.file_error:
            listing.append(["", "", "", report.file_error])
        for error in report.errors:
            listing.append([error.row, error.column, safe_cell(_display(error.value)), error.message])
        if report.errors:
            bad = {(e.row, e.column): e.message for e in report.errors}
            marked = workbook.create_sheet(str(_("标注后的数据")))
            source = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = source.worksheets[0]
                header: list[str] = []
                for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    if line == 1:
                        header = [normalise_text(str(v)) if v is not None else "" for v in values]
                        marked.append([safe_cell(v) for v in values])
                        continue
                    cells = []
                    for index, value in enumerate(values):
                        cell = WriteOnlyCell(marked, value=safe_cell(value))
                        message = bad.get((line, header[index] if index < len(header) else ""))
                        if message:
                            cell.fill = ERROR_FILL
                            cell.comment = Comment(message, "1+X")
                        cells.append(cell)
                    marked.append(cells)
            finally:
                source.close()
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _example(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _display(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


# --- the exporter ---------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


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

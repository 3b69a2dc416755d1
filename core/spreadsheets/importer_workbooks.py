"""The two workbooks an importer hands out: the blank template and the list of a file's errors."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import normalise_text
from .workbook import BOLD, ERROR_FILL, HEADER_FILL, REQUIRED_FONT, display_value, example_value, safe_cell

if TYPE_CHECKING:
    from .importer import Importer, ImportReport


def template_workbook(importer: Importer) -> bytes:
    """The blank .xlsx to fill in: the declared columns, with a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("数据"))
    for index, column in enumerate(importer.columns, start=1):
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
    for column, example in zip(importer.columns, importer.example_rows()[0], strict=False):
        labels = column.choice_labels()
        hint = str(column.help) or ("、".join(labels) if labels else "")
        guide.append([column.label, str(_("是")) if column.required else str(_("否")), hint, example_value(example)])
    guide.append([])
    guide.append([str(_("示例行（请勿填入“数据”表）："))])
    guide.append([c.label for c in importer.columns])
    for example in importer.example_rows():
        guide.append([example_value(v) for v in example])
    for letter, width in zip("ABCD", (18, 8, 50, 24), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_workbook(importer: Importer, data: bytes, report: ImportReport) -> bytes:
    """The error list, and the uploaded rows with the bad cells marked."""
    workbook = Workbook(write_only=True)
    listing = workbook.create_sheet(str(_("错误清单")))
    listing.append([str(_("行号")), str(_("列")), str(_("单元格内容")), str(_("说明"))])
    if report.file_error:
        listing.append(["", "", "", report.file_error])
    for error in report.errors:
        listing.append([error.row, error.column, safe_cell(display_value(error.value)), error.message])
    if report.errors:
        marked = workbook.create_sheet(str(_("标注后的数据")))
        _mark_rows(marked, data, {(e.row, e.column): e.message for e in report.errors})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _mark_rows(marked: Any, data: bytes, bad: dict[tuple[int, str], str]) -> None:
    """Copy the uploaded rows into ``marked``, filling and commenting the cells in ``bad``."""
    source = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        header: list[str] = []
        for line, values in enumerate(source.worksheets[0].iter_rows(values_only=True), start=1):
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

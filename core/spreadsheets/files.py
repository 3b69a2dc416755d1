"""Checks on the uploaded file as a whole, before openpyxl reads it."""

from __future__ import annotations

import io
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _


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


def first_sheet_merges(data: bytes) -> list[str]:
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

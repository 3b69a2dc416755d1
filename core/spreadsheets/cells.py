"""Reading one cell: text normalisation and the parsers an importer's columns declare.

A parser takes the raw cell value (from openpyxl) and returns the stored value, or raises
``CellError`` with a message in the user's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


class CellError(ValueError):
    """A parser's complaint about one cell, in the user's language."""


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

"""Masking of personal data (ID numbers, phones) for screens and exports.

Generic helpers: they know nothing about who is looking. Callers decide when the full value may
be shown (only the edit form of a user allowed to edit that person).
"""

from __future__ import annotations


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    middle = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * middle + value[len(value) - keep_end :]


def mask_id_number(value: str | None) -> str:
    """``441202200501011234`` -> ``4412**********1234``."""
    return _mask((value or "").strip(), 4, 4)


def mask_phone(value: str | None) -> str:
    """``13812345678`` -> ``138****5678``; a landline keeps its area code and last four digits."""
    text = (value or "").strip()
    if "-" in text:
        area, _sep, number = text.partition("-")
        return f"{area}-{_mask(number, 0, 4)}"
    return _mask(text, 3, 4)


# Two-character family names (复姓) that keep both characters when a name is masked.
COMPOUND_FAMILY_NAMES = frozenset(
    {
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "澹台",
    }
)


def mask_name(value: str | None) -> str:
    """``张三丰`` -> ``张**``, ``欧阳娜娜`` -> ``欧阳**``: only the family name stays readable."""
    text = "".join((value or "").split())
    if not text:
        return ""
    keep = 2 if text[:2] in COMPOUND_FAMILY_NAMES and len(text) > 2 else 1
    return text[:keep] + "*" * max(len(text) - keep, 1)

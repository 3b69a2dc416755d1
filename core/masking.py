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

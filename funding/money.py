"""Money and measured values as funding keeps and prints them: Decimal to the fen, never float."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
TENTH = Decimal("0.1")

# Every money column: up to 999,999,999,999.99 yuan.
MONEY = {"max_digits": 14, "decimal_places": 2}


def money(value: Decimal | int | str) -> Decimal:
    """A yuan amount to two places. Floats are refused: 0.1 + 0.2 must stay 0.30."""
    if isinstance(value, float):
        raise TypeError("money must be Decimal, int or str, never float")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def as_text(value: Any) -> str:
    """A value as the audit log keeps it: money to the fen, dates ISO, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(money(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def plain(value: Decimal | str | None) -> str:
    """A measured value as people write it: 96.50 -> 96.5, 300.00 -> 300, 91.7 -> 91.7; "" for None."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when whole is zero (printed "—")."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_UP)

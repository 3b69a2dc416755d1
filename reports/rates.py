"""How the reports print a rate: one decimal unless whole, and "—" when there is nothing to divide by."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")
DASH = "—"


def rate_value(numerator: int, denominator: int | None) -> Decimal | None:
    """numerator ÷ denominator as a percentage rounded half up to one decimal; None when the
    denominator is zero or missing."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(TENTH, rounding=ROUND_HALF_UP)


def format_rate(numerator: int, denominator: int | None) -> str:
    """87.5%, 93.3%, 95.2%, 100%; "—" when the denominator is zero (never an error)."""
    value = rate_value(numerator, denominator)
    if value is None:
        return DASH
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{value}%"


def chart_rate(numerator: int, denominator: int | None) -> float | None:
    """The same rate as a number for the charts (JSON has no Decimal); None leaves a gap."""
    value = rate_value(numerator, denominator)
    return None if value is None else float(value)

"""Timing and the result table: the median of a few runs, each timed with ``time.perf_counter``."""

from __future__ import annotations

import statistics
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


class BenchError(RuntimeError):
    """The product did not do the work being measured (an error response, a refused import...)."""


@dataclass(frozen=True)
class Timed(Generic[T]):
    """The seconds of each run, the result of the last one, and a note on how it was run."""

    seconds: tuple[float, ...]
    result: T
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _time(work: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def alternate(
    product: Callable[[], T],
    floor: Callable[[], U],
    *,
    runs: int,
    before_product: Callable[[], None] | None = None,
    single_if_over: float | None = None,
) -> tuple[Timed[T], Timed[U]]:
    """Time ``product`` and ``floor`` ``runs`` times each, alternately, so that a machine that slows
    down part-way (another process starting) hits both alike. ``before_product`` runs untimed before
    every run of ``product``. With ``single_if_over``, a first round in which either took longer than
    that many seconds is the only round.
    """
    product_seconds: list[float] = []
    floor_seconds: list[float] = []
    note = ""
    for index in range(runs):
        if before_product is not None:
            before_product()
        seconds, product_result = _time(product)
        product_seconds.append(seconds)
        seconds, floor_result = _time(floor)
        floor_seconds.append(seconds)
        slowest = max(product_seconds[0], floor_seconds[0])
        if index == 0 and runs > 1 and single_if_over is not None and slowest > single_if_over:
            note = f"1 run instead of {runs}: a first run took {slowest:.0f} s"
            break
    return Timed(tuple(product_seconds), product_result, note), Timed(tuple(floor_seconds), floor_result, note)


@dataclass(frozen=True)
class Row:
    """One line of the table. ``ratio`` is the figure's speed over the floor's (1.00x = the floor)."""

    case: str
    size: int
    figure: str
    floor: str
    ratio: float | None
    notes: tuple[str, ...] = ()


def _width(text: str) -> int:
    """Terminal columns of ``text`` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def table(rows: Sequence[Row]) -> str:
    """The rows as plain text with aligned columns, and their notes below."""
    header = ("case", "size", "figure", "floor", "ratio")
    cells = [(r.case, f"{r.size:,}", r.figure, r.floor, "?" if r.ratio is None else f"{r.ratio:.2f}x") for r in rows]
    widths = [max(_width(line[i]) for line in [header, *cells]) for i in range(len(header))]
    numeric = (False, True, False, False, True)

    def line(values: Sequence[str]) -> str:
        return " | ".join(_pad(v, w, right=n) for v, w, n in zip(values, widths, numeric, strict=True)).rstrip()

    out = [line(header), "-+-".join("-" * w for w in widths)]
    out += [line(c) for c in cells]
    notes = [f"  {r.case}: {note}" for r in rows for note in r.notes]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)

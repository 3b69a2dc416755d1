"""Side rows of the students app for the test world (see tests/world.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.world_base import Side

# URL argument -> (side, role) -> primary key, for the permission matrix.
ARGUMENTS: dict[str, Callable[[Side, str], int]] = {}


def build(side: Side) -> None:
    """Create at least one row of every tenant model of students for this side."""

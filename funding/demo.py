"""Demo rows of funding for seed_demo (idempotent, generated names only)."""

from __future__ import annotations

from typing import Any


def seed(demo: dict[str, Any]) -> None:
    """demo holds the seeded "schools", "organisations", "certificates" and "users" (by username)."""

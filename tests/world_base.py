"""The shapes of the test world (built in tests/world.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import Organisation, School, User
from pilots.models import Certificate

PASSWORD = "Test-pass-123"
MARKER_A = "甲方标记MKA"
MARKER_B = "乙方标记MKB"


@dataclass
class Side:
    key: str
    marker: str
    school: School
    organisation: Organisation
    certificate: Certificate
    users: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return self.users[role]


@dataclass
class World:
    a: Side
    b: Side
    platform_admin: User

    def sides(self) -> tuple[Side, Side]:
        return self.a, self.b

"""Seat allocation as a pure function over plain data (no database, no translation).

``allocate`` places candidates into sessions:

- sessions are filled in date order (date, start time, id);
- a class stays together where it fits: the classes are taken largest first, and each goes whole
  into the first session (in date order) that has room for all of it, on a day that has room for
  all of it; a class that fits nowhere whole is spread over the sessions in date order;
- one seat each and nobody twice: every candidate gets at most one (session, number), numbers are
  the lowest free ones of the session, never one already taken;
- every day within capacity: a session never takes more than its free seats, a day never more than
  what the site may still assess that day (``day_capacity``).

Whoever cannot be placed is returned with the reason (a code the caller turns into words).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, time

NO_SESSIONS = "no_sessions"  # the batch has no session at all
SEATS_FULL = "seats_full"  # every session's seats are taken
DAILY_MAX = "daily_max"  # seats are left, but only on days already at the site's daily maximum


@dataclass(frozen=True)
class Candidate:
    id: Hashable
    group: Hashable | None = None  # the class; None: a candidate without a class (a group of one)


@dataclass(frozen=True)
class Slot:
    """A session as the allocation sees it."""

    id: Hashable
    day: date
    starts_at: time
    seats: int
    taken: frozenset[int] = frozenset()  # seat numbers already given in this session

    @property
    def free(self) -> int:
        return max(self.seats - len(self.taken), 0)


@dataclass(frozen=True)
class Placement:
    candidate: Hashable
    session: Hashable
    number: int


@dataclass(frozen=True)
class Unplaced:
    candidate: Hashable
    reason: str


@dataclass
class Allocation:
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)

    def by_session(self) -> dict[Hashable, list[Placement]]:
        grouped: dict[Hashable, list[Placement]] = defaultdict(list)
        for placement in self.placements:
            grouped[placement.session].append(placement)
        return dict(grouped)


def _groups(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Classes in the order they first appear, then largest first (a stable sort keeps ties in order)."""
    ordered: dict[Hashable, list[Candidate]] = {}
    seen: set[Hashable] = set()
    for candidate in candidates:
        if candidate.id in seen:  # nobody twice, even if the caller repeats someone
            continue
        seen.add(candidate.id)
        key = ("class", candidate.group) if candidate.group is not None else ("single", candidate.id)
        ordered.setdefault(key, []).append(candidate)
    return sorted(ordered.values(), key=len, reverse=True)


def _free_numbers(slot: Slot) -> Iterator[int]:
    """The session's seat numbers not yet given, lowest first."""
    return iter([n for n in range(1, slot.seats + 1) if n not in slot.taken])


def allocate(candidates: Iterable[Candidate], slots: Iterable[Slot], day_capacity: dict[date, int]) -> Allocation:
    """Place ``candidates`` into ``slots``; ``day_capacity[day]`` is what the site may still take that day."""
    candidates = list(candidates)
    ordered = sorted(slots, key=lambda s: (s.day, s.starts_at, str(s.id)))
    free = {s.id: s.free for s in ordered}
    numbers = {s.id: _free_numbers(s) for s in ordered}
    day_left = {s.day: max(int(day_capacity.get(s.day, 0)), 0) for s in ordered}
    result = Allocation()

    def room(slot: Slot) -> int:
        return min(free[slot.id], day_left[slot.day])

    def place(candidate: Candidate, slot: Slot) -> None:
        result.placements.append(Placement(candidate.id, slot.id, next(numbers[slot.id])))
        free[slot.id] -= 1
        day_left[slot.day] -= 1

    for group in _groups(candidates):
        whole = next((s for s in ordered if room(s) >= len(group)), None)
        if whole is not None:
            for candidate in group:
                place(candidate, whole)
            continue
        for candidate in group:
            slot = next((s for s in ordered if room(s) > 0), None)
            if slot is not None:
                place(candidate, slot)
                continue
            if not ordered:
                reason = NO_SESSIONS
            elif any(free[s.id] > 0 for s in ordered):
                reason = DAILY_MAX
            else:
                reason = SEATS_FULL
            result.unplaced.append(Unplaced(candidate.id, reason))
    return result

"""Funding projects: the list, one project, the pilots it funds and its change log (变更记录)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from core.audit import Line, describe, entries_for
from funding.models import FundingProject
from pilots.models import Pilot, PilotStatus

GRANTED = (PilotStatus.APPROVED, PilotStatus.RUNNING, PilotStatus.FINISHED)
HISTORY_SHOWN = 20


def projects_list() -> QuerySet[FundingProject]:
    return FundingProject.objects.annotate(budget=Sum("lines__amount")).order_by("-year", "name", "id")


def project_get(*, project_id: int) -> FundingProject:
    return get_object_or_404(FundingProject.objects.select_related("school"), pk=project_id)


def granted_pilots(project: FundingProject) -> QuerySet[Pilot]:
    """The pilots of the project's school and year that were granted (approved, running, finished)."""
    return Pilot.objects.filter(school_id=project.school_id, year=project.year, status__in=GRANTED)


@dataclass
class HistoryPage:
    """The latest lines of a project's change log, newest first, and how many there are in all."""

    lines: list[Line]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


def project_history(*, project: FundingProject, limit: int = HISTORY_SHOWN) -> HistoryPage:
    entries = entries_for(project).order_by("-at", "-id")
    return HistoryPage(lines=[describe(entry) for entry in entries[:limit]], total=entries.count())

"""Helpers for the funding tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import School, User
from funding.models import BudgetLine, FundingProject, PerformanceTarget
from funding.services.budget import budget_line_create
from funding.services.projects import project_create
from funding.services.targets import performance_target_create, target_report


def report(
    target: PerformanceTarget, value: str, note: str, *, actor: User | None, file: tuple[str, str] | None = None
) -> PerformanceTarget:
    """``target_report`` of ``value``, with an evidence file when ``file`` is (name, content)."""
    evidence = SimpleUploadedFile(file[0], file[1].encode()) if file else None
    return target_report(target=target, value=Decimal(value), evidence_note=note, evidence_file=evidence, actor=actor)


def form_data(obj: Any, fields: str, **changes: Any) -> dict[str, Any]:
    """What an edit form posts for ``obj``: the ``fields`` named (amounts as text) as they stand and
    its version, with ``changes`` over them."""
    data: dict[str, Any] = {}
    for name in fields.split():
        value = getattr(obj, name)
        data[name] = str(value) if isinstance(value, Decimal) else value
    return {**data, "version": obj.version, **changes}


def line_of_new_project(
    school: School, project: str, year: int, category: str, content: str, amount: str
) -> BudgetLine:
    """A budget line of a new project of the school (in its scope)."""
    return budget_line_create(
        project=project_create(school=school, name=project, year=year),
        category=category,
        content=content,
        amount=Decimal(amount),
        actor=None,
    )


def reported_target(
    project: FundingProject, name: str = "毕业生就业率", *, actor: User | None = None
) -> PerformanceTarget:
    """A reported target of the project: ``name`` at least 95."""
    return performance_target_create(
        project=project, kind="reported", name=name, comparison="gte", target=Decimal(95), actor=actor
    )

"""The project's header: create it, edit it (versioned, logged), and render the plan as a PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import School, User
from core.concurrency import bump, check_version
from core.models import StoredFile
from core.pdf import render_pdf
from funding.history import PROJECT_FIELDS, changed, last_change, log, project_values
from funding.models import FundingProject
from funding.money import money
from funding.selectors.budget import project_totals
from funding.selectors.procurement import project_procurement
from funding.selectors.projects import project_get
from funding.selectors.targets import target_actuals

UPDATED = "funding.project.updated"


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")


def _check_dates(start_date: date | None, end_date: date | None) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError(_("结束日期不能早于开始日期。"))


def project_create(*, school: School, name: str, year: int, **fields: Any) -> FundingProject:
    _check_fields(fields)
    _check_dates(fields.get("start_date"), fields.get("end_date"))
    if fields.get("declared_total") is not None:
        fields["declared_total"] = money(fields["declared_total"])
    project = FundingProject(school=school, name=name, year=year, **fields)
    project.full_clean(exclude=["school"])
    project.save()
    return project


def project_update(
    *, project: FundingProject, actor: User | None, version: int | None = None, **fields: Any
) -> FundingProject:
    """Save the project's header; what changed goes to the log (a save that changes nothing, none).

    ``version`` is the one the edit form was rendered with: a header saved by someone else since is
    refused (StaleVersionError), never silently overwritten.
    """
    _check_fields(fields)
    with transaction.atomic():
        # The log compares with the row as it is now, locked, not with what the form was built from.
        locked = FundingProject.objects.select_for_update().get(pk=project.pk)
        check_version(locked, version, last=lambda: last_change(locked, action=UPDATED))
        project.version = locked.version
        before = project_values(locked)
        for key, value in fields.items():
            setattr(project, key, value)
        _check_dates(project.start_date, project.end_date)
        if project.declared_total is not None:
            project.declared_total = money(project.declared_total)
        project.full_clean(exclude=["school"])
        data = changed(before, project_values(project))
        if data["new"]:
            bump(project)
            project.save()
            log(project, UPDATED, actor=actor, data=data)
    return project


def project_plan_pdf(*, project_id: int, owner_id: int | None) -> StoredFile:
    """The funding plan as an A4 PDF (runs in the worker, in the requester's scope).

    The HTML depends only on the stored data and the live actuals (no "printed now"), so unchanged
    data renders to the same digest and core.pdf returns the file already made.
    """
    project = project_get(project_id=project_id)
    context = {
        "project": project,
        "totals": project_totals(project=project),
        "procurement": list(project_procurement(project=project)),
        "targets": target_actuals(project),
    }
    return render_pdf(
        template_name="funding/pdf/plan.html",
        context=context,
        filename=f"funding-plan-{project.pk}.pdf",
        owner_id=owner_id,
    )

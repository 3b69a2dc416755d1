"""Each role's home page: its key figures and the data of its charts (a fixed number of queries)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from accounts.models import Membership, Organisation, School, StaffQualification
from core.scoping import ORGANISATION, SCHOOL, TenantContext
from funding.models import Spending
from funding.selectors.projects import projects_list
from pilots.models import Certificate, Cohort, Pilot
from students.models import Enrolment

from ..rates import chart_rate, format_rate
from .counting import GRANTED, ReportFilters, enrolment_counts, level_label, shows_schools
from .statistics import exams_by_year


def home_figures(tenant: TenantContext) -> dict[str, Any]:
    if tenant.kind == SCHOOL:
        return {
            "staff": Membership.objects.count(),
            "qualifications": StaffQualification.objects.count(),
            "certificates": Certificate.objects.filter(is_active=True).count(),
        }
    if tenant.kind == ORGANISATION:
        return {
            "certificates": Certificate.objects.filter(organisation_id=tenant.organisation_id).count(),
            "reviewers": Membership.objects.count(),
        }
    return {
        "schools": School.objects.count(),
        "organisations": Organisation.objects.count(),
        "certificates": Certificate.objects.count(),
    }


DASHBOARD_PILOTS = 12  # the most recent pilots on the quota chart


def _quota_by_pilot() -> dict[str, Any]:
    pilots = list(
        Pilot.objects.filter(status__in=GRANTED)
        .values("pk", "year", "certificate__name", "level", "cohort", "quota", "school__name")
        .order_by("-year", "certificate__name", "level", "pk")[:DASHBOARD_PILOTS]
    )
    counts = {
        c["pilot_id"]: c
        for c in enrolment_counts(ReportFilters(), ["pilot_id"]).filter(pilot_id__in=[p["pk"] for p in pilots])
    }
    pilots.reverse()  # oldest first, left to right
    schools = shows_schools()
    labels, quota, enrolled, assessed = [], [], [], []
    for p in pilots:
        label = f"{p['year']} {p['certificate__name']} {level_label(p['level'])}"
        if p["cohort"] == Cohort.SOCIAL:
            label += f" · {Cohort.SOCIAL.label}"
        if schools:
            label = f"{p['school__name']} · {label}"
        labels.append(label)
        quota.append(p["quota"] or 0)
        enrolled.append(counts.get(p["pk"], {}).get("enrolled", 0))
        assessed.append(counts.get(p["pk"], {}).get("assessed", 0))
    return {"labels": labels, "quota": quota, "enrolled": enrolled, "assessed": assessed}


def _candidates_by_certificate() -> dict[str, Any]:
    rows = enrolment_counts(ReportFilters(), ["pilot__certificate__name"]).order_by("pilot__certificate__name")
    rows = [r for r in rows if r["assessed"] or r["enrolled"]]
    return {
        "labels": [r["pilot__certificate__name"] for r in rows],
        "enrolled": [r["enrolled"] for r in rows],
        "assessed": [r["assessed"] for r in rows],
        "passed": [r["passed"] for r in rows],
    }


def _budget() -> dict[str, Any]:
    """Budget and spending of the school's funding projects (two queries)."""
    projects = list(projects_list().values("pk", "name", "year", "budget"))
    spent = {
        s["budget_line__project_id"]: s["spent"]
        for s in Spending.objects.values("budget_line__project_id").annotate(spent=Sum("amount")).order_by()
    }
    projects.reverse()
    budget_total = sum((p["budget"] or Decimal(0) for p in projects), Decimal(0))
    spent_total = sum((spent.get(p["pk"]) or Decimal(0) for p in projects), Decimal(0))
    return {
        "labels": [f"{p['year']} · {p['name']}" for p in projects],
        "budget": [float(p["budget"] or 0) for p in projects],
        "spent": [float(spent.get(p["pk"]) or 0) for p in projects],
        "budget_total": budget_total,
        "spent_total": spent_total,
        "used_rate": format_rate(spent_total, budget_total),
    }


def dashboard(tenant: TenantContext, *, with_budget: bool) -> dict[str, Any]:
    """Key figures and chart data of a role's home page (a fixed number of aggregate queries)."""
    years = exams_by_year(ReportFilters())
    assessed = sum(y.assessed for y in years)
    passed = sum(y.passed for y in years)
    pilots = Pilot.objects.filter(status__in=GRANTED).aggregate(pilots=Count("pk"), quota=Sum("quota"))
    enrolled = Enrolment.objects.filter(pilot__status__in=GRANTED).count()
    charts: dict[str, Any] = {
        "pass_rate": {
            "labels": [str(y.year) for y in years],
            "assessed": [y.assessed for y in years],
            "passed": [y.passed for y in years],
            "rate": [chart_rate(y.passed, y.assessed) for y in years],
        },
        "quota": _quota_by_pilot(),
        "certificates": _candidates_by_certificate(),
    }
    budget = None
    if with_budget:
        budget = _budget()
        charts["budget"] = {k: budget[k] for k in ("labels", "budget", "spent")}
    return {
        "pilots": pilots["pilots"],
        "quota": pilots["quota"] or 0,
        "enrolled": enrolled,
        "assessed": assessed,
        "passed": passed,
        "pass_rate": format_rate(passed, assessed),
        "completion_rate": format_rate(assessed, pilots["quota"] or 0),
        "budget": budget,
        "charts": charts,
    }

"""The building blocks every report figure is counted with: the filters, the granted pilots, and
the enrolled / assessed / passed / certified counts per group (see the package's definitions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from certificates.models import IssuedCertificate, Result, ResultSheet
from core.scoping import SCHOOL, current_tenant
from pilots.models import Level, PilotStatus
from students.models import Enrolment

GRANTED = (PilotStatus.APPROVED, PilotStatus.RUNNING, PilotStatus.FINISHED)
COUNTED_SHEETS = (ResultSheet.Status.NOTICE, ResultSheet.Status.FINAL)
SAT = (Result.Outcome.PASS, Result.Outcome.FAIL)
LEVEL_ORDER = {value: index for index, value in enumerate(Level.values)}
LEVEL_LABELS = dict(Level.choices)


@dataclass(frozen=True)
class ReportFilters:
    """What the statistics page is filtered by. Travels to the export job as JSON (``as_params``)."""

    year_from: int | None = None
    year_to: int | None = None
    certificate_id: int | None = None
    level: str = ""
    cohort: str = ""

    def as_params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ReportFilters:
        return cls(**{k: v for k, v in params.items() if k in cls.__dataclass_fields__})


def pilot_filter(filters: ReportFilters, *, prefix: str = "", cohort: str | None = None) -> Q:
    """The filter on granted pilots, for Pilot (prefix "") or a model that reaches it (``pilot__``)."""
    q = Q(**{f"{prefix}status__in": GRANTED})
    if filters.year_from:
        q &= Q(**{f"{prefix}year__gte": filters.year_from})
    if filters.year_to:
        q &= Q(**{f"{prefix}year__lte": filters.year_to})
    if filters.certificate_id:
        q &= Q(**{f"{prefix}certificate_id": filters.certificate_id})
    if filters.level:
        q &= Q(**{f"{prefix}level": filters.level})
    chosen = filters.cohort if cohort is None else cohort
    if chosen:
        q &= Q(**{f"{prefix}cohort": chosen})
    return q


# Each flag is "the enrolment is in this set", the set computed once by an uncorrelated subquery:
# a correlated EXISTS per enrolment lets a planner pick the tenant's index and scan every result of
# the school for every enrolment (minutes at 100,000 students on SQLite).


def is_assessed() -> Q:
    sat = Result.objects.filter(outcome__in=SAT, sheet__status__in=COUNTED_SHEETS)
    return Q(pk__in=sat.values("enrolment_id"))


def has_passed() -> Q:
    passing = Result.objects.filter(outcome=Result.Outcome.PASS, sheet__status__in=COUNTED_SHEETS)
    return Q(pk__in=passing.values("enrolment_id"))


def is_certified() -> Q:
    valid = IssuedCertificate.objects.filter(status=IssuedCertificate.Status.VALID)
    return Q(pk__in=valid.values("result__enrolment_id"))


def enrolment_counts(filters: ReportFilters, group: Iterable[str], *, cohort: str | None = None) -> QuerySet:
    """Enrolled, assessed, passed and certified per group (one query)."""
    return (
        Enrolment.objects.filter(pilot_filter(filters, prefix="pilot__", cohort=cohort))
        .values(*group)
        .annotate(
            enrolled=Count("pk"),
            assessed=Count("pk", filter=is_assessed()),
            passed=Count("pk", filter=has_passed()),
            certified=Count("pk", filter=is_certified()),
        )
        .order_by()
    )


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


def shows_schools() -> bool:
    """Organisations and the platform see several schools: their per-pilot rows name the school."""
    tenant = current_tenant()
    return tenant is None or tenant.kind != SCHOOL

"""Read-only figures over all apps, for dashboards and the report tables.

Every figure is computed from the records with aggregate queries (``values().annotate(...)``): the
number of queries of a table never depends on how many students, enrolments or results there are.
The tenant managers scope every query: a school sees its own records, an organisation those of its
certificates across all schools, the platform everything.

Definitions (the pages print them under each table):

- **enrolled** (报名人数): enrolments in granted pilots (approved, running or finished);
- **assessed** (鉴定人数 / 考证人数): distinct enrolments with at least one result whose outcome is
  pass or fail in a result sheet that is published (in notice) or ended. Absentees and results still
  being entered are not assessed; a candidate who was absent and sat a retake is assessed; a
  candidate counts once however many attempts they made;
- **passed** (通过人数): assessed enrolments with a pass in such a sheet, first attempt or retake,
  counted once;
- **certified** (取证人数): enrolments holding a valid (not revoked, not replaced) issued 1+X
  certificate from one of their results;
- **graduates of 届 N**: students whose expected graduation year is N; **with a skill certificate**:
  those holding at least one valid 1+X certificate or any external skill certificate, counted once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import Membership, Organisation, School, StaffQualification
from certificates.models import ExternalCertificate, IssuedCertificate, Result, ResultSheet
from core.scoping import ORGANISATION, SCHOOL, TenantContext, current_tenant
from funding.models import Spending
from funding.selectors import projects_list
from pilots.models import Certificate, Cohort, Level, Pilot, PilotStatus
from students.models import Enrolment, Person, PersonKind

from .rates import chart_rate, format_rate

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


# --- the building blocks -------------------------------------------------------------------------


def _pilots(filters: ReportFilters, *, prefix: str = "", cohort: str | None = None) -> Q:
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


def _assessed() -> Q:
    sat = Result.objects.filter(outcome__in=SAT, sheet__status__in=COUNTED_SHEETS)
    return Q(pk__in=sat.values("enrolment_id"))


def _passed() -> Q:
    passed = Result.objects.filter(outcome=Result.Outcome.PASS, sheet__status__in=COUNTED_SHEETS)
    return Q(pk__in=passed.values("enrolment_id"))


def _certified() -> Q:
    valid = IssuedCertificate.objects.filter(status=IssuedCertificate.Status.VALID)
    return Q(pk__in=valid.values("result__enrolment_id"))


def _enrolment_counts(filters: ReportFilters, group: Iterable[str], *, cohort: str | None = None) -> QuerySet:
    """Enrolled, assessed, passed and certified per group (one query)."""
    return (
        Enrolment.objects.filter(_pilots(filters, prefix="pilot__", cohort=cohort))
        .values(*group)
        .annotate(
            enrolled=Count("pk"),
            assessed=Count("pk", filter=_assessed()),
            passed=Count("pk", filter=_passed()),
            certified=Count("pk", filter=_certified()),
        )
        .order_by()
    )


def _level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


def shows_schools() -> bool:
    """Organisations and the platform see several schools: their per-pilot rows name the school."""
    tenant = current_tenant()
    return tenant is None or tenant.kind != SCHOOL


# --- table 1: 教育试点 ---------------------------------------------------------------------------


@dataclass
class PilotYearRow:
    year: int
    certificate: str
    level: str
    quota: int
    enrolled: int
    assessed: int
    certified: int

    @property
    def level_label(self) -> str:
        return _level_label(self.level)

    @property
    def completion_rate(self) -> str:  # 指标完成率
        return format_rate(self.assessed, self.quota)

    @property
    def certified_rate(self) -> str:  # 取证率
        return format_rate(self.certified, self.assessed)

    @property
    def sat_rate(self) -> str:  # 参考率
        return format_rate(self.assessed, self.enrolled)


def education_pilots(filters: ReportFilters) -> list[PilotYearRow]:
    """Table 1: student pilots by year, certificate and level (two queries)."""
    key = ("year", "certificate_id", "certificate__name", "level")
    quotas = (
        Pilot.objects.filter(_pilots(filters, cohort=Cohort.STUDENTS))
        .values(*key)
        .annotate(quota=Sum("quota"))
        .order_by()
    )
    counts = {
        (c["pilot__year"], c["pilot__certificate_id"], c["pilot__level"]): c
        for c in _enrolment_counts(
            filters, [f"pilot__{k}" for k in key if k != "certificate__name"], cohort=Cohort.STUDENTS
        )
    }
    rows = []
    for q in quotas:
        c = counts.get((q["year"], q["certificate_id"], q["level"]), {})
        rows.append(
            PilotYearRow(
                year=q["year"],
                certificate=q["certificate__name"],
                level=q["level"],
                quota=q["quota"] or 0,
                enrolled=c.get("enrolled", 0),
                assessed=c.get("assessed", 0),
                certified=c.get("certified", 0),
            )
        )
    rows.sort(key=lambda r: (r.year, r.certificate, LEVEL_ORDER.get(r.level, 9)))
    return rows


# --- table 2: 社会人员及企业员工证书试点 ----------------------------------------------------------


@dataclass
class TrainingPilotRow:
    year: int
    school: str
    certificate: str
    level: str
    quota: int
    enrolled: int
    assessed: int
    notes: str

    @property
    def level_label(self) -> str:
        return _level_label(self.level)

    @property
    def pending(self) -> int:  # 待鉴定人数
        return self.enrolled - self.assessed


def training_pilots(filters: ReportFilters) -> list[TrainingPilotRow]:
    """Table 2: each social-trainee pilot with its quota and the enrolled not yet assessed (two queries)."""
    pilots = (
        Pilot.objects.filter(_pilots(filters, cohort=Cohort.SOCIAL))
        .values("pk", "year", "school__name", "certificate__name", "level", "quota", "notes")
        .order_by()
    )
    counts = {c["pilot_id"]: c for c in _enrolment_counts(filters, ["pilot_id"], cohort=Cohort.SOCIAL)}
    rows = []
    for p in pilots:
        c = counts.get(p["pk"], {})
        rows.append(
            TrainingPilotRow(
                year=p["year"],
                school=p["school__name"],
                certificate=p["certificate__name"],
                level=p["level"],
                quota=p["quota"] or 0,
                enrolled=c.get("enrolled", 0),
                assessed=c.get("assessed", 0),
                notes=p["notes"],
            )
        )
    rows.sort(key=lambda r: (r.year, r.school, r.certificate, LEVEL_ORDER.get(r.level, 9)))
    return rows


# --- tables 3 and 5: candidates and passes by year ----------------------------------------------


@dataclass
class YearRow:
    year: int
    certificates: int
    assessed: int
    passed: int

    @property
    def pass_rate(self) -> str:
        return format_rate(self.passed, self.assessed)


def exams_by_year(filters: ReportFilters) -> list[YearRow]:
    """Tables 3 (1+X 考证情况) and 5 (certificates by year): one row per pilot year (two queries)."""
    pilots = {
        p["year"]: p["certificates"]
        for p in Pilot.objects.filter(_pilots(filters))
        .values("year")
        .annotate(certificates=Count("certificate", distinct=True))
        .order_by()
    }
    counts = {c["pilot__year"]: c for c in _enrolment_counts(filters, ["pilot__year"])}
    return [
        YearRow(
            year=year,
            certificates=certificates,
            assessed=counts.get(year, {}).get("assessed", 0),
            passed=counts.get(year, {}).get("passed", 0),
        )
        for year, certificates in sorted(pilots.items())
    ]


# --- table 4: 双证毕业 ---------------------------------------------------------------------------


@dataclass
class GraduationRow:
    year: int
    graduates: int
    certified: int

    @property
    def rate(self) -> str:
        return format_rate(self.certified, self.graduates)


def dual_certificates(filters: ReportFilters) -> list[GraduationRow]:
    """Table 4: graduates by expected graduation year and those holding a skill certificate (one query).

    Students are a school's records: an organisation's scope sees none, so its table is empty.
    """
    qs = Person.objects.filter(kind=PersonKind.STUDENT, expected_graduation_year__isnull=False)
    if filters.year_from:
        qs = qs.filter(expected_graduation_year__gte=filters.year_from)
    if filters.year_to:
        qs = qs.filter(expected_graduation_year__lte=filters.year_to)
    valid = IssuedCertificate.objects.filter(status=IssuedCertificate.Status.VALID)
    holds = Q(pk__in=valid.values("person_id")) | Q(pk__in=ExternalCertificate.objects.values("person_id"))
    counts = (
        qs.values("expected_graduation_year")
        .annotate(graduates=Count("pk"), certified=Count("pk", filter=holds))
        .order_by("expected_graduation_year")
    )
    return [
        GraduationRow(year=c["expected_graduation_year"], graduates=c["graduates"], certified=c["certified"])
        for c in counts
    ]


def report_certificates() -> QuerySet[Certificate]:
    """The certificates the active tenant has pilots of, for the filter form."""
    return Certificate.objects.filter(pk__in=Pilot.objects.values("certificate_id")).order_by("code")


# --- dashboards -------------------------------------------------------------------------------


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
        for c in _enrolment_counts(ReportFilters(), ["pilot_id"]).filter(pilot_id__in=[p["pk"] for p in pilots])
    }
    pilots.reverse()  # oldest first, left to right
    schools = shows_schools()
    labels, quota, enrolled, assessed = [], [], [], []
    for p in pilots:
        label = f"{p['year']} {p['certificate__name']} {_level_label(p['level'])}"
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
    rows = _enrolment_counts(ReportFilters(), ["pilot__certificate__name"]).order_by("pilot__certificate__name")
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

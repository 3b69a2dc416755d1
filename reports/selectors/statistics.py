"""The rows of the five report tables (``reports.tables`` declares how each is printed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from certificates.models import ExternalCertificate, IssuedCertificate
from pilots.models import Certificate, Cohort, Pilot
from students.models import Person, PersonKind

from ..rates import format_rate
from .counting import LEVEL_ORDER, ReportFilters, enrolment_counts, level_label, pilot_filter

# --- tables 1 and 2: pilots with their quota, enrolled and assessed people -----------------------


@dataclass
class PilotCounts:
    """What the rows of tables 1 and 2 share."""

    year: int
    certificate: str
    level: str
    quota: int
    enrolled: int
    assessed: int

    @property
    def level_label(self) -> str:
        return level_label(self.level)


def _counts(quota: int | None, counted: dict) -> dict[str, int]:
    """The quota and the people counted for one row (``enrolment_counts``), zero where none."""
    return {"quota": quota or 0, "enrolled": counted.get("enrolled", 0), "assessed": counted.get("assessed", 0)}


@dataclass
class PilotYearRow(PilotCounts):
    """Table 1 (教育试点): one certificate level of one year."""

    certified: int

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
        Pilot.objects.filter(pilot_filter(filters, cohort=Cohort.STUDENTS))
        .values(*key)
        .annotate(quota=Sum("quota"))
        .order_by()
    )
    counts = {
        (c["pilot__year"], c["pilot__certificate_id"], c["pilot__level"]): c
        for c in enrolment_counts(
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
                certified=c.get("certified", 0),
                **_counts(q["quota"], c),
            )
        )
    rows.sort(key=lambda r: (r.year, r.certificate, LEVEL_ORDER.get(r.level, 9)))
    return rows


@dataclass
class TrainingPilotRow(PilotCounts):
    """Table 2 (社会人员及企业员工证书试点): one pilot."""

    school: str
    notes: str

    @property
    def pending(self) -> int:  # 待鉴定人数
        return self.enrolled - self.assessed


def training_pilots(filters: ReportFilters) -> list[TrainingPilotRow]:
    """Table 2: each social-trainee pilot with its quota and the enrolled not yet assessed (two queries)."""
    pilots = (
        Pilot.objects.filter(pilot_filter(filters, cohort=Cohort.SOCIAL))
        .values("pk", "year", "school__name", "certificate__name", "level", "quota", "notes")
        .order_by()
    )
    counts = {c["pilot_id"]: c for c in enrolment_counts(filters, ["pilot_id"], cohort=Cohort.SOCIAL)}
    rows = []
    for p in pilots:
        rows.append(
            TrainingPilotRow(
                year=p["year"],
                school=p["school__name"],
                certificate=p["certificate__name"],
                level=p["level"],
                notes=p["notes"],
                **_counts(p["quota"], counts.get(p["pk"], {})),
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
        for p in Pilot.objects.filter(pilot_filter(filters))
        .values("year")
        .annotate(certificates=Count("certificate", distinct=True))
        .order_by()
    }
    counts = {c["pilot__year"]: c for c in enrolment_counts(filters, ["pilot__year"])}
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

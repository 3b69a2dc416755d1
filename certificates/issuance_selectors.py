"""Reads of issued and external certificates: issuance pages, collection, person and class pages,
and the collection roster (考证签领名单).

Every query goes through the scoped managers: a school sees its own certificates, an organisation
the certificates of its catalogue entries (and never a school's external certificates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from exam_sites.models import Batch
from students.models import Person, SchoolClass

from .models import ExternalCertificate, IssuedCertificate, Result, ResultSheet

VALID = IssuedCertificate.Status.VALID
PASS = Result.Outcome.PASS
FINAL = ResultSheet.Status.FINAL

# A roster's "what": one 1+X certificate ("cert:<id>"), one external certificate by name
# ("ext:<name>"), or empty (every certificate of the period).
CERT_PREFIX = "cert:"
EXT_PREFIX = "ext:"


# --- issuance ---------------------------------------------------------------------------------


def issuance_batches() -> QuerySet[Batch]:
    """Batches with a result sheet, with their passed and issued counts."""
    return (
        Batch.objects.filter(result_sheet__isnull=False)
        .select_related("school", "pilot__certificate__organisation", "result_sheet", "round")
        .annotate(
            passed=Count("result_sheet__results", filter=Q(result_sheet__results__outcome=PASS), distinct=True),
            issued=Count(
                "result_sheet__results__certificates",
                filter=Q(result_sheet__results__certificates__status=VALID),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


def issuance_batch(*, batch_id: int) -> Batch:
    return get_object_or_404(
        Batch.objects.select_related("school", "pilot__certificate__organisation", "round"), pk=batch_id
    )


def batch_sheet(*, batch: Batch) -> ResultSheet | None:
    return ResultSheet.objects.filter(batch=batch).first()


def batch_passed_results(*, batch: Batch) -> QuerySet[Result]:
    """The batch's passed results, each with ``valid_certificates`` (a list of at most one)."""
    return (
        Result.objects.filter(sheet__batch=batch, outcome=PASS)
        .select_related("enrolment__person__school_class", "sheet")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=IssuedCertificate.objects.filter(status=VALID),
                to_attr="valid_certificates",
            )
        )
        .order_by("enrolment__person__school_class__code", "enrolment__person__name", "id")
    )


def eligible_results(*, batch_id: int | None = None) -> QuerySet[Result]:
    """Passed results of ended sheets that hold no valid certificate yet."""
    qs = Result.objects.filter(outcome=PASS, sheet__status=FINAL).exclude(certificates__status=VALID)
    if batch_id is not None:
        qs = qs.filter(sheet__batch_id=batch_id)
    return qs


def result_for_issue(*, result_id: int, batch_id: int) -> Result:
    return get_object_or_404(Result.objects.select_related("sheet"), pk=result_id, sheet__batch_id=batch_id)


def batch_period(*, batch: Batch) -> str:
    """The assessment period (鉴定时间) of a batch from its sessions' dates, e.g. "2022.5-6"."""
    dates = sorted(batch.sessions.values_list("date", flat=True))
    return period_of_dates(dates)


def period_of_dates(dates: list[date]) -> str:
    if not dates:
        return ""
    first, last = dates[0], dates[-1]
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year}.{first.month}"
    if first.year == last.year:
        return f"{first.year}.{first.month}-{last.month}"
    return f"{first.year}.{first.month}-{last.year}.{last.month}"


def issued_get(*, issued_id: int) -> IssuedCertificate:
    return get_object_or_404(
        IssuedCertificate.objects.select_related("certificate", "person", "person__school_class"), pk=issued_id
    )


def external_get(*, external_id: int) -> ExternalCertificate:
    return get_object_or_404(ExternalCertificate.objects.select_related("person"), pk=external_id)


def external_certificates() -> QuerySet[ExternalCertificate]:
    return ExternalCertificate.objects.select_related("person", "person__school_class").order_by(
        "person__school_class__code", "person__name", "issued_on", "id"
    )


# --- people and classes -----------------------------------------------------------------------


def person_certificates(*, person: Person) -> dict:
    """All certificates of a person: 1+X (with their history) and external."""
    issued = (
        IssuedCertificate.objects.filter(person=person)
        .select_related("certificate", "replaces")
        .prefetch_related("events")
        .order_by("-issued_on", "id")
    )
    external = ExternalCertificate.objects.filter(person=person).order_by("-issued_on", "id")
    due = (
        eligible_results()
        .filter(enrolment__person=person)
        .select_related("sheet__batch__pilot__certificate")
        .order_by("id")
    )
    return {"issued": list(issued), "external": list(external), "due": list(due)}


def certificate_classes() -> QuerySet[SchoolClass]:
    """The school's classes with their certificate counts."""
    return (
        SchoolClass.objects.select_related("major")
        .annotate(
            size=Count("people", distinct=True),
            issued=Count(
                "people__issued_certificates", filter=Q(people__issued_certificates__status=VALID), distinct=True
            ),
            collected=Count(
                "people__issued_certificates",
                filter=Q(people__issued_certificates__status=VALID) & ~Q(people__issued_certificates__collected_by=""),
                distinct=True,
            ),
            external=Count("people__external_certificates", distinct=True),
        )
        .order_by("-enrolment_year", "code")
    )


def class_get(*, class_id: int) -> SchoolClass:
    return get_object_or_404(SchoolClass.objects.select_related("major"), pk=class_id)


@dataclass
class ClassRow:
    person: Person
    issued: list[IssuedCertificate]
    external: list[ExternalCertificate]
    due: list[Result]


def class_overview(*, school_class: SchoolClass) -> dict:
    """Per person of the class: certificates issued, collected, and passed results still without one.

    Four queries whatever the class size.
    """
    people = list(Person.objects.filter(school_class=school_class).order_by("name", "id"))
    issued: dict[int, list] = {p.pk: [] for p in people}
    external: dict[int, list] = {p.pk: [] for p in people}
    due: dict[int, list] = {p.pk: [] for p in people}
    for cert in (
        IssuedCertificate.objects.filter(person__school_class=school_class, status=VALID)
        .select_related("certificate")
        .order_by("issued_on", "id")
    ):
        issued[cert.person_id].append(cert)
    for cert in ExternalCertificate.objects.filter(person__school_class=school_class).order_by("issued_on", "id"):
        external[cert.person_id].append(cert)
    for result in (
        eligible_results()
        .filter(enrolment__person__school_class=school_class)
        .select_related("enrolment", "sheet__batch__pilot__certificate")
    ):
        due.setdefault(result.enrolment.person_id, []).append(result)
    rows = [ClassRow(p, issued[p.pk], external[p.pk], due.get(p.pk, [])) for p in people]
    all_certs = [c for r in rows for c in (*r.issued, *r.external)]
    collected = sum(1 for c in all_certs if c.collected_by)
    return {
        "rows": rows,
        "issued_count": len(all_certs),
        "collected_count": collected,
        "uncollected_count": len(all_certs) - collected,
        "due_count": sum(len(r.due) for r in rows),
    }


# --- rosters ------------------------------------------------------------------------------------


def roster_choices(*, school_class: SchoolClass) -> dict[str, list[tuple[str, str]]]:
    """What a roster of this class can be made for: its certificates and assessment periods."""
    issued = IssuedCertificate.objects.filter(person__school_class=school_class, status=VALID)
    external = ExternalCertificate.objects.filter(person__school_class=school_class)
    certificates = [
        (f"{CERT_PREFIX}{pk}", name)
        for pk, name in issued.values_list("certificate_id", "certificate__name")
        .distinct()
        .order_by("certificate__name")
    ]
    certificates += [
        (f"{EXT_PREFIX}{name}", f"{name}（{_('其他技能证书')}）")
        for name in external.values_list("name", flat=True).distinct().order_by("name")
    ]
    periods = set(issued.values_list("assessment_period", flat=True)) | set(
        external.exclude(assessment_period="").values_list("assessment_period", flat=True)
    )
    return {"certificates": certificates, "periods": [(p, p) for p in sorted(periods, reverse=True)]}


@dataclass(frozen=True)
class RosterRow:
    class_code: str
    name: str
    certificate: str  # 工种
    level: str
    period: str
    issued_on: date | None
    collected_by: str
    person_id: int


def roster_rows(*, school_class: SchoolClass, what: str = "", period: str = "") -> list[RosterRow]:
    """The roster's rows: 1+X and external certificates of the class, two queries in all."""
    issued = IssuedCertificate.objects.filter(person__school_class=school_class, status=VALID)
    external = ExternalCertificate.objects.filter(person__school_class=school_class)
    if what.startswith(CERT_PREFIX):
        issued = issued.filter(certificate_id=int(what[len(CERT_PREFIX) :]))
        external = external.none()
    elif what.startswith(EXT_PREFIX):
        issued = issued.none()
        external = external.filter(name=what[len(EXT_PREFIX) :])
    if period:
        issued = issued.filter(assessment_period=period)
        external = external.filter(assessment_period=period)
    code = school_class.code
    rows = [
        RosterRow(
            code,
            c.person.name,
            c.certificate.name,
            c.get_level_display(),
            c.assessment_period,
            c.issued_on,
            c.collected_by,
            c.person_id,
        )
        for c in issued.select_related("person", "certificate")
    ]
    rows += [
        RosterRow(code, c.person.name, c.name, c.level, c.assessment_period, c.issued_on, c.collected_by, c.person_id)
        for c in external.select_related("person")
    ]
    rows.sort(key=lambda r: (r.name, r.person_id, r.certificate, r.issued_on or date.min))
    return rows


def roster_title(*, school_class: SchoolClass, rows: list[RosterRow], period: str = "") -> str:
    """E.g. "数控技术应用专业2022年20数控1班考证签领名单"."""
    year = None
    match = re.match(r"(\d{4})", period or "")
    if match:
        year = int(match.group(1))
    elif rows:
        years = [int(m.group(1)) for r in rows if (m := re.match(r"(\d{4})", r.period))]
        years += [r.issued_on.year for r in rows if not r.period and r.issued_on]
        year = max(years) if years else None
    major = _("%(major)s专业") % {"major": school_class.major.name} if school_class.major else ""
    when = _("%(year)s年") % {"year": year} if year else ""
    return _("%(major)s%(year)s%(code)s班考证签领名单") % {"major": major, "year": when, "code": school_class.code}


def roster_subject(*, what: str, choices: dict[str, list[tuple[str, str]]]) -> str:
    return dict(choices["certificates"]).get(what, "") if what else ""

"""Reads of the collection roster (考证签领名单): the one way to say which certificates a roster holds.

A roster is a class's certificates, 1+X and external alike, narrowed by ``what`` (one 1+X
certificate "cert:<id>", one external certificate by name "ext:<name>", or empty for all) and an
assessment period. ``narrow`` applies that choice wherever it is made: the roster's rows (PDF and
.xlsx), the class's collection for one certificate, and the specs of the ZIP of many rosters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from exam_sites.models import Batch
from students.models import SchoolClass

from ..models import ExternalCertificate, IssuedCertificate

VALID = IssuedCertificate.Status.VALID
CERT_PREFIX = "cert:"
EXT_PREFIX = "ext:"

Pair = tuple[QuerySet[IssuedCertificate], QuerySet[ExternalCertificate]]


def class_certificates(school_class: SchoolClass) -> Pair:
    """The class's valid 1+X certificates and its external certificates."""
    return (
        IssuedCertificate.objects.filter(person__school_class=school_class, status=VALID),
        ExternalCertificate.objects.filter(person__school_class=school_class),
    )


def narrow(pair: Pair, *, what: str = "", period: str = "") -> Pair:
    """Keep only the certificates a roster's ``what`` and ``period`` name."""
    issued, external = pair
    if what.startswith(CERT_PREFIX):
        issued, external = issued.filter(certificate_id=int(what[len(CERT_PREFIX) :])), external.none()
    elif what.startswith(EXT_PREFIX):
        issued, external = issued.none(), external.filter(name=what[len(EXT_PREFIX) :])
    if period:
        issued, external = issued.filter(assessment_period=period), external.filter(assessment_period=period)
    return issued, external


def roster_choices(*, school_class: SchoolClass) -> dict[str, list[tuple[str, str]]]:
    """What a roster of this class can be made for: its certificates and assessment periods."""
    issued, external = class_certificates(school_class)
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
    issued, external = narrow(class_certificates(school_class), what=what, period=period)
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


def roster_document(*, class_id: int, what: str = "", period: str = "") -> dict:
    """The roster's context (shared by the PDF and the .xlsx)."""
    school_class = SchoolClass.objects.select_related("major").get(pk=class_id)
    rows = roster_rows(school_class=school_class, what=what, period=period)
    choices = roster_choices(school_class=school_class)
    return {
        "school_class": school_class,
        "title": roster_title(school_class=school_class, rows=rows, period=period),
        "subject": dict(choices["certificates"]).get(what, "") if what else "",
        "period": period,
        "rows": rows,
    }


# --- many rosters in one ZIP ---------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RosterSpec:
    class_id: int
    what: str  # "cert:<id>" or "ext:<name>", as the roster form names it
    period: str
    label: str  # the certificate's name, for the file name


def _specs(issued: QuerySet[IssuedCertificate], external: QuerySet[ExternalCertificate]) -> list[RosterSpec]:
    """One roster per class, certificate and assessment period of these certificates."""
    issued_rows = (
        issued.filter(person__school_class__isnull=False)
        .order_by()
        .values_list("person__school_class_id", "certificate_id", "certificate__name", "assessment_period")
        .distinct()
    )
    external_rows = (
        external.filter(person__school_class__isnull=False)
        .order_by()
        .values_list("person__school_class_id", "name", "assessment_period")
        .distinct()
    )
    specs = {RosterSpec(c, f"{CERT_PREFIX}{cert}", period, name) for c, cert, name, period in issued_rows}
    specs |= {RosterSpec(c, f"{EXT_PREFIX}{name}", period, name) for c, name, period in external_rows}
    return sorted(specs)


def roster_specs_for_batch(*, batch_id: int) -> list[RosterSpec]:
    """One roster per class and assessment period of the batch's valid certificates."""
    issued = IssuedCertificate.objects.filter(result__sheet__batch_id=batch_id, status=VALID)
    return _specs(issued, ExternalCertificate.objects.none())


def roster_specs_for_year(*, year: int) -> list[RosterSpec]:
    """One roster per class, certificate and assessment period of the certificates issued in ``year``
    (1+X certificates and external skill certificates alike)."""
    issued = IssuedCertificate.objects.filter(issued_on__year=year, status=VALID)
    return _specs(issued, ExternalCertificate.objects.filter(issued_on__year=year))


def roster_zip_batches() -> QuerySet[Batch]:
    """The active school's batches that have valid certificates (their rosters can be packed)."""
    return (
        Batch.objects.filter(result_sheet__results__certificates__status=VALID)
        .select_related("pilot__certificate")
        .distinct()
        .order_by("-created_at", "-id")
    )


def roster_zip_years() -> list[int]:
    dates = IssuedCertificate.objects.filter(status=VALID).dates("issued_on", "year")
    return sorted({d.year for d in dates}, reverse=True)

"""Reads of collection (签领): a person's and a class's certificates, 1+X and external.

Every query goes through the scoped managers; an organisation never sees a school's external
certificates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from students.models import Person, SchoolClass

from ..models import ExternalCertificate, IssuedCertificate, Result
from .issuance import eligible_results

VALID = IssuedCertificate.Status.VALID


def external_get(*, external_id: int) -> ExternalCertificate:
    return get_object_or_404(ExternalCertificate.objects.select_related("person"), pk=external_id)


def external_certificates() -> QuerySet[ExternalCertificate]:
    return ExternalCertificate.objects.select_related("person", "person__school_class").order_by(
        "person__school_class__code", "person__name", "issued_on", "id"
    )


def person_certificates(*, person: Person) -> dict:
    """All certificates of a person: 1+X and external, and passed results still without a certificate."""
    issued = (
        IssuedCertificate.objects.filter(person=person)
        .select_related("certificate", "replaces")
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

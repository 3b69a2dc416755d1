"""Reads of the person registry and enrolments.

ID numbers are looked up here and only here (``person_by_id_number``, ``persons_by_id_numbers``):
an exact match, so that the column can later be encrypted (with a blind index) without touching
any caller.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.audit import Line, history
from pilots.models import Pilot

from .models import Enrolment, Major, Person, SchoolClass
from .validators import normalise_id_number


def persons_by_id_numbers(id_numbers: Iterable[str]) -> dict[str, Person]:
    """The active school's people whose ID number is one of these (exact), by ID number."""
    wanted = {normalise_id_number(v) for v in id_numbers if v}
    if not wanted:
        return {}
    return {p.id_number: p for p in Person.objects.filter(id_number__in=wanted)}


def person_by_id_number(id_number: str) -> Person | None:
    """The active school's person with exactly this ID number, or None."""
    return persons_by_id_numbers([id_number]).get(normalise_id_number(id_number))


def persons_search(
    *, name: str = "", school_class_id: int | None = None, id_number: str = "", kind: str = ""
) -> QuerySet[Person]:
    """People of the active school by name (contains), class, or exact ID number."""
    qs = Person.objects.select_related("school_class", "major")
    if id_number:
        found = person_by_id_number(id_number)
        qs = qs.filter(pk=found.pk) if found else qs.none()
    if name:
        qs = qs.filter(name__contains=name.strip())
    if school_class_id:
        qs = qs.filter(school_class_id=school_class_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("school_class__code", "name", "id")


def person_get(*, person_id: int) -> Person:
    return get_object_or_404(Person.objects.select_related("school_class", "major"), pk=person_id)


def person_history(*, person: Person) -> list[Line]:
    """The person's registration and changes from the audit log, newest first."""
    return history(person, newest_first=True)


def majors() -> QuerySet[Major]:
    return Major.objects.order_by("name")


def school_classes() -> QuerySet[SchoolClass]:
    return (
        SchoolClass.objects.select_related("major").annotate(size=Count("people")).order_by("-enrolment_year", "code")
    )


def enrolment_pilot(*, pilot_id: int) -> Pilot:
    """The pilot of an enrolment page, or 404 (scoped)."""
    return get_object_or_404(
        Pilot.objects.select_related("school", "certificate").annotate(enrolled=Count("enrolments")), pk=pilot_id
    )


def enrolments_of(*, pilot_id: int | None = None, name: str = "") -> QuerySet[Enrolment]:
    qs = Enrolment.objects.select_related(
        "person", "person__school_class", "pilot", "pilot__certificate", "pilot__school"
    )
    if pilot_id:
        qs = qs.filter(pilot_id=pilot_id)
    if name:
        qs = qs.filter(Q(person__name__contains=name.strip()))
    return qs.order_by("person__school_class__code", "person__name", "id")

"""Writes of the person registry, classes and enrolments, and the rules they share with the importers.

``person_rules`` checks a person's fields and ``enrolment_quota_check`` is the one quota rule: the
form path (``person_create``, ``person_update``, ``enrolment_create``…) and the spreadsheet
importers (``students/spreadsheets/``) both call them. Editing a person writes its history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import School, User
from core.audit import record
from pilots.models import Cohort, Pilot

from .history import person_changes, person_values
from .models import Enrolment, Major, Person, PersonKind, SchoolClass
from .validators import normalise_id_number, normalise_phone, validate_id_number, validate_phone

COHORT_OF_KIND = {PersonKind.STUDENT: Cohort.STUDENTS, PersonKind.TRAINEE: Cohort.SOCIAL}
# The fields a school edits (the form's, and what the history compares).
PERSON_FIELDS = (
    "kind",
    "name",
    "gender",
    "id_number",
    "school_class",
    "major",
    "enrolment_year",
    "expected_graduation_year",
    "employer",
    "phone",
    "notes",
)
RULE_FIELDS = ("kind", "id_number", "phone", "enrolment_year", "expected_graduation_year")
YEARS = (1950, 2100)


def major_create(*, school: School, name: str) -> Major:
    major = Major(school=school, name=name.strip())
    major.full_clean()
    major.save()
    return major


def school_class_create(
    *, school: School, code: str, major: Major | None = None, enrolment_year: int | None = None
) -> SchoolClass:
    school_class = SchoolClass(school=school, code=code.strip(), major=major, enrolment_year=enrolment_year)
    school_class.full_clean()
    school_class.save()
    return school_class


def person_rules(values: dict[str, Any]) -> dict[str, list[str]]:
    """The checks of a person's fields, shared by the form and service path and the importers.

    Normalises ``id_number`` and ``phone`` in ``values`` in place; returns field -> messages (empty
    when all is well). Checks only the keys present, so an importer passes the columns it has.
    """
    errors: dict[str, list[str]] = {}
    kind = values.get("kind")
    if "id_number" in values:
        values["id_number"] = normalise_id_number(values["id_number"] or "")
        _check(validate_id_number, values["id_number"], "id_number", errors)
    if values.get("phone"):
        values["phone"] = normalise_phone(values["phone"])
        _check(validate_phone, values["phone"], "phone", errors)
    elif kind == PersonKind.TRAINEE and "phone" in values:
        errors["phone"] = [_("社会学员须填写电话。")]
    if kind == PersonKind.TRAINEE:  # school years are a student's only
        return errors
    start, end = values.get("enrolment_year"), values.get("expected_graduation_year")
    for field, year in (("enrolment_year", start), ("expected_graduation_year", end)):
        if year is not None and not YEARS[0] <= year <= YEARS[1]:
            errors.setdefault(field, []).append(_("年份不合理。"))
    if start and end and end < start:
        errors.setdefault("expected_graduation_year", []).append(_("预计毕业年份不能早于入学年份。"))
    return errors


def _check(validator, value: str, field: str, errors: dict[str, list[str]]) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


def person_fit_kind(person: Person) -> None:
    """Keep only the fields of the person's kind: a student has no employer (and takes its class's
    major when it has none); a trainee has no class, major or school years."""
    if person.kind == PersonKind.STUDENT:
        person.employer = ""
        if person.school_class_id and not person.major_id and person.school_class.major_id:
            person.major_id = person.school_class.major_id
    else:
        person.school_class = None
        person.major = None
        person.enrolment_year = None
        person.expected_graduation_year = None


def _clean_person(person: Person) -> None:
    person_fit_kind(person)
    values = {field: getattr(person, field) for field in RULE_FIELDS}
    errors = person_rules(values)
    if errors:
        raise ValidationError(errors)
    person.id_number, person.phone = values["id_number"], values["phone"]
    person.full_clean()


def person_create(*, school: School, actor: User | None = None, **fields) -> Person:
    """Register a person; the first line of its history says who did."""
    person = Person(school=school, **fields)
    _clean_person(person)
    try:
        with transaction.atomic():
            person.save()
            record(person, "students.person.created", actor=actor, data={"kind": person.kind, "source": "form"})
    except IntegrityError as exc:  # the (school, id_number) constraint, under a race
        raise ValidationError(_("本校已登记该身份证号。")) from exc
    return person


@transaction.atomic
def person_update(*, person: Person, actor: User | None = None, **fields) -> Person:
    """Change a person's details; a change writes a line of its history (ID number and phone masked).

    ``person`` may carry a form's unsaved input: the values before are read from the stored row.
    """
    stored = Person.objects.select_for_update(of=("self",)).select_related("school_class", "major").get(pk=person.pk)
    names = [f for f in PERSON_FIELDS if f in fields] or list(PERSON_FIELDS)
    before = person_values(stored, names)
    for name, value in fields.items():
        setattr(stored, name, value)
    _clean_person(stored)
    stored.save()
    data = person_changes(before, person_values(stored, names))
    if data:
        record(stored, "students.person.updated", actor=actor, data=data)
    return stored


def enrolment_open_check(pilot: Pilot) -> None:
    """Only an approved or running pilot takes enrolments."""
    if not pilot.is_open_for_enrolment:
        raise ValidationError(
            _("试点状态为“%(status)s”，只有已批准或实施中的试点可以报名。") % {"status": pilot.get_status_display()}
        )


def enrolment_cohort_error(pilot: Pilot, person: Person) -> str | None:
    """Why this person may not join this pilot's cohort (students / social trainees), or None."""
    if COHORT_OF_KIND[person.kind] == pilot.cohort:
        return None
    return _("%(name)s 是%(kind)s，不能报名试点对象为“%(cohort)s”的试点。") % {
        "name": person.name,
        "kind": person.get_kind_display(),
        "cohort": pilot.get_cohort_display(),
    }


def enrolment_newcomers(pilot: Pilot, persons: list[Person]) -> list[Person]:
    """The people not yet enrolled in the pilot (each once)."""
    unique = {p.pk: p for p in persons}
    already = set(Enrolment.objects.filter(pilot=pilot, person__in=list(unique)).values_list("person_id", flat=True))
    return [p for pk, p in unique.items() if pk not in already]


def enrolment_quota_check(pilot: Pilot, need: int, *, one: bool = False) -> None:
    """The one quota rule: ``need`` new enrolments must fit the places left (the quota less the
    people enrolled). ``one``: the refusal of a single enrolment says the pilot is full."""
    left = max((pilot.quota or 0) - Enrolment.objects.filter(pilot=pilot).count(), 0)
    if need <= left:
        return
    if one:
        raise ValidationError(_("名额已满：该试点的 %(n)s 个名额已全部报满。") % {"n": pilot.quota or 0})
    raise ValidationError(
        _("名额不足：需要 %(need)s 个名额，试点仅剩 %(left)s 个，未报名任何人。") % {"need": need, "left": left}
    )


def _check_can_enrol(pilot: Pilot, person: Person) -> None:
    if person.school_id != pilot.school_id:
        raise ValidationError(_("只能为本校学员报名。"))
    enrolment_open_check(pilot)
    error = enrolment_cohort_error(pilot, person)
    if error:
        raise ValidationError(error)


def _lock_pilot(pilot_id: int) -> Pilot:
    # The race this stops: two enrolments counting the same free place at once. Every enrolment
    # into a pilot first locks its row, so counting and inserting happen one pilot at a time.
    return Pilot.objects.select_for_update(of=("self",)).get(pk=pilot_id)


def enrolments_create(
    *, pilot_id: int, persons: list[Person], actor: User | None = None, actor_id: int | None = None
) -> int:
    """Enrol several people at once, all or none: returns how many were newly enrolled (people
    already enrolled are skipped). Refuses the whole set when it does not fit the quota."""
    with transaction.atomic():
        pilot = _lock_pilot(pilot_id)
        for person in persons:
            _check_can_enrol(pilot, person)
        new = enrolment_newcomers(pilot, persons)
        enrolment_quota_check(pilot, len(new))
        Enrolment.objects.bulk_create(
            [Enrolment(pilot=pilot, person=p, created_by_id=actor.pk if actor else actor_id) for p in new]
        )
    return len(new)


def enrolment_create(*, pilot_id: int, person: Person, actor: User | None) -> Enrolment:
    """Enrol one person; never beyond the quota, never twice."""
    with transaction.atomic():
        pilot = _lock_pilot(pilot_id)
        _check_can_enrol(pilot, person)
        if not enrolment_newcomers(pilot, [person]):
            raise ValidationError(_("%(name)s 已报名该试点。") % {"name": person.name})
        enrolment_quota_check(pilot, 1, one=True)
        return Enrolment.objects.create(pilot=pilot, person=person, created_by=actor)


def enrolment_create_for_class(*, pilot_id: int, school_class: SchoolClass, actor: User | None) -> int:
    """Enrol a whole class; a class that does not fit enrols nobody (the message says how many
    places are left)."""
    members = list(Person.objects.filter(school_class=school_class))
    if not members:
        raise ValidationError(_("该班级没有学员。"))
    return enrolments_create(pilot_id=pilot_id, persons=members, actor=actor)


def enrolment_delete(*, enrolment: Enrolment) -> None:
    if not enrolment.pilot.is_open_for_enrolment:
        raise ValidationError(_("试点已结束或未批准，不能取消报名。"))
    enrolment.delete()

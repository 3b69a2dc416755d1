"""Writes of the person registry and enrolments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import School, User
from pilots.models import Cohort, Pilot

from .models import Enrolment, Major, Person, PersonKind, SchoolClass
from .validators import normalise_id_number, normalise_phone

STUDENT_FIELDS = ("school_class", "major", "enrolment_year", "expected_graduation_year")
TRAINEE_FIELDS = ("employer", "phone")
COHORT_OF_KIND = {PersonKind.STUDENT: Cohort.STUDENTS, PersonKind.TRAINEE: Cohort.SOCIAL}


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


def _clean_person(person: Person) -> None:
    person.id_number = normalise_id_number(person.id_number)
    person.phone = normalise_phone(person.phone)
    if person.kind == PersonKind.STUDENT:
        person.employer = ""
        if person.school_class_id and not person.major_id and person.school_class.major_id:
            person.major_id = person.school_class.major_id
    else:
        person.school_class = None
        person.major = None
        person.enrolment_year = None
        person.expected_graduation_year = None
    person.full_clean()


def person_create(*, school: School, **fields) -> Person:
    person = Person(school=school, **fields)
    _clean_person(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # the (school, id_number) constraint, under a race
        raise ValidationError(_("本校已登记该身份证号。")) from exc
    return person


def person_update(*, person: Person, **fields) -> Person:
    for name, value in fields.items():
        setattr(person, name, value)
    _clean_person(person)
    person.save()
    return person


def _check_can_enrol(pilot: Pilot, person: Person) -> None:
    if not pilot.is_open_for_enrolment:
        raise ValidationError(
            _("试点状态为“%(status)s”，只有已批准或实施中的试点可以报名。") % {"status": pilot.get_status_display()}
        )
    if COHORT_OF_KIND[person.kind] != pilot.cohort:
        raise ValidationError(
            _("%(name)s 是%(kind)s，不能报名试点对象为“%(cohort)s”的试点。")
            % {"name": person.name, "kind": person.get_kind_display(), "cohort": pilot.get_cohort_display()}
        )


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
            if person.school_id != pilot.school_id:
                raise ValidationError(_("只能为本校学员报名。"))
            _check_can_enrol(pilot, person)
        already = set(
            Enrolment.objects.filter(pilot=pilot, person__in=[p.pk for p in persons]).values_list(
                "person_id", flat=True
            )
        )
        new = [p for p in {p.pk: p for p in persons}.values() if p.pk not in already]
        enrolled = Enrolment.objects.filter(pilot=pilot).count()
        remaining = max((pilot.quota or 0) - enrolled, 0)
        if len(new) > remaining:
            raise ValidationError(
                _("名额不足：需要 %(need)s 个名额，试点仅剩 %(left)s 个，未报名任何人。")
                % {"need": len(new), "left": remaining}
            )
        Enrolment.objects.bulk_create(
            [Enrolment(pilot=pilot, person=p, created_by_id=actor.pk if actor else actor_id) for p in new]
        )
    return len(new)


def enrolment_create(*, pilot_id: int, person: Person, actor: User | None) -> Enrolment:
    """Enrol one person; never beyond the quota, never twice."""
    with transaction.atomic():
        pilot = _lock_pilot(pilot_id)
        if person.school_id != pilot.school_id:
            raise ValidationError(_("只能为本校学员报名。"))
        _check_can_enrol(pilot, person)
        if Enrolment.objects.filter(pilot=pilot, person=person).exists():
            raise ValidationError(_("%(name)s 已报名该试点。") % {"name": person.name})
        if Enrolment.objects.filter(pilot=pilot).count() >= (pilot.quota or 0):
            raise ValidationError(_("名额已满：该试点的 %(n)s 个名额已全部报满。") % {"n": pilot.quota or 0})
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

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import School
from accounts.roles import Role
from core.scoping import SCHOOL, TenantRef, tenant_scope
from pilots.models import Level, Pilot, PilotStatus
from students.models import Enrolment, Person, PersonKind, SchoolClass
from students.services import enrolment_create, enrolment_create_for_class
from tests.concurrency import at_once, needs_row_locks
from tests.worlds.students import make_id_number

pytestmark = pytest.mark.django_db


def make_pilot(side, *, quota=10, status=PilotStatus.APPROVED, cohort="students", level=Level.ADVANCED):
    with scopes_disabled():
        return Pilot.objects.create(
            school=side.school,
            certificate=side.certificate,
            level=level,
            year=2025,
            cohort=cohort,
            requested_quota=max(quota or 1, 1),
            quota=quota if status != PilotStatus.APPLIED else None,
            status=status,
        )


def make_class(side, code, size, *, serial=500):
    with scopes_disabled():
        school_class = SchoolClass.objects.create(school=side.school, code=code)
        people = [
            Person.objects.create(
                school=side.school,
                kind=PersonKind.STUDENT,
                name=f"{code}学生{i}",
                id_number=make_id_number(serial + i, birth="20060101"),
                school_class=school_class,
            )
            for i in range(size)
        ]
    return school_class, people


@pytest.fixture
def school_a(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        yield world.a


def test_it_enrols_one_person_once(school_a):
    pilot = make_pilot(school_a)
    person = school_a.objects["person"]
    enrolment_create(pilot_id=pilot.pk, person=person, actor=None)
    with pytest.raises(ValidationError, match="已报名"):
        enrolment_create(pilot_id=pilot.pk, person=person, actor=None)


def test_it_refuses_enrolment_in_an_unapproved_pilot(school_a):
    pilot = make_pilot(school_a, status=PilotStatus.APPLIED)
    with pytest.raises(ValidationError, match="只有已批准或实施中"):
        enrolment_create(pilot_id=pilot.pk, person=school_a.objects["person"], actor=None)


def test_a_student_cannot_join_a_trainee_pilot_nor_a_trainee_a_student_pilot(school_a):
    social = make_pilot(school_a, cohort="social")
    with pytest.raises(ValidationError, match="不能报名"):
        enrolment_create(pilot_id=social.pk, person=school_a.objects["person"], actor=None)
    students = make_pilot(school_a, level=Level.INTERMEDIATE)
    with pytest.raises(ValidationError, match="不能报名"):
        enrolment_create(pilot_id=students.pk, person=school_a.objects["trainee"], actor=None)
    enrolment_create(pilot_id=social.pk, person=school_a.objects["trainee"], actor=None)


def test_it_refuses_enrolment_beyond_quota(school_a):
    pilot = make_pilot(school_a, quota=2)
    _cls, people = make_class(school_a, "21机电1", 3)
    enrolment_create(pilot_id=pilot.pk, person=people[0], actor=None)
    enrolment_create(pilot_id=pilot.pk, person=people[1], actor=None)
    with pytest.raises(ValidationError, match="名额已满"):
        enrolment_create(pilot_id=pilot.pk, person=people[2], actor=None)
    assert Enrolment.objects.filter(pilot=pilot).count() == 2


def test_a_class_that_does_not_fit_enrols_nobody_and_says_how_many_places_are_left(school_a):
    pilot = make_pilot(school_a, quota=5)
    enrolment_create(pilot_id=pilot.pk, person=school_a.objects["person"], actor=None)
    school_class, _people = make_class(school_a, "21机电2", 6)
    with pytest.raises(ValidationError, match="仅剩 4 个"):
        enrolment_create_for_class(pilot_id=pilot.pk, school_class=school_class, actor=None)
    assert Enrolment.objects.filter(pilot=pilot).count() == 1
    small, _ = make_class(school_a, "21机电3", 4, serial=600)
    assert enrolment_create_for_class(pilot_id=pilot.pk, school_class=small, actor=None) == 4
    assert Enrolment.objects.filter(pilot=pilot).count() == 5


def test_the_enrolment_page_enrols_a_class_and_shows_the_count(world, client):
    pilot = make_pilot(world.a, quota=10)
    school_class, _ = make_class(world.a, "21机电4", 3, serial=700)
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("students:enrol_class", args=[pilot.pk])
    assert client.post(url, {"school_class": school_class.pk}).status_code == 302
    page = client.get(reverse("students:enrolment_list", args=[pilot.pk])).content.decode()
    assert 'data-testid="enrolled-count">3<' in page
    response = client.post(reverse("students:enrol_person", args=[pilot.pk]), {"id_number": "110105194912310021"})
    assert response.status_code == 400 and "没有登记" in response.content.decode()
    # a class of the other school cannot be chosen
    other = world.b.objects["school_class"]
    assert client.post(url, {"school_class": other.pk}).status_code == 400
    client.force_login(world.a.user(Role.REVIEWER))
    page = client.get(reverse("students:enrolment_list", args=[pilot.pk])).content.decode()
    assert "21机电4学生0" in page and "整班报名" not in page


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_exceed_the_quota(transactional_db):
    with scopes_disabled():
        from accounts.models import Organisation
        from pilots.models import Certificate

        org = Organisation.objects.create(name="并发组织")
        certificate = Certificate.objects.create(code="CONC", name="并发证书", organisation=org)
        school = School.objects.create(name="并发学校")
        pilot = Pilot.objects.create(
            school=school,
            certificate=certificate,
            level=Level.ELEMENTARY,
            year=2025,
            requested_quota=10,
            quota=10,
            status=PilotStatus.APPROVED,
        )
        people = [
            Person.objects.create(school=school, name=f"并发{i}", id_number=make_id_number(800 + i, birth="20060101"))
            for i in range(20)
        ]

    def enrol(person):
        enrolment_create(pilot_id=pilot.pk, person=person, actor=None)
        return "ok"

    outcomes = at_once(enrol, people, lambda: tenant_scope(TenantRef(SCHOOL, school.pk)))
    assert outcomes.count("ok") == 10
    assert all("名额已满" in o for o in outcomes if o != "ok"), outcomes
    with scopes_disabled():
        assert Enrolment.objects.filter(pilot=pilot).count() == 10

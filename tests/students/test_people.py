import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from core.audit import entries_for, history
from core.masking import mask_id_number, mask_phone
from core.models import Job
from core.scoping import SCHOOL, TenantRef, tenant_scope
from students.models import Person, PersonKind
from students.selectors import person_by_id_number, persons_search
from students.services import person_create
from students.validators import validate_id_number, validate_phone
from tests.worlds.students import make_id_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x", make_id_number(7)])
def test_valid_id_numbers_pass(value):
    validate_id_number(value)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("11010519491231002", "18 位"),
        ("110105194912310021", "校验位"),  # wrong check digit
        ("1101051949123100AX", "前 17 位"),
        ("110105194902300021", "出生日期"),  # 30 February
        ("110105230001010010", "出生日期"),  # born in the future (year 2300)
        ("440524188001010014", "出生日期"),  # more than 100 years old
        ("011105194912310021", "前 17 位"),  # no region starts with 0
    ],
)
def test_invalid_id_numbers_are_refused_with_a_reason(value, why):
    with pytest.raises(ValidationError, match=why):
        validate_id_number(value)


@pytest.mark.parametrize("value", ["13812345678", "19900001111", "020-12345678", "0755-1234567", "01012345678"])
def test_valid_phones_pass(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "12345678", "abc", "+86 138"])
def test_invalid_phones_are_refused(value):
    with pytest.raises(ValidationError):
        validate_phone(value)


def test_masks_keep_only_the_ends():
    assert mask_id_number("441202200501011234") == "4412**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("020-12345678") == "020-****5678"
    assert mask_id_number("") == "" and mask_phone(None) == ""


def test_the_same_id_number_cannot_be_registered_twice_in_a_school(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)), pytest.raises(ValidationError):
        person_create(
            school=world.a.school, kind=PersonKind.STUDENT, name="重复", id_number=world.a.objects["person"].id_number
        )


def test_search_by_name_class_or_exact_id_number(world):
    person = world.a.objects["person"]
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        assert person_by_id_number(person.id_number.lower()) == person
        assert person_by_id_number(person.id_number[:17]) is None
        assert list(persons_search(id_number=person.id_number)) == [person]
        assert list(persons_search(id_number=person.id_number[:10])) == []
        assert person in persons_search(name="学生")
        assert list(persons_search(school_class_id=world.a.objects["school_class"].pk)) == [person]
        # the other school's person is not found even by its exact number
        assert person_by_id_number(world.b.objects["person"].id_number) is None


def test_lists_show_id_numbers_and_phones_masked_and_only_the_edit_form_shows_them(world, client):
    person, trainee = world.a.objects["person"], world.a.objects["trainee"]
    for role in (Role.SCHOOL_ADMIN, Role.TEACHER):
        client.force_login(world.a.user(role))
        page = client.get(reverse("students:person_list")).content.decode()
        assert person.id_number not in page and mask_id_number(person.id_number) in page
        assert trainee.phone not in page and mask_phone(trainee.phone) in page
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    form = client.get(reverse("students:person_edit", args=[person.pk])).content.decode()
    assert person.id_number in form


def test_teachers_see_students_read_only(world, client):
    client.force_login(world.a.user(Role.TEACHER))
    page = client.get(reverse("students:person_list")).content.decode()
    assert "学生a" in page and reverse("students:person_edit", args=[world.a.objects["person"].pk]) not in page
    assert client.get(reverse("students:person_edit", args=[world.a.objects["person"].pk])).status_code == 403
    assert client.post(reverse("students:person_create"), {}).status_code == 403


def test_a_school_admin_registers_a_trainee_with_validated_fields(world, client):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    data = {"kind": "trainee", "name": "王五", "id_number": "110105194912310021", "phone": "1381234"}
    response = client.post(reverse("students:person_create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "校验位" in body and "电话须为" in body
    data.update(id_number="11010519491231002x", phone="138 1234 5678", employer="示例公司")
    assert client.post(reverse("students:person_create"), data).status_code == 302
    person = Person._base_manager.get(school=world.a.school, name="王五")
    assert (person.id_number, person.phone) == ("11010519491231002X", "13812345678")


def test_the_people_export_is_masked(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.a.user(Role.TEACHER))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("students:person_export")).status_code == 302
    job = Job._base_manager.filter(owner=world.a.user(Role.TEACHER), kind="export").latest("id")
    with job.result.file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(values_only=True))
    cells = {str(c) for row in rows for c in row}
    person, trainee = world.a.objects["person"], world.a.objects["trainee"]
    assert mask_id_number(person.id_number) in cells and person.id_number not in cells
    assert mask_phone(trainee.phone) in cells and trainee.phone not in cells
    assert not any(world.b.marker in c for c in cells)


def person_form_data(person, **changes):
    data = {
        "kind": person.kind,
        "name": person.name,
        "gender": person.gender,
        "id_number": person.id_number,
        "school_class": person.school_class_id or "",
        "major": person.major_id or "",
        "enrolment_year": person.enrolment_year or "",
        "expected_graduation_year": person.expected_graduation_year or "",
        "employer": person.employer,
        "phone": person.phone,
        "notes": person.notes,
    }
    data.update(changes)
    return data


def test_editing_a_person_leaves_a_trace_with_numbers_masked(world, client):
    trainee = world.a.objects["trainee"]
    new_id = make_id_number(321, birth="19900101")
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("students:person_edit", args=[trainee.pk])
    data = person_form_data(trainee, name="学员改", phone="13912345678", id_number=new_id, gender="female")
    assert client.post(url, data).status_code == 302
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        entry = entries_for(trainee).latest("id")
    assert (entry.action, entry.actor) == ("students.person.updated", world.a.user(Role.SCHOOL_ADMIN))
    assert entry.data["fields"] == ["name", "gender", "id_number", "phone"]
    assert entry.data["changes"]["name"] == {"before": "学员a", "after": "学员改"}
    assert entry.data["changes"]["phone"] == {"after": "139****5678"}
    assert entry.data["changes"]["id_number"] == {"after": mask_id_number(new_id)}
    stored = json.dumps(entry.data)
    assert all(number not in stored for number in (new_id, trainee.id_number, "13912345678", trainee.phone))
    page = client.get(url).content.decode()
    history = page.split('data-testid="history"')[1]
    assert "编辑学员" in history and "姓名：学员a → 学员改" in history and "性别：— → 女" in history
    assert "电话：改为 139****5678" in history and "13912345678" not in history
    # saving again without a change writes nothing more
    assert client.post(url, data).status_code == 302
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        assert entries_for(trainee).latest("id") == entry


def test_registering_a_person_starts_its_history(world, client):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    data = {"kind": "student", "name": "新生", "id_number": make_id_number(322), "enrolment_year": 2024}
    assert client.post(reverse("students:person_create"), data).status_code == 302
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        person = Person.objects.get(name="新生")
        lines = history(person)
    assert [(line.label, line.detail, line.actor) for line in lines] == [
        ("登记学员", "学生", world.a.user(Role.SCHOOL_ADMIN))
    ]


def test_the_form_and_the_service_share_the_importers_rules(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        with pytest.raises(ValidationError) as refused:
            person_create(
                school=world.a.school,
                kind=PersonKind.STUDENT,
                name="年份",
                id_number=make_id_number(323),
                enrolment_year=2024,
                expected_graduation_year=2021,
            )
        assert refused.value.message_dict == {"expected_graduation_year": ["预计毕业年份不能早于入学年份。"]}
        with pytest.raises(ValidationError, match="社会学员须填写电话"):
            person_create(school=world.a.school, kind=PersonKind.TRAINEE, name="无电话", id_number=make_id_number(324))

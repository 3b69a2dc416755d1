import pytest
from django.urls import reverse

from accounts.models import School, User
from accounts.roles import Role
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

HOMES = {
    Role.SCHOOL_ADMIN: "学校工作台",
    Role.TEACHER: "教师工作台",
    Role.REVIEWER: "培训评价组织工作台",
}


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_own_home(client, world, role):
    client.force_login(world.a.user(role))
    page = client.get(reverse("home")).content.decode()
    assert HOMES[role] in page


def test_the_platform_admin_home_and_navigation(client, world):
    client.force_login(world.platform_admin)
    page = client.get(reverse("home")).content.decode()
    assert "平台管理" in page
    assert reverse("admin:index") in page


def test_navigation_shows_only_the_roles_sections(client, world):
    client.force_login(world.a.user(Role.REVIEWER))
    page = client.get(reverse("home")).content.decode()
    assert reverse("accounts:school") not in page
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    assert reverse("accounts:school") in client.get(reverse("home")).content.decode()


def test_logout_is_a_post(client, world):
    client.force_login(world.a.user(Role.TEACHER))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, world):
    user = User.objects.get(pk=world.a.user(Role.TEACHER).pk)  # a copy: the world is shared
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Another-pass-456", "new_password2": "Another-pass-456"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-pass-456")


def test_login_is_throttled_with_a_cool_off(client, world, settings):
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "a_teacher", "password": "wrong"})
    response = client.post(url, {"username": "a_teacher", "password": PASSWORD})
    assert response.status_code == 429
    assert "15 分钟后再试" in response.content.decode()
    assert settings.AXES_COOLOFF_TIME  # a cool-off, never a permanent lock
    # Another user at the same school (same address) can still log in.
    assert client.post(url, {"username": "a_admin", "password": PASSWORD}).status_code == 302


def test_login_through_the_form(client, world):
    response = client.post(reverse("accounts:login"), {"username": "a_admin", "password": PASSWORD})
    assert response.status_code == 302
    assert "学校工作台" in client.get(reverse("home")).content.decode()


def test_a_teacher_reads_the_school_but_cannot_edit_it(client, world):
    client.force_login(world.a.user(Role.TEACHER))
    page = client.get(reverse("accounts:school")).content.decode()
    assert world.a.school.name in page
    assert reverse("accounts:school_edit") not in page
    assert client.post(reverse("accounts:school_edit"), {"name": "x"}).status_code == 403


def test_school_admin_edits_the_school(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    data = {"name": world.a.school.name, "address": "新地址 9 号", "kind": "public_secondary", "profile": "简介"}
    assert client.post(reverse("accounts:school_edit"), data).status_code == 302
    assert School.objects.get(pk=world.a.school.pk).address == "新地址 9 号"


def test_a_qualification_names_only_staff_of_the_school(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    response = client.post(
        reverse("accounts:staff_create"),
        {
            "user": world.b.user(Role.TEACHER).pk,
            "kind": "assessor",
            "certificate": world.a.certificate.pk,
            "obtained_on": "2023-06-01",
        },
    )
    assert response.status_code == 400

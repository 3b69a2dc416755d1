"""The check log: the school and the organisation see the checks of their own certificates only."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from certificates.models import VerificationLog

pytestmark = pytest.mark.django_db
URL = reverse("certificates:verification_log")


@pytest.fixture
def checks(world):
    with scopes_disabled():
        for side in world.sides():
            VerificationLog.objects.create(certificate=side.objects["issued_certificate"], found=False, via_token=True)
        VerificationLog.objects.create(certificate=None, found=False, client_hash="orphan")


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.REVIEWER])
def test_the_school_and_the_organisation_see_their_certificates_checks(client, world, checks, role):
    client.force_login(world.a.user(role))
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert world.a.objects["issued_certificate"].number in page
    assert world.b.objects["issued_certificate"].number not in page
    assert world.b.marker not in page
    assert "扫码" in page and "未查到" in page


def test_a_teacher_does_not_see_the_log(client, world):
    client.force_login(world.a.user(Role.TEACHER))
    assert client.get(URL).status_code == 403


def test_a_certificate_page_lists_only_its_own_checks(client, world, checks):
    client.force_login(world.b.user(Role.REVIEWER))
    issued = world.b.objects["issued_certificate"]
    page = client.get(reverse("certificates:verification_certificate", args=[issued.pk])).content.decode()
    assert "扫码" in page
    assert world.a.marker not in page


def test_the_certificate_list_is_scoped_and_searchable(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("certificates:verification_certificates")
    page = client.get(url).content.decode()
    assert world.a.objects["issued_certificate"].number in page
    assert world.b.objects["issued_certificate"].number not in page
    found = client.get(url, {"q": world.b.objects["issued_certificate"].number}).content.decode()
    assert "没有符合条件的证书" in found.split("<tbody>")[1].split("</tbody>")[0]

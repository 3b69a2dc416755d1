"""The public verification page: exact number and name, a masked answer, one answer for every miss,
a rate limit per client, and a log of every check."""

import re

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from certificates.models import IssuedCertificate, VerificationLog
from certificates.services.issuance import certificate_reissue
from certificates.services.verification import client_hash, verification_rate_limit_reset
from core.masking import mask_name
from core.scoping import ORGANISATION, TenantRef, tenant_scope
from tests.certificates.verification_helpers import fresh_rate_limit, issued_of  # noqa: F401 - an autouse fixture

pytestmark = pytest.mark.django_db
URL = reverse("certificates:verify")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def check(client, number, name):
    return client.post(URL, {"number": number, "name": name})


def body(response) -> str:
    return CSRF.sub("", response.content.decode())


def logs():
    with scopes_disabled():
        return list(VerificationLog.objects.order_by("id"))


def test_the_page_is_public_and_chinese_by_default(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "职业技能等级证书查验" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_a_valid_certificate_shows_its_facts_and_only_the_family_name(client, world):
    issued = issued_of(world.a)
    response = check(client, issued.number, issued.person.name)
    page = response.content.decode()
    assert response.status_code == 200
    assert "证书有效" in page
    for fact in (issued.number, issued.certificate.name, "初级", "2024-07-01", issued.school.name):
        assert fact in page
    assert mask_name(issued.person.name) in page
    assert issued.person.name not in page
    assert issued.person.id_number not in page
    assert world.a.objects["school_class"].code not in page
    assert issued.collected_by not in page


def test_a_number_is_matched_whatever_its_case_or_width(client, world):
    issued = issued_of(world.a)
    full_width = issued.number.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert "证书有效" in check(client, f" {full_width} ", issued.person.name).content.decode()


def test_a_wrong_name_and_an_unknown_number_get_the_same_answer(client, world):
    issued = issued_of(world.a)
    wrong_name = check(client, issued.number, "张三")
    unknown_number = check(client, "ZZ99999999", issued.person.name)
    assert wrong_name.status_code == unknown_number.status_code == 200
    assert body(wrong_name) == body(unknown_number)
    assert "未查到与所填证书编号和持证人姓名相符的证书" in body(wrong_name)
    assert issued.school.name not in body(wrong_name)


def test_a_revoked_certificate_verifies_as_revoked_without_the_reason(client, world):
    issued = issued_of(world.a)
    IssuedCertificate._base_manager.filter(pk=issued.pk).update(status="revoked", revoked_reason="隐私原因说明")
    page = check(client, issued.number, issued.person.name).content.decode()
    assert "证书已撤销" in page
    assert "证书有效" not in page
    assert "隐私原因说明" not in page


def test_a_replaced_certificate_verifies_as_replaced_and_names_no_new_number(client, world):
    issued = issued_of(world.a)
    with tenant_scope(TenantRef(ORGANISATION, world.a.organisation.pk)):
        new = certificate_reissue(
            issued=issued,
            actor=world.a.user(Role.REVIEWER),
            number="REISSUE-0001",
            issued_on=issued.issued_on,
            reason="遗失",
        )
    page = check(client, issued.number, issued.person.name).content.decode()
    assert "证书已补发替换" in page
    assert new.number not in page
    assert "证书有效" in check(client, new.number, issued.person.name).content.decode()


def test_the_page_cannot_list_certificates(client, world):
    issued = issued_of(world.a)
    name = issued.person.name
    for fragment in (issued.number[:-1], issued.number[1:], issued.number[:6]):
        assert "未查到" in check(client, fragment, name).content.decode()
    for pattern in ("%", "A%", "A2024_00017", "*", ".*"):
        response = check(client, pattern, name)
        assert response.status_code == 400
        assert "证书有效" not in response.content.decode()
    assert "未查到" in check(client, issued.number, name[0]).content.decode()  # the family name alone
    # A GET with parameters answers nothing: only a submitted form looks anything up.
    page = client.get(URL, {"number": issued.number, "name": name}).content.decode()
    assert "证书有效" not in page and "未查到" not in page


def test_every_check_is_logged_with_a_hashed_client_address(client, world):
    issued = issued_of(world.a)
    before = len(logs())
    check(client, issued.number, issued.person.name)
    check(client, issued.number, "张三")
    check(client, "ZZ99999999", "张三")
    found, wrong_name, unknown = logs()[before:]
    assert (found.certificate_id, found.found, found.via_token) == (issued.pk, True, False)
    # A wrong name is logged against the certificate its number names: the school sees the attempt.
    assert (wrong_name.certificate_id, wrong_name.found) == (issued.pk, False)
    assert (unknown.certificate_id, unknown.found) == (None, False)
    assert len(found.client_hash) == 64 and "127.0.0.1" not in found.client_hash
    assert found.client_hash == wrong_name.client_hash == unknown.client_hash


def test_an_invalid_form_is_refused_and_not_counted(client, world):
    before = len(logs())
    assert client.post(URL, {}).status_code == 400
    assert len(logs()) == before


@override_settings(VERIFICATION_RATE_LIMIT=3)
def test_a_client_is_limited_and_told_so_clearly(client, world):
    issued = issued_of(world.a)
    for _ in range(3):
        assert check(client, issued.number, issued.person.name).status_code == 200
    refused = check(client, issued.number, issued.person.name)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "查验过于频繁" in page and "证书有效" not in page
    token_url = reverse("certificates:verify_token", kwargs={"token": issued.verification_token})
    assert client.get(token_url).status_code == 429
    # Another client still gets its answer.
    other = client.post(URL, {"number": issued.number, "name": issued.person.name}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    verification_rate_limit_reset(client=client_hash(RequestFactory().get("/", REMOTE_ADDR="10.0.0.9")))


def test_mask_name_keeps_only_the_family_name():
    assert mask_name("张三丰") == "张**"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name(" 王 五 ") == "王*"
    assert mask_name("") == ""

"""Revocation (撤销) and reissue (补证): the organisation's acts, kept in the certificate's history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from certificates.models import IssuedCertificate
from certificates.services.issuance import certificate_reissue, certificate_revoke
from core.audit import describe
from core.scoping import ORGANISATION, TenantRef, tenant_scope
from tests.certificates.results_helpers import audit_lines

pytestmark = pytest.mark.django_db


def fresh(pk) -> IssuedCertificate:
    with scopes_disabled():
        return IssuedCertificate.objects.get(pk=pk)


def events(pk) -> list[tuple[str, str]]:
    """(verb, details) of each line of the certificate's history, e.g. ("revoked", "考核舞弊")"""
    return [(line.action.rsplit(".", 1)[1], describe(line).detail) for line in audit_lines(fresh(pk))]


def url(name, side):
    return reverse(f"certificates:{name}", args=[side.objects["issued_certificate"].pk])


def test_the_organisation_revokes_a_certificate_with_a_reason(client, world):
    pk = world.a.objects["issued_certificate"].pk
    client.force_login(world.a.user(Role.REVIEWER))
    response = client.post(url("certificate_revoke", world.a), {"reason": "考核舞弊，经核实撤销"})
    assert response.status_code == 302
    issued = fresh(pk)
    assert issued.status == IssuedCertificate.Status.REVOKED
    assert issued.revoked_reason == "考核舞弊，经核实撤销"
    assert ("revoked", "考核舞弊，经核实撤销") in events(pk)
    verify = client.post(reverse("certificates:verify"), {"number": issued.number, "name": "学生a"})
    assert "证书已撤销" in verify.content.decode()


def test_a_revocation_needs_a_reason(client, world):
    client.force_login(world.a.user(Role.REVIEWER))
    response = client.post(url("certificate_revoke", world.a), {"reason": "  "})
    assert response.status_code == 400
    assert fresh(world.a.objects["issued_certificate"].pk).status == IssuedCertificate.Status.VALID


def test_a_school_cannot_revoke_or_reissue(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    assert client.post(url("certificate_revoke", world.a), {"reason": "x"}).status_code == 403
    assert client.post(url("certificate_reissue", world.a), {"number": "NEW-000001"}).status_code == 403
    assert fresh(world.a.objects["issued_certificate"].pk).status == IssuedCertificate.Status.VALID


def test_another_organisation_cannot_find_the_certificate(client, world):
    client.force_login(world.b.user(Role.REVIEWER))
    assert client.post(url("certificate_revoke", world.a), {"reason": "x"}).status_code == 404
    assert fresh(world.a.objects["issued_certificate"].pk).status == IssuedCertificate.Status.VALID


def test_a_revoked_certificate_is_not_revoked_again_nor_reissued(world):
    issued = fresh(world.a.objects["issued_certificate"].pk)
    actor = world.a.user(Role.REVIEWER)
    with tenant_scope(TenantRef(ORGANISATION, world.a.organisation.pk)):
        certificate_revoke(issued=issued, actor=actor, reason="撤销")
        with pytest.raises(ValidationError):
            certificate_revoke(issued=issued, actor=actor, reason="再次撤销")
        with pytest.raises(ValidationError):
            certificate_reissue(
                issued=issued, actor=actor, number="NEW-000001", issued_on=date(2025, 1, 2), reason="遗失"
            )
    assert [action for action, _ in events(issued.pk)].count("revoked") == 1


def test_a_reissue_gives_a_new_number_pointing_to_the_old_one(client, world):
    old_pk = world.a.objects["issued_certificate"].pk
    client.force_login(world.a.user(Role.REVIEWER))
    response = client.post(
        url("certificate_reissue", world.a), {"number": "a2025-000001", "issued_on": "2025-01-02", "reason": "证书遗失"}
    )
    assert response.status_code == 302
    old = fresh(old_pk)
    with scopes_disabled():
        new = IssuedCertificate.objects.get(replaces=old)
    assert response["Location"] == reverse("certificates:verification_certificate", args=[new.pk])
    assert old.status == IssuedCertificate.Status.REPLACED
    assert (new.status, new.number, new.issued_on) == (IssuedCertificate.Status.VALID, "A2025-000001", date(2025, 1, 2))
    assert (new.person_id, new.result_id, new.level, new.certificate_id) == (
        old.person_id,
        old.result_id,
        old.level,
        old.certificate_id,
    )
    assert new.verification_token != old.verification_token
    assert [a for a, _ in events(old.pk)] == ["issued", "replaced"]
    assert events(new.pk)[0][0] == "reissued" and old.number in events(new.pk)[0][1]
    page = client.get(reverse("certificates:verification_certificate", args=[old.pk])).content.decode()
    assert "A2025-000001" in page and "被补发替换" in page  # the organisation sees where it went


@pytest.mark.parametrize(
    ("number", "status"),
    [("", 400), ("A2024000017", 400), ("bad number!", 400)],
    ids=["missing", "taken", "invalid"],
)
def test_a_reissue_needs_an_unused_valid_number_and_a_reason(client, world, number, status):
    pk = world.a.objects["issued_certificate"].pk
    client.force_login(world.a.user(Role.REVIEWER))
    response = client.post(
        url("certificate_reissue", world.a), {"number": number, "issued_on": "2025-01-02", "reason": "遗失"}
    )
    assert response.status_code == status
    assert fresh(pk).status == IssuedCertificate.Status.VALID
    with scopes_disabled():
        assert not IssuedCertificate.objects.filter(replaces_id=pk).exists()


def test_a_reissue_without_a_reason_is_refused(client, world):
    client.force_login(world.a.user(Role.REVIEWER))
    response = client.post(url("certificate_reissue", world.a), {"number": "NEW-000001", "issued_on": "2025-01-02"})
    assert response.status_code == 400
    assert fresh(world.a.objects["issued_certificate"].pk).status == IssuedCertificate.Status.VALID


def test_the_forms_are_shown_to_the_organisation_only(client, world):
    page_url = url("verification_certificate", world.a)
    client.force_login(world.a.user(Role.REVIEWER))
    assert "撤销证书" in client.get(page_url).content.decode()
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    page = client.get(page_url).content.decode()
    assert "撤销证书" not in page and "补发证书" not in page

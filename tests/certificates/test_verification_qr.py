"""Each issued certificate has a QR code, rendered locally, that encodes its unguessable token URL."""

import pytest
import segno
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from certificates.models import VerificationLog
from certificates.selectors.verification import QR_ERROR, qr_svg, verification_url
from core.masking import mask_name
from tests.certificates.verification_helpers import fresh_rate_limit, issued_of  # noqa: F401 - an autouse fixture

pytestmark = pytest.mark.django_db


def test_the_qr_code_encodes_exactly_the_token_url(client, world):
    issued = issued_of(world.a)
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    response = client.get(reverse("certificates:verification_qr", args=[issued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    expected_url = f"http://testserver/certificates/v/{issued.verification_token}/"
    assert verification_url(issued=issued, request=RequestFactory().get("/")) == expected_url
    # The served SVG is segno's rendering of that URL and of nothing else.
    assert response.content == qr_svg(expected_url)
    assert response.content != qr_svg(expected_url + "x")
    assert segno.make(expected_url, error=QR_ERROR, micro=False).matrix == segno.make(expected_url, error="m").matrix
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content


def test_the_token_is_unguessable_and_unique_per_certificate(world):
    a, b = issued_of(world.a), issued_of(world.b)
    assert len(a.verification_token) >= 32 and a.verification_token != b.verification_token


def test_the_token_url_shows_the_masked_answer_and_is_logged(client, world):
    issued = issued_of(world.a)
    with scopes_disabled():
        before = VerificationLog.objects.count()
    response = client.get(reverse("certificates:verify_token", kwargs={"token": issued.verification_token}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "证书有效" in page and mask_name(issued.person.name) in page and issued.person.name not in page
    with scopes_disabled():
        log = VerificationLog.objects.order_by("-id").first()
        assert VerificationLog.objects.count() == before + 1
    assert (log.certificate_id, log.found, log.via_token) == (issued.pk, True, True)


def test_an_unknown_token_gets_the_same_answer_as_a_miss(client, world):
    response = client.get(reverse("certificates:verify_token", kwargs={"token": "not-a-token"}))
    assert response.status_code == 200
    assert "未查到与所填证书编号和持证人姓名相符的证书" in response.content.decode()


def test_the_certificate_page_shows_the_qr_code_and_the_token_url(client, world):
    issued = issued_of(world.a)
    client.force_login(world.a.user(Role.REVIEWER))
    page = client.get(reverse("certificates:verification_certificate", args=[issued.pk])).content.decode()
    assert reverse("certificates:verification_qr", args=[issued.pk]) in page
    assert f"/certificates/v/{issued.verification_token}/" in page


def test_another_tenant_cannot_fetch_the_qr_code(client, world):
    client.force_login(world.b.user(Role.SCHOOL_ADMIN))
    response = client.get(reverse("certificates:verification_qr", args=[world.a.objects["issued_certificate"].pk]))
    assert response.status_code == 404

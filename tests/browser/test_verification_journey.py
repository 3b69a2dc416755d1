"""An employer scans a certificate's QR code (opens its token URL) and checks a number by the form;
the organisation revokes the certificate and the same QR code then says so."""

import re

import pytest
from django.test import RequestFactory
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from certificates.models import IssuedCertificate
from certificates.services.verification import client_hash, verification_rate_limit_reset
from tests.browser.test_journeys import login
from tests.world import PASSWORD, build_side

pytestmark = pytest.mark.browser


@pytest.fixture
def certificate(transactional_db):
    with scopes_disabled():
        side = build_side("z", "演示标记")
        issued = IssuedCertificate.objects.select_related("person").get(pk=side.objects["issued_certificate"].pk)
    client = client_hash(RequestFactory().get("/"))
    verification_rate_limit_reset(client=client)
    yield issued
    verification_rate_limit_reset(client=client)


def test_a_qr_scan_and_a_form_check_answer_with_the_masked_holder(page: Page, live_server, certificate, shot):
    base = live_server.url
    # Scan-equivalent: the QR code opens the token URL; no login, Chinese.
    page.goto(f"{base}/certificates/v/{certificate.verification_token}/")
    expect(page.get_by_test_id("verify-status")).to_contain_text("证书有效")
    expect(page.get_by_test_id("verify-holder")).to_have_text("学**")
    expect(page.locator("main")).not_to_contain_text(certificate.person.name)
    shot("verify-token-valid")

    page.goto(f"{base}/certificates/verify/")
    page.get_by_label("证书编号").fill(certificate.number.lower())
    page.get_by_label("持证人姓名").fill(certificate.person.name)
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_test_id("verify-status")).to_contain_text("证书有效")
    expect(page.get_by_test_id("verify-answer")).to_contain_text(certificate.number)
    shot("verify-form-valid")

    page.get_by_label("证书编号").fill(certificate.number)
    page.get_by_label("持证人姓名").fill("张三")
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_test_id("verify-not-found")).to_be_visible()
    shot("verify-form-not-found")


def test_the_organisation_sees_the_qr_code_and_revokes(page: Page, live_server, certificate, shot):
    base = live_server.url
    login(page, base, "z_reviewer", PASSWORD)
    page.locator(".navbar").get_by_role("button", name="成绩与证书").click()
    page.locator(".navbar").get_by_role("link", name="证书查验").click()
    page.get_by_role("link", name=certificate.number).click()
    qr = page.get_by_test_id("certificate-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", qr.element_handle()) > 0  # the SVG loaded
    expect(page.get_by_test_id("token-url")).to_have_text(
        re.compile(rf"/certificates/v/{certificate.verification_token}/$")
    )
    shot("certificate-qr")

    page.get_by_label("撤销原因").fill("经核实考核舞弊")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="撤销", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已撤销")
    expect(page.get_by_test_id("history")).to_contain_text("经核实考核舞弊")
    shot("certificate-revoked")

    page.get_by_test_id("token-url").click()
    expect(page.get_by_test_id("verify-status")).to_contain_text("证书已撤销")
    expect(page.locator("main")).not_to_contain_text("经核实考核舞弊")
    shot("verify-token-revoked")

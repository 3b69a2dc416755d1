"""Helpers for the verification tests: the world's issued certificate, and a fresh rate limit."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django_scopes import scopes_disabled

from certificates.models import IssuedCertificate
from certificates.services.verification import client_hash, verification_rate_limit_reset


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The test client's address (127.0.0.1) starts and ends with an untouched allowance (autouse
    in the modules that import it)."""
    client = client_hash(RequestFactory().get("/"))
    verification_rate_limit_reset(client=client)
    yield
    verification_rate_limit_reset(client=client)


def issued_of(side) -> IssuedCertificate:
    """The issued certificate of a world side, with its person, school and certificate."""
    with scopes_disabled():
        return IssuedCertificate.objects.select_related("person", "school", "certificate").get(
            pk=side.objects["issued_certificate"].pk
        )

"""The public certificate check with the cache server gone: it still answers, and still limits."""

import socket

import pytest
from django.test import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from certificates.models import VerificationLog
from tests.certificates.verification_helpers import issued_of

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # released at once: nothing listens there


def test_the_public_check_counts_in_its_log_when_the_cache_is_down(client, world):
    issued = issued_of(world.a)
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    with scopes_disabled():
        VerificationLog.objects.all().delete()
    with override_settings(CACHES=down, VERIFICATION_RATE_LIMIT=3):
        for _ in range(3):
            response = client.post(
                reverse("certificates:verify"), {"number": issued.number, "name": issued.person.name}
            )
            assert response.status_code == 200
            assert "证书有效" in response.content.decode()
        refused = client.post(reverse("certificates:verify"), {"number": issued.number, "name": issued.person.name})
    assert refused.status_code == 429
    assert "查验过于频繁" in refused.content.decode()

"""Writes of public verification: the per-client rate limit and the check log.

The rate limit lives in Django's cache (Redis in production and CI, see settings.CACHES), so every
gunicorn process and machine counts the same client together. Clients are known only by a salted
hash of their address: neither the cache nor the log keeps an address.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from ..models import IssuedCertificate, VerificationLog

# Checks allowed per client and window; settings may override (e.g. a tighter limit in production).
DEFAULT_RATE_LIMIT = 20
DEFAULT_RATE_WINDOW_SECONDS = 600
CACHE_PREFIX = "certificates:verify:"


def client_hash(request: HttpRequest) -> str:
    """A salted hash of the client's address, resolved the way the login throttle (axes) resolves it."""
    address = get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"
    return salted_hmac("certificates.verification.client", address, algorithm="sha256").hexdigest()


def rate_limit_key(client: str) -> str:
    return f"{CACHE_PREFIX}{client}"


def rate_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "VERIFICATION_RATE_LIMIT", DEFAULT_RATE_LIMIT)),
        int(getattr(settings, "VERIFICATION_RATE_WINDOW_SECONDS", DEFAULT_RATE_WINDOW_SECONDS)),
    )


def verification_attempt_allowed(*, client: str) -> bool:
    """Count one check for ``client``; False once the window's allowance is spent.

    A fixed window: the first check creates the counter with the window as its lifetime (``add`` is
    atomic, so two first checks cannot both reset it) and every check increments it (``incr`` is
    atomic in Redis), so concurrent requests from one client can never exceed the limit together.
    """
    limit, window = rate_limit()
    key = rate_limit_key(client)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def verification_rate_limit_reset(*, client: str) -> None:
    cache.delete(rate_limit_key(client))


def verification_log_create(
    *, certificate: IssuedCertificate | None, found: bool, via_token: bool, client: str
) -> VerificationLog:
    """Record one verification. Public requests have no tenant, so the row is written through the
    base manager; it carries no tenant of its own (it is scoped through its certificate)."""
    return VerificationLog._base_manager.create(
        certificate=certificate, found=found, via_token=via_token, client_hash=client
    )

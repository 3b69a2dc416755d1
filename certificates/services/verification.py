"""Writes of public verification: the per-client rate limit and the check log.

The rate limit lives in Django's cache (Redis in production and CI, see settings.CACHES), so every
gunicorn process and machine counts the same client together. Clients are known only by a salted
hash of their address: neither the cache nor the log keeps an address.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..models import IssuedCertificate, VerificationLog

# Checks allowed per client and window; settings may override (e.g. a tighter limit in production).
DEFAULT_RATE_LIMIT = 20
DEFAULT_RATE_WINDOW_SECONDS = 600
CACHE_PREFIX = "certificates:verify:"
logger = logging.getLogger(__name__)


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
    With the cache server down, the client's checks in the log are counted instead (slower, and
    not atomic, but the public check keeps answering rather than failing).
    """
    limit, window = rate_limit()
    try:
        return _cache_count(client, window) <= limit
    except Exception:  # the cache server is down: the check still answers, counted in the log
        logger.warning("verification rate limit: cache unavailable, counting in the database")
        since = timezone.now() - timedelta(seconds=window)
        return VerificationLog._base_manager.filter(client_hash=client, at__gte=since).count() < limit


def _cache_count(client: str, window: int) -> int:
    key = rate_limit_key(client)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def verification_rate_limit_reset(*, client: str) -> None:
    try:
        cache.delete(rate_limit_key(client))
    except Exception:  # the cache server is down: nothing kept there to reset
        logger.warning("verification rate limit: cache unavailable, nothing reset")


def verification_log_create(
    *, certificate: IssuedCertificate | None, found: bool, via_token: bool, client: str
) -> VerificationLog:
    """Record one verification. Public requests have no tenant, so the row is written through the
    base manager; it carries no tenant of its own (it is scoped through its certificate)."""
    return VerificationLog._base_manager.create(
        certificate=certificate, found=found, via_token=via_token, client_hash=client
    )

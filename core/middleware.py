"""Activates the request's tenant scope, once, from the session's active membership."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.module_loading import import_string

from .scoping import tenant_scope


class TenantScopeMiddleware:
    """Sets ``request.tenant`` (a ``TenantContext`` or ``None``) and runs the view in its scope.

    The resolver lives with the memberships (``settings.TENANT_RESOLVER``, in accounts), so core
    does not import an upper layer. It returns ``None`` for anonymous users and for users without
    any membership, and a platform scope only for staff.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.resolve = import_string(settings.TENANT_RESOLVER)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = self.resolve(request)
        with tenant_scope(request.tenant.ref if request.tenant else None):
            return self.get_response(request)


class ChosenLanguageMiddleware:
    """Chinese unless the user chose another language (the cookie set by ``set_language``).

    Django's LocaleMiddleware would also follow the browser's Accept-Language, so an English
    browser in a Chinese school would get English; the product's default is Chinese.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class NoStoreForUsersMiddleware:
    """``Cache-Control: no-store`` on every response to a logged-in user.

    Logged-in pages are full of personal data (names, ID numbers, results): no browser cache or
    proxy may keep them. Static files never reach this (whitenoise answers before it), and anonymous
    answers are left as their views make them (the login and certificate-check views are never_cache
    by themselves).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

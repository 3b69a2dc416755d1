"""Activates the request's tenant scope, once, from the session's active membership."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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

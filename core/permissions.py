"""Each view declares the permission it needs; the active membership grants it.

Anonymous visitors are sent to the login page, a logged-in user without the permission gets 403.
Objects of another tenant never get this far: the scoped managers do not find them, so they 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def has_permission(request: HttpRequest, permission: str | None) -> bool:
    tenant = getattr(request, "tenant", None)
    if permission is None:
        return True
    return tenant is not None and tenant.has(permission)


class PermissionRequiredMixin(AccessMixin):
    """``permission = "..."`` on the view; ``None`` means any logged-in user."""

    permission: str | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_permission(request, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def permission_required(permission: str | None) -> Callable:
    """The same check for function views."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_permission(request, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator

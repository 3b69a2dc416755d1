"""The Django admin, for platform staff only, runs with scopes disabled."""

from collections.abc import Callable

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled


class ScopedAdminSite(AdminSite):
    site_header = _("1+X 证书试点管理平台 · 后台")
    site_title = _("1+X 后台")

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        inner = super().admin_view(view, cacheable)

        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_active and request.user.is_staff:
                with scopes_disabled():
                    return inner(request, *args, **kwargs)
            return inner(request, *args, **kwargs)

        wrapped.__dict__.update(getattr(inner, "__dict__", {}))
        return wrapped


class ProductAdminConfig(AdminConfig):
    default_site = "core.admin_site.ScopedAdminSite"

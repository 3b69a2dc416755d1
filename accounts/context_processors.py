from django.http import HttpRequest

from .selectors import PLATFORM_CHOICE, tenant_choices


def tenancy(request: HttpRequest) -> dict:
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return {"tenant": None, "perms_active": frozenset()}
    return {
        "tenant": tenant,
        "perms_active": tenant.permissions,
        "tenant_options": tenant_choices(request.user),
        "tenant_active": str(tenant.membership_id) if tenant.membership_id else PLATFORM_CHOICE,
    }

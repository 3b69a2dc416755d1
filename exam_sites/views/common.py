"""What the scheduling pages share."""

from __future__ import annotations

from django.http import HttpRequest

from accounts import roles


def may_manage(request: HttpRequest) -> bool:
    """The school admin plans batches, sessions and seats; everyone else who sees them only reads."""
    return (
        request.tenant is not None and request.tenant.school_id is not None and request.tenant.has(roles.MANAGE_SCHOOL)
    )

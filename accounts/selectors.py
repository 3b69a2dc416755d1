"""Reads of accounts that other layers use."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.scoping import ORGANISATION, PLATFORM, SCHOOL, TenantContext, TenantRef

from .models import Membership, School, StaffQualification, User
from .roles import ROLE_PERMISSIONS, Role

SESSION_KEY = "active_membership"
PLATFORM_CHOICE = "platform"


def memberships_of(user: User) -> list[Membership]:
    """The user's own memberships. Runs before any scope exists, so it reads through the base manager
    with the user as the only filter: a user always may see their own memberships."""
    cached = getattr(user, "_active_memberships", None)  # read once per request (resolver, navigation)
    if cached is None:
        cached = list(
            Membership._base_manager.filter(user=user, is_active=True)
            .select_related("school", "organisation")
            .order_by("id")
        )
        user._active_memberships = cached
    return cached


def context_for(membership: Membership) -> TenantContext:
    if membership.school_id:
        ref = TenantRef(SCHOOL, membership.school_id)
    else:
        ref = TenantRef(ORGANISATION, membership.organisation_id)
    return TenantContext(
        ref=ref,
        role=membership.role,
        label=f"{membership.tenant_name} · {membership.get_role_display()}",
        permissions=ROLE_PERMISSIONS[membership.role],
        membership_id=membership.pk,
    )


def platform_context() -> TenantContext:
    return TenantContext(
        ref=TenantRef(PLATFORM),
        role=Role.PLATFORM_ADMIN,
        label=_("平台管理"),
        permissions=ROLE_PERMISSIONS[Role.PLATFORM_ADMIN],
    )


def tenant_choices(user: User) -> list[tuple[str, str]]:
    """What the navigation offers to switch to: (value, label)."""
    choices = [(str(m.pk), context_for(m).label) for m in memberships_of(user)]
    if user.is_staff:
        choices.append((PLATFORM_CHOICE, str(_("平台管理"))))
    return choices


def resolve_tenant(request: HttpRequest) -> TenantContext | None:
    """The active tenant of a request (settings.TENANT_RESOLVER).

    The session names the active membership; an unknown or stale value falls back to the first
    membership. Only staff get the platform scope, and only when they have no membership or chose it.
    """
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    chosen = request.session.get(SESSION_KEY)
    if chosen == PLATFORM_CHOICE and user.is_staff:
        return platform_context()
    memberships = memberships_of(user)
    for membership in memberships:
        if str(membership.pk) == str(chosen):
            return context_for(membership)
    if memberships:
        return context_for(memberships[0])
    if user.is_staff:
        return platform_context()
    return None


def current_school(request: HttpRequest) -> School | None:
    if request.tenant is None or request.tenant.school_id is None:
        return None
    return School.objects.get(pk=request.tenant.school_id)


def school_members(*, roles: tuple[str, ...] = (Role.SCHOOL_ADMIN, Role.TEACHER)):
    """Users of the active school, for choice lists (invigilators, teachers of a batch)."""
    return (
        User.objects.filter(memberships__in=Membership.objects.filter(role__in=roles, is_active=True))
        .distinct()
        .order_by("full_name", "username")
    )


def qualified_staff(*, kind: str, certificate_id: int | None = None):
    qs = StaffQualification.objects.filter(kind=kind)
    if certificate_id is not None:
        qs = qs.filter(certificate_id=certificate_id)
    return User.objects.filter(pk__in=qs.values("user_id")).order_by("full_name", "username")

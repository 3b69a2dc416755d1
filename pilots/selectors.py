"""Reads of pilots that other apps use."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from core.audit import Line, history
from core.scoping import ORGANISATION, PLATFORM, TenantRef

from .models import Certificate, CertificateLevel, FeeStandard, Pilot


def catalogue_certificates(*, active_only: bool = True) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("organisation").prefetch_related(
        Prefetch("levels", queryset=CertificateLevel.objects.order_by("level"))
    )
    return qs.filter(is_active=True) if active_only else qs


def catalogue_levels() -> QuerySet[CertificateLevel]:
    return CertificateLevel.objects.select_related("certificate", "certificate__organisation").order_by(
        "certificate__code", "level"
    )


def fee_standards() -> QuerySet[FeeStandard]:
    return FeeStandard.objects.select_related("certificate", "certificate__organisation").order_by(
        "certificate__code", "level", "-effective_from"
    )


def fee_certificates(*, tenant: TenantRef) -> QuerySet[Certificate]:
    """Certificates whose fees the tenant may maintain: its own organisation's, or all for the platform."""
    qs = Certificate.objects.filter(is_active=True)
    if tenant.kind == ORGANISATION:
        return qs.filter(organisation_id=tenant.pk)
    if tenant.kind == PLATFORM:
        return qs
    return qs.none()


def pilots_list(
    *,
    year: int | None = None,
    certificate_id: int | None = None,
    level: str = "",
    status: str = "",
    cohort: str = "",
) -> QuerySet[Pilot]:
    """The active tenant's pilots (the scoped manager decides which), filtered, with the count of
    enrolments (``enrolled``; the reverse relation of students.Enrolment, read by name only)."""
    qs = Pilot.objects.select_related("school", "certificate", "certificate__organisation").annotate(
        enrolled=Count("enrolments", distinct=True)
    )
    if year:
        qs = qs.filter(year=year)
    if certificate_id:
        qs = qs.filter(certificate_id=certificate_id)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if cohort:
        qs = qs.filter(cohort=cohort)
    return qs.order_by("-year", "certificate__code", "level", "id")


def pilot_get(*, pilot_id: int) -> Pilot:
    """One pilot of the active tenant, or 404 (another tenant's pilot is simply not found)."""
    return get_object_or_404(pilots_list(), pk=pilot_id)


def pilot_history(*, pilot: Pilot) -> list[Line]:
    """The pilot's steps from the audit log, oldest first (the tenant sees the lines it may see)."""
    return history(pilot)

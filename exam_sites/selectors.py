"""Reads of exam-site applications and sites.

Reviewers never see drafts: every read of applications goes through ``applications_visible``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from core.scoping import ORGANISATION, current_tenant
from pilots.models import Certificate

from .models import (
    ExamSite,
    GuidanceCentre,
    PartnerUnit,
    SiteApplication,
    SiteApplicationEvent,
    SiteContact,
    SiteRoom,
)


def _for_organisation() -> bool:
    ref = current_tenant()
    return ref is not None and ref.kind == ORGANISATION


def applications_visible() -> QuerySet[SiteApplication]:
    """The active tenant's applications; an organisation's reviewers never see a draft."""
    qs = SiteApplication.objects.select_related("school", "certificate", "certificate__organisation", "decided_by")
    if _for_organisation():
        qs = qs.exclude(status=SiteApplication.Status.DRAFT)
    return qs


def application_get(*, application_id: int) -> SiteApplication:
    """One application the active tenant may see, or 404."""
    return get_object_or_404(applications_visible(), pk=application_id)


def school_applications() -> QuerySet[SiteApplication]:
    return applications_visible().order_by("-updated_at", "-id")


def review_queue(*, status: str | None = None, certificate_id: int | None = None) -> QuerySet[SiteApplication]:
    """Applications of the organisation's certificates; by default those waiting for a decision."""
    qs = applications_visible().order_by("submitted_at", "id")
    if status:
        qs = qs.filter(status=status)
    if certificate_id:
        qs = qs.filter(certificate_id=certificate_id)
    return qs


def queue_certificates() -> QuerySet[Certificate]:
    """Certificates that appear in the active tenant's visible applications (the queue's filter)."""
    return Certificate.objects.filter(pk__in=applications_visible().values("certificate_id")).order_by("code")


@dataclass(frozen=True)
class ContactSlot:
    role: str
    label: str
    contact: SiteContact | None


def contact_slots(application: SiteApplication) -> list[ContactSlot]:
    """The three contacts in the paper's order; a role with no row yet has ``contact=None``."""
    by_role = {c.role: c for c in application.contacts.all()}
    return [ContactSlot(value, str(label), by_role.get(value)) for value, label in SiteContact.Role.choices]


def application_rooms(application: SiteApplication) -> QuerySet[SiteRoom]:
    return application.rooms.order_by("position", "id")


def application_partners(application: SiteApplication) -> QuerySet[PartnerUnit]:
    return application.partners.order_by("position", "id")


def application_events(application: SiteApplication) -> QuerySet[SiteApplicationEvent]:
    return application.events.select_related("actor").order_by("created_at", "id")


def application_document(application: SiteApplication) -> dict[str, Any]:
    """Everything the detail page and the PDF print, read once."""
    rooms = list(application_rooms(application))
    return {
        "application": application,
        "contacts": contact_slots(application),
        "rooms": rooms,
        "total_workstations": sum(r.workstations for r in rooms),
        "total_area": sum((r.area for r in rooms), start=0),
        "partners": list(application_partners(application)),
        "events": list(application_events(application)),
        "kinds": [(str(label), application.kind == value) for value, label in SiteApplication.Kind.choices],
    }


def recent_events(*, limit: int = 6) -> list[SiteApplicationEvent]:
    """The latest workflow steps the active tenant may see (the home page's "最近的考点申报动态")."""
    qs = SiteApplicationEvent.objects.select_related(
        "application", "application__school", "application__certificate", "actor"
    )
    if _for_organisation():
        qs = qs.exclude(application__status=SiteApplication.Status.DRAFT).exclude(
            to_status=SiteApplication.Status.DRAFT
        )
    return list(qs.order_by("-created_at", "-id")[:limit])


def exam_sites() -> QuerySet[ExamSite]:
    return (
        ExamSite.objects.select_related("school", "certificate", "application")
        .annotate(total_workstations=Sum("rooms__workstations"))
        .order_by("certificate__code", "name")
    )


def exam_site_rooms(site: ExamSite) -> QuerySet:
    return site.rooms.order_by("id")


def guidance_centres() -> QuerySet[GuidanceCentre]:
    return GuidanceCentre.objects.select_related("school", "certificate").order_by("certificate__code", "name")

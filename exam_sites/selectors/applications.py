"""Reads of exam-site applications: the school's list, the reviewer's queue, one application's
document and history, the home page's latest steps.

Reviewers never see drafts: every read of applications goes through ``applications_visible``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.audit import Line, history
from core.models import AuditEntry
from core.scoping import ORGANISATION, current_tenant
from pilots.models import Certificate

from ..history import APPLICATION_STEPS
from ..models import PartnerUnit, SiteApplication, SiteContact, SiteRoom


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


def application_history(application: SiteApplication) -> list[Line]:
    """The application's history, oldest first (whoever may see the application sees all of it)."""
    return history(application)


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
        "kinds": [(str(label), application.kind == value) for value, label in SiteApplication.Kind.choices],
    }


@dataclass(frozen=True)
class RecentStep:
    """One step of an application's workflow as the home page lists it."""

    created_at: datetime
    application: SiteApplication
    to_status: str

    @property
    def application_id(self) -> int:
        return self.application.pk

    def get_to_status_display(self) -> str:
        return str(dict(SiteApplication.Status.choices).get(self.to_status, self.to_status))


def recent_events(*, limit: int = 6) -> list[RecentStep]:
    """The latest workflow steps the active tenant may see (the home page's "最近的考点申报动态").

    An organisation never sees a draft, nor the step that made one (that line is the school's only)."""
    visible = applications_visible()
    lines = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(SiteApplication),
            action__in=APPLICATION_STEPS,
            object_id__in=visible.values("pk"),
        ).order_by("-at", "-id")[:limit]
    )
    applications = visible.in_bulk([line.object_id for line in lines])
    return [
        RecentStep(created_at=line.at, application=applications[line.object_id], to_status=line.data.get("to", ""))
        for line in lines
        if line.object_id in applications
    ]

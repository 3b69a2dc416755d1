"""Read-only figures over all apps, for dashboards and report tables."""

from __future__ import annotations

from typing import Any

from accounts.models import Membership, Organisation, School, StaffQualification
from core.scoping import ORGANISATION, SCHOOL, TenantContext
from pilots.models import Certificate


def home_figures(tenant: TenantContext) -> dict[str, Any]:
    if tenant.kind == SCHOOL:
        return {
            "staff": Membership.objects.count(),
            "qualifications": StaffQualification.objects.count(),
            "certificates": Certificate.objects.filter(is_active=True).count(),
        }
    if tenant.kind == ORGANISATION:
        return {
            "certificates": Certificate.objects.filter(organisation_id=tenant.organisation_id).count(),
            "reviewers": Membership.objects.count(),
        }
    return {
        "schools": School.objects.count(),
        "organisations": Organisation.objects.count(),
        "certificates": Certificate.objects.count(),
    }

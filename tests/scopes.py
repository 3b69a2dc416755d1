"""Entering a tenant's scope in tests: ``with as_school(side):`` or ``with as_org(organisation):``.

Both take a world side (tests.world_base.Side) or the School / Organisation itself.
"""

from __future__ import annotations

from typing import Any

from core.scoping import ORGANISATION, SCHOOL, TenantRef, tenant_scope
from tests.world_base import Side


def as_school(tenant: Any):
    school = tenant.school if isinstance(tenant, Side) else tenant
    return tenant_scope(TenantRef(SCHOOL, school.pk))


def as_org(tenant: Any):
    organisation = tenant.organisation if isinstance(tenant, Side) else tenant
    return tenant_scope(TenantRef(ORGANISATION, organisation.pk))

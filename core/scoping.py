"""Tenancy: the one scoping mechanism, built on django-scopes.

A request, a task or a command acts for exactly one tenant: a school, a training-evaluation
organisation, or (platform staff only) the whole platform. Middleware activates it once per request
with ``tenant_scope``; tasks re-enter it from the job row. Every tenant model declares a
``TenantManager`` naming the path from the model to its school and, where an organisation may see
it, to the organisation. Then:

- with no tenant active, any query raises ``ScopeError`` (django-scopes' ``DisabledQuerySet``);
- a school sees the rows whose school path is that school;
- an organisation sees the rows whose organisation path is that organisation, and nothing of a
  model that declares no organisation path;
- the platform scope sees everything; the middleware gives it only to staff.

Why not django-scopes' own ``ScopedManager``: it ANDs its dimensions and reads a value of ``None``
as "no filter", while our tenants are either-or. This manager reads the same django-scopes state
(``scope`` and its switch for turning scoping off), so that switch works as documented, but a model can
never be left unfiltered by a missing dimension.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from django_scopes import get_scope, scope
from django_scopes.manager import DisabledQuerySet

SCHOOL = "school"
ORGANISATION = "organisation"
PLATFORM = "platform"


@dataclass(frozen=True)
class TenantRef:
    """What a scope is activated with: the kind of tenant and its primary key."""

    kind: str
    pk: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in (SCHOOL, ORGANISATION, PLATFORM):
            raise ValueError(f"unknown tenant kind {self.kind!r}")
        if self.kind != PLATFORM and self.pk is None:
            raise ValueError("a school or organisation scope needs a primary key")


@dataclass(frozen=True)
class TenantContext:
    """The active membership of a request, as views and templates see it (``request.tenant``)."""

    ref: TenantRef
    role: str
    label: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    membership_id: int | None = None

    @property
    def kind(self) -> str:
        return self.ref.kind

    @property
    def school_id(self) -> int | None:
        return self.ref.pk if self.ref.kind == SCHOOL else None

    @property
    def organisation_id(self) -> int | None:
        return self.ref.pk if self.ref.kind == ORGANISATION else None

    def has(self, permission: str) -> bool:
        return permission in self.permissions


@contextmanager
def tenant_scope(ref: TenantRef | None) -> Iterator[None]:
    """Activate one tenant. ``None`` activates nothing, so tenant queries raise."""
    if ref is None:
        yield
        return
    with scope(tenant=ref):
        yield


def current_tenant() -> TenantRef | None:
    return get_scope().get("tenant")


def TenantManager(  # noqa: N802 - a factory named like the class it returns, as django-scopes does
    *,
    school: str | None,
    organisation: str | None = None,
    queryset_class: type[models.QuerySet] = models.QuerySet,
) -> models.Manager:
    """A manager filtered by the active tenant. ``school``/``organisation`` are lookup paths."""
    paths = {SCHOOL: school, ORGANISATION: organisation}

    class Manager(models.Manager.from_queryset(queryset_class)):  # type: ignore[misc]
        tenant_paths = paths

        def get_queryset(self) -> models.QuerySet:
            qs = super().get_queryset()
            current = get_scope()
            if not current.get("_enabled", True):
                return qs
            ref: TenantRef | None = current.get("tenant")
            if ref is None:
                return DisabledQuerySet(self.model, using=self._db, missing_scopes=["tenant"])
            if ref.kind == PLATFORM:
                return qs
            path = paths.get(ref.kind)
            if path is None:
                return qs.none()
            return qs.filter(**{path: ref.pk})

        def all(self) -> models.QuerySet:
            qs = super().all()
            if isinstance(qs, DisabledQuerySet):
                qs = qs.all()  # raises ScopeError
            return qs

    return Manager()

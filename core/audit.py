"""The one audit log: ``record`` writes a line, ``history`` reads an object's lines, ``describe`` words it.

Every app writes its history here, in the transaction of the change it records:

    record(result, "results.result.corrected", actor=user, data={"before": ..., "after": ..., "reason": ...})

The school and the organisation of a line are copied from the object through the paths its
``TenantManager`` declares; pass ``organisation=None`` where the organisation may not (yet) see the
object (funding lines except settlements, results before their notice).

Nothing a person reads is stored. Each app registers, for its action names, how a line is worded
(``register``): a lazy gettext string formatted with the line's data, or a function of the data.
``templates/core/audit/history.html`` shows the lines of any page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .models import AuditEntry

UNSET: Any = object()

Wording = Callable[[dict[str, Any]], str] | Any  # a function of the data, or a lazy string with %(key)s
_ACTIONS: dict[str, tuple[Any, Wording | None]] = {}


def register(actions: dict[str, tuple[Any, Wording | None]]) -> None:
    """Declare action names: ``{"pilots.pilot.submitted": (_("提交申请"), _("说明：%(comment)s"))}``.

    The first element is the short label (the "操作" column), the second the details (the "说明"
    column): a lazy string formatted with the line's data, a function of the data, or None.
    """
    _ACTIONS.update(actions)


def _follow(obj: models.Model, path: str | None) -> int | None:
    """The primary key at the end of a TenantManager lookup path (``pilot__certificate__organisation``)."""
    if not path:
        return None
    *hops, last = path.split("__")
    target: Any = obj
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def tenants_of(obj: models.Model) -> tuple[int | None, int | None]:
    """(school id, organisation id) of an object, from its manager's tenant paths."""
    paths = getattr(type(obj).objects, "tenant_paths", {})
    return _follow(obj, paths.get("school")), _follow(obj, paths.get("organisation"))


def _entry(obj: models.Model, action: str, *, actor: Any, data: Any, school: Any, organisation: Any) -> AuditEntry:
    """An unsaved line of ``obj``'s history, its tenants copied from the object unless given."""
    school_id, organisation_id = tenants_of(obj)
    if school is not UNSET:
        school_id = getattr(school, "pk", school)
    if organisation is not UNSET:
        organisation_id = getattr(organisation, "pk", organisation)
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        school_id=school_id,
        organisation_id=organisation_id,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        data=data or {},
    )


def _check_writable(action: str) -> None:
    if action not in _ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the audit log is written inside the transaction of the change it records")


def record(
    obj: models.Model,
    action: str,
    *,
    actor: Any = None,
    data: dict[str, Any] | None = None,
    school: Any = UNSET,
    organisation: Any = UNSET,
) -> AuditEntry:
    """Write one line of ``obj``'s history. Call it inside the transaction of the change.

    ``school`` / ``organisation`` (a model or a pk, or None) override what the object's tenant
    paths give.
    """
    _check_writable(action)
    entry = _entry(obj, action, actor=actor, data=data, school=school, organisation=organisation)
    entry.save(force_insert=True)
    return entry


def record_many(
    items: Iterable[tuple[models.Model, dict[str, Any]]],
    action: str,
    *,
    actor: Any = None,
    school: Any = UNSET,
    organisation: Any = UNSET,
) -> list[AuditEntry]:
    """``record`` for many objects at once (an import, a batch's numbers): ``items`` are
    (object, data) pairs; the lines are written in bulk, in the transaction of the change."""
    _check_writable(action)
    entries = [
        _entry(obj, action, actor=actor, data=data, school=school, organisation=organisation) for obj, data in items
    ]
    return AuditEntry.objects.bulk_create(entries, batch_size=1000)


@dataclass(frozen=True)
class Line:
    """One line of a history as a page shows it."""

    entry: AuditEntry
    label: str
    detail: str

    @property
    def at(self):
        return self.entry.at

    @property
    def actor(self):
        return self.entry.actor


def _format(wording: Wording | None, data: dict[str, Any]) -> str:
    if wording is None:
        return ""
    if callable(wording) and not isinstance(wording, str | Promise):
        return str(wording(data))
    try:
        return str(wording) % _Missing(data)
    except (TypeError, ValueError):
        return str(wording)


class _Missing(dict):
    """Format data where a key an older line lacks prints as a dash rather than failing."""

    def __missing__(self, key: str) -> str:
        return "—"


def describe(entry: AuditEntry) -> Line:
    """The line's words in the active language, built now from its action and data."""
    label, wording = _ACTIONS.get(entry.action, (entry.action, None))
    return Line(entry=entry, label=str(label) if label else entry.action, detail=_format(wording, entry.data))


def entries_for(objects: Iterable[models.Model] | models.Model) -> models.QuerySet[AuditEntry]:
    """The lines of one object, or of several objects of one model, oldest first."""
    if isinstance(objects, models.Model):
        objects = [objects]
    objects = list(objects)
    if not objects:
        return AuditEntry.objects.none()
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    return AuditEntry.objects.filter(content_type=content_type, object_id__in=[o.pk for o in objects]).select_related(
        "actor"
    )


def history(objects: Iterable[models.Model] | models.Model, *, newest_first: bool = False) -> list[Line]:
    """The worded lines of an object's history, for ``templates/core/audit/history.html``."""
    qs = entries_for(objects)
    qs = qs.order_by("-at", "-id") if newest_first else qs.order_by("at", "id")
    return [describe(entry) for entry in qs]


def last_entry(obj: models.Model) -> AuditEntry | None:
    """The newest line of an object's history (who saved last, and when)."""
    return entries_for(obj).order_by("-at", "-id").first()


def who_and_when(entry: AuditEntry | None) -> str:
    """ "张三（2024-05-01 10:20）" for a line, "他人" without one."""
    if entry is None or entry.actor is None:
        return _("他人")
    actor = entry.actor
    name = getattr(actor, "full_name", "") or actor.get_username()
    return f"{name}（{timezone.localtime(entry.at):%Y-%m-%d %H:%M}）"

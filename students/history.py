"""The audit actions of the person registry, and the shape of their data.

- ``students.person.created``: {"kind", "source"} (source "form" or "import");
- ``students.person.updated``: {"fields": [changed field names], "changes": {field: {"before", "after"}},
  "source"}. A class is stored by its code and a major by its name. ID numbers and phones are never
  stored in full: only the field name and the masked value after the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import register
from core.masking import mask_id_number, mask_phone

from .models import Person, PersonKind

MASKED = {"id_number": mask_id_number, "phone": mask_phone}
RELATED = ("school_class", "major")


def person_values(person: Person, fields: Iterable[str], labels: dict[str, dict[int, str]] | None = None) -> dict:
    """The values of ``fields`` to compare before and after a change (a class by its code, a major
    by its name). ``labels`` (field -> pk -> code) spares the look-ups of related rows in imports."""
    values: dict[str, Any] = {}
    for field in fields:
        if field in RELATED:
            pk = getattr(person, f"{field}_id")
            if not pk:
                values[field] = None
            else:
                values[field] = labels[field].get(pk) if labels is not None else str(getattr(person, field))
        else:
            values[field] = getattr(person, field)
    return values


def person_changes(before: dict, after: dict, *, source: str = "form") -> dict | None:
    """The data of a ``students.person.updated`` line, or None when nothing changed."""
    fields = [field for field in after if before.get(field) != after[field]]
    if not fields:
        return None
    changes = {
        field: {"after": MASKED[field](after[field])}
        if field in MASKED
        else {"before": before.get(field), "after": after[field]}
        for field in fields
    }
    return {"fields": fields, "changes": changes, "source": source}


def _label(field: str) -> str:
    try:
        return str(Person._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def _shown(field: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    try:
        choices = dict(Person._meta.get_field(field).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def _source(data: dict[str, Any]) -> list[str]:
    return [_("导入")] if data.get("source") == "import" else []


def created_wording(data: dict[str, Any]) -> str:
    kind = data.get("kind")
    parts = [str(PersonKind(kind).label)] if kind in PersonKind.values else []
    return " · ".join(parts + _source(data))


def updated_wording(data: dict[str, Any]) -> str:
    """ "姓名：张三 → 张珊 · 电话：改为 139****0000"."""
    parts = _source(data)
    for field in data.get("fields", []):
        change = data.get("changes", {}).get(field, {})
        if "before" in change:
            parts.append(
                _("%(field)s：%(old)s → %(new)s")
                % {
                    "field": _label(field),
                    "old": _shown(field, change["before"]),
                    "new": _shown(field, change["after"]),
                }
            )
        else:
            parts.append(_("%(field)s：改为 %(new)s") % {"field": _label(field), "new": change.get("after") or "—"})
    return " · ".join(parts)


register(
    {
        "students.person.created": (gettext_lazy("登记学员"), created_wording),
        "students.person.updated": (gettext_lazy("编辑学员"), updated_wording),
    }
)

"""The audit actions of exam_sites and how their lines are worded (imported by ``apps.ready``).

Applications (the object is the ``SiteApplication``):
``exam_sites.application.created/updated/submitted/approved/returned/rejected``; data: ``from``/``to``
status, ``comment``, ``version`` (and, for an edit, the names of the ``fields`` it changed).

Scheduling (the object is the ``Batch``, or the ``Announcement`` for a publication):
``scheduling.batch.created/updated``, ``scheduling.session.created/deleted``,
``scheduling.seats.allocated/reallocated``, ``scheduling.seat.moved``,
``scheduling.announcement.published``; data: the ids and the values of that moment (names, dates,
numbers), so that the words are built in the reader's language when the line is shown.

Lines moved from the old event tables that could not be rebuilt keep their old words under ``text``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import register
from pilots.models import Level

from .models import PartnerUnit, SiteApplication, SiteContact, SiteRoom

# --- applications --------------------------------------------------------------------------------

# Edits of an application's children are named by the child model (the form's sections).
_CHILDREN = {"contacts": SiteContact, "rooms": SiteRoom, "partners": PartnerUnit}


def _status_label(value: str) -> str:
    return str(dict(SiteApplication.Status.choices).get(value, value)) if value else ""


def _status_change(data: dict[str, Any]) -> str:
    """ "已提交 → 已批准 · 同意": the change of status and the comment (a new draft: "草稿")."""
    change = " → ".join(
        label for label in (_status_label(data.get("from", "")), _status_label(data.get("to", ""))) if label
    )
    return " · ".join(part for part in (change, data.get("comment") or "") if part)


def _field_label(name: str) -> str:
    if name in _CHILDREN:
        return str(_CHILDREN[name]._meta.verbose_name)
    try:
        return str(SiteApplication._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field removed since the line was written
        return name


def _edit(data: dict[str, Any]) -> str:
    fields = data.get("fields") or []
    if not fields:
        return _("第 %(version)s 版：内容未改动") % {"version": data.get("version", "—")}
    return _("第 %(version)s 版：修改了%(fields)s") % {
        "version": data.get("version", "—"),
        "fields": "、".join(_field_label(name) for name in fields),
    }


# --- scheduling ----------------------------------------------------------------------------------


def _old_text(wording):
    """Migrated lines that could not be rebuilt show the words they were written with."""

    def word(data: dict[str, Any]) -> str:
        if "text" in data:
            return str(data["text"])
        return wording(data)

    return word


def _level_label(level: str) -> str:
    return str(dict(Level.choices).get(level, level))


def _session_text(slot: dict[str, Any]) -> str:
    """A session as the history names it: day, times and room (readable after the session is gone)."""
    return f"{slot.get('date', '—')} {slot.get('starts_at', '—')}–{slot.get('ends_at', '—')} {slot.get('room', '—')}"


def _batch_created(data: dict[str, Any]) -> str:
    return _("「%(name)s」：%(pilot)s，考点「%(site)s」，%(round)s，熟悉场地日 %(day)s") % {
        "name": data.get("name", "—"),
        "pilot": f"{data.get('pilot_year', '—')} · {data.get('certificate', '—')} · {_level_label(data.get('level', ''))}",
        "site": data.get("site", "—"),
        "round": f"{data.get('year', '—')} {data.get('round', '—')}",
        "day": data.get("familiarisation_on") or "—",
    }


def _batch_updated(data: dict[str, Any]) -> str:
    changes = []
    if "name" in data:
        changes.append(_("名称：「%(old)s」→「%(new)s」") % data["name"])
    if "familiarisation_on" in data:
        day = data["familiarisation_on"]
        changes.append(_("熟悉场地日：%(old)s → %(new)s") % {"old": day["old"] or "—", "new": day["new"] or "—"})
    if data.get("teachers_added"):
        changes.append(_("增加教师：%(names)s") % {"names": "、".join(data.get("teachers_added_names") or [])})
    if data.get("teachers_removed"):
        changes.append(_("移除教师：%(names)s") % {"names": "、".join(data.get("teachers_removed_names") or [])})
    return "；".join(changes)


def _session(data: dict[str, Any]) -> str:
    return _("%(session)s，%(seats)s 个座位，督考 %(invigilator)s") % {
        "session": _session_text(data),
        "seats": data.get("seats", "—"),
        "invigilator": data.get("invigilator", "—"),
    }


def _allocated(data: dict[str, Any]) -> str:
    return _("本次分配 %(placed)s 人，此前已有座位 %(kept)s 人，未能分配 %(unplaced)s 人。") % {
        "placed": data.get("placed", 0),
        "kept": data.get("already_seated", 0),
        "unplaced": data.get("unplaced", 0),
    }


def _reallocated(data: dict[str, Any]) -> str:
    return _("清除原有座位 %(cleared)s 个，重新分配 %(placed)s 人，未能分配 %(unplaced)s 人。") % {
        "cleared": data.get("cleared", 0),
        "placed": data.get("placed", 0),
        "unplaced": data.get("unplaced", 0),
    }


def _moved(data: dict[str, Any]) -> str:
    return _("%(name)s：%(from_session)s %(from_number)s 号 → %(to_session)s %(to_number)s 号") % {
        "name": data.get("name", "—"),
        "from_session": _session_text(data.get("from_slot") or {}),
        "from_number": data.get("from_number", "—"),
        "to_session": _session_text(data.get("to_slot") or {}),
        "to_number": data.get("to_number", "—"),
    }


def _published(data: dict[str, Any]) -> str:
    rounds = data.get("rounds") or []
    return _("「%(title)s」，共 %(count)s 个轮次：%(rounds)s") % {
        "title": data.get("title", "—"),
        "count": len(rounds),
        "rounds": "、".join(rounds),
    }


register(
    {
        "exam_sites.application.created": (gettext_lazy("新建申报表"), _status_change),
        "exam_sites.application.updated": (gettext_lazy("修改申报表"), _edit),
        "exam_sites.application.submitted": (gettext_lazy("提交申报"), _status_change),
        "exam_sites.application.approved": (gettext_lazy("批准"), _status_change),
        "exam_sites.application.returned": (gettext_lazy("退回修改"), _status_change),
        "exam_sites.application.rejected": (gettext_lazy("不予通过"), _status_change),
        "scheduling.batch.created": (gettext_lazy("批次创建"), _old_text(_batch_created)),
        "scheduling.batch.updated": (gettext_lazy("批次修改"), _old_text(_batch_updated)),
        "scheduling.session.created": (gettext_lazy("场次创建"), _old_text(_session)),
        "scheduling.session.deleted": (gettext_lazy("场次删除"), _old_text(_session)),
        "scheduling.seats.allocated": (gettext_lazy("自动排座"), _old_text(_allocated)),
        "scheduling.seats.reallocated": (gettext_lazy("重新排座"), _old_text(_reallocated)),
        "scheduling.seat.moved": (gettext_lazy("调整座位"), _old_text(_moved)),
        "scheduling.announcement.published": (gettext_lazy("公告发布"), _old_text(_published)),
    }
)

# The application lines that change its status (the home page's "最近的考点申报动态").
APPLICATION_STEPS = (
    "exam_sites.application.created",
    "exam_sites.application.submitted",
    "exam_sites.application.approved",
    "exam_sites.application.returned",
    "exam_sites.application.rejected",
)

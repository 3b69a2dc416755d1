"""The audit actions of pilots: each step of a pilot's workflow, with data {from, to, comment}.

Approval also stores the granted ``quota``. The words are built when a line is shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import register

from .models import PilotStatus

# The action of a step, by the status it leads to (also how the old history rows were mapped).
ACTION_BY_STATUS = {
    PilotStatus.APPLIED: "pilots.pilot.submitted",
    PilotStatus.APPROVED: "pilots.pilot.approved",
    PilotStatus.DECLINED: "pilots.pilot.declined",
    PilotStatus.RUNNING: "pilots.pilot.started",
    PilotStatus.FINISHED: "pilots.pilot.finished",
}


def _status(value: Any) -> str:
    return str(PilotStatus(value).label) if value in PilotStatus.values else ""


def step_wording(data: dict[str, Any]) -> str:
    """ "申报中 → 已批准 · 试点指标 30 · 同意": the change of status, the quota granted, the comment."""
    change = " → ".join(label for label in (_status(data.get("from")), _status(data.get("to"))) if label)
    parts = [change]
    if data.get("quota") is not None:
        parts.append(f"{_('试点指标')} {data['quota']}")
    parts.append(data.get("comment") or "")
    return " · ".join(part for part in parts if part)


register(
    {
        ACTION_BY_STATUS[PilotStatus.APPLIED]: (gettext_lazy("提交申报"), step_wording),
        ACTION_BY_STATUS[PilotStatus.APPROVED]: (gettext_lazy("批准"), step_wording),
        ACTION_BY_STATUS[PilotStatus.DECLINED]: (gettext_lazy("不予批准"), step_wording),
        ACTION_BY_STATUS[PilotStatus.RUNNING]: (gettext_lazy("开始实施"), step_wording),
        ACTION_BY_STATUS[PilotStatus.FINISHED]: (gettext_lazy("结束试点"), step_wording),
    }
)

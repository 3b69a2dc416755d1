"""The audit actions of certificates, and how their lines are worded when shown.

Results (``results.result.*``): data ``{before, after, reason}``, ``before`` and ``after`` being a
result's values as ``snapshot`` gives them; a retake row also stores the parts it carried over
(``carried``). A line is written without the organisation while the sheet is being entered; the
notice shares the sheet's lines with it (``services/notice.py``), as the organisation sees results
from then on.

Issued certificates (``certificates.certificate.*``): data holds values (how the number came, who
collected it and when, the reason of a revocation or reissue). Lines moved from the old event table
keep their words in ``comment``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import register

from .models import Result
from .scoring import ONE_DECIMAL

Outcome = Result.Outcome

RESULT_ENTERED = "results.result.entered"
RESULT_CORRECTED = "results.result.corrected"
RESULT_IMPORTED = "results.result.imported"
RESULT_RETAKE = "results.result.retake_created"

CERTIFICATE_ISSUED = "certificates.certificate.issued"
CERTIFICATE_COLLECTED = "certificates.certificate.collected"
CERTIFICATE_REVOKED = "certificates.certificate.revoked"
CERTIFICATE_REPLACED = "certificates.certificate.replaced"
CERTIFICATE_REISSUED = "certificates.certificate.reissued"

# How an issued certificate got its number (data "source").
ISSUED_SOURCES = {
    "typed": gettext_lazy("录入证书编号"),
    "generated": gettext_lazy("系统生成证书编号"),
    "imported": gettext_lazy("导入证书编号"),
}
PARTS = {"theory": gettext_lazy("理论成绩"), "practical": gettext_lazy("实操成绩")}


# --- a result's values ---------------------------------------------------------------------------


def score_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(ONE_DECIMAL).normalize(), "f")


def snapshot(result: Result | None) -> dict[str, Any]:
    """The values a line stores (and a stale save reports); a seat without a result is 未录入."""
    if result is None:
        return {"theory": None, "practical": None, "absent": False, "outcome": Outcome.PENDING}
    return {
        "theory": score_text(result.theory),
        "practical": score_text(result.practical),
        "absent": result.absent,
        "outcome": result.outcome,
    }


def describe_values(values: dict[str, Any] | None) -> str:
    """A result's values in words, e.g. "理论 80 / 实操 55 · 不合格"."""
    if not values:
        return "—"
    if values.get("outcome") == Outcome.ABSENT:
        return str(Outcome.ABSENT.label)
    parts = []
    if values.get("theory") is not None:
        parts.append(_("理论 %(v)s") % {"v": values["theory"]})
    if values.get("practical") is not None:
        parts.append(_("实操 %(v)s") % {"v": values["practical"]})
    outcome = Outcome(values.get("outcome") or Outcome.PENDING).label
    return " / ".join(parts) + (" · " if parts else "") + str(outcome)


def _result_change(data: dict[str, Any]) -> str:
    """ "理论 50 / 实操 70 · 不合格 → 理论 60 / 实操 70 · 合格 · 原因：复核更正"."""
    parts = [f"{describe_values(data.get('before'))} → {describe_values(data.get('after'))}"]
    carried = data.get("carried") or {}
    if carried:
        notes = [
            _("沿用 %(date)s 的%(part)s %(value)s") % {"date": kept["on"], "part": PARTS[part], "value": kept["value"]}
            for part, kept in carried.items()
        ]
        parts.append(_("补考") + "：" + "；".join(notes))
    if data.get("reason"):
        parts.append(_("原因：%(reason)s") % {"reason": data["reason"]})
    return " · ".join(parts)


# --- an issued certificate -------------------------------------------------------------------------


def _issued(data: dict[str, Any]) -> str:
    return data.get("comment") or str(ISSUED_SOURCES.get(data.get("source", ""), ""))


def _collected(data: dict[str, Any]) -> str:
    if data.get("comment"):
        return data["comment"]
    values = {
        "name": data.get("collected_by", ""),
        "date": data.get("collected_on", ""),
        "code": data.get("class_code"),
    }
    if values["code"]:
        return _("%(name)s 于 %(date)s 代班级 %(code)s 签领") % values
    return _("%(name)s 于 %(date)s 签领") % values


def _revoked(data: dict[str, Any]) -> str:
    return data.get("comment") or data.get("reason", "")


def _replaced(data: dict[str, Any]) -> str:
    return data.get("comment") or _("已补发新证书。原因：%(reason)s") % {"reason": data.get("reason", "")}


def _reissued(data: dict[str, Any]) -> str:
    if data.get("comment"):
        return data["comment"]
    return _("补发，原证书编号 %(number)s。原因：%(reason)s") % {
        "number": data.get("replaces_number", ""),
        "reason": data.get("reason", ""),
    }


register(
    {
        RESULT_ENTERED: (gettext_lazy("录入成绩"), _result_change),
        RESULT_CORRECTED: (gettext_lazy("更正成绩"), _result_change),
        RESULT_IMPORTED: (gettext_lazy("导入成绩"), _result_change),
        RESULT_RETAKE: (gettext_lazy("登记补考"), _result_change),
        CERTIFICATE_ISSUED: (gettext_lazy("发证"), _issued),
        CERTIFICATE_COLLECTED: (gettext_lazy("签领"), _collected),
        CERTIFICATE_REVOKED: (gettext_lazy("撤销"), _revoked),
        CERTIFICATE_REPLACED: (gettext_lazy("被补发替换"), _replaced),
        CERTIFICATE_REISSUED: (gettext_lazy("补发"), _reissued),
    }
)

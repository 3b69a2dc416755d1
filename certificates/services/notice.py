"""Writes of a sheet's notice (公示): publishing, objections and their answers, ending.

成绩登记中 → 成绩公示中 (``sheet_publish``) → 已结束 (``sheet_end``), by the school admin only. Ending
is refused before the notice's last day and while an objection waits for its answer. Each takes the
sheet's row lock (``results.lock_sheet``), like every write of a result.

Publishing shares the history of the sheet's results with the certificate's organisation: it sees
the results from then on, with every line written while they were entered.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.models import AuditEntry
from exam_sites.models import Seat

from ..models import Objection, Result, ResultSheet
from ..selectors.results import is_school_admin
from .results import lock_sheet, require_status

Status = ResultSheet.Status
MAX_NOTICE_DAYS = 30


def _require_admin(sheet: ResultSheet, actor: User, action: str) -> None:
    if not is_school_admin(actor, sheet.batch.school_id):
        raise ValidationError(_("只有学校管理员可以%(action)s。") % {"action": action})


def sheet_missing_count(sheet: ResultSheet) -> int:
    """Seats of the batch whose result is not entered yet."""
    seats = Seat.objects.filter(batch_id=sheet.batch_id).count()
    entered = Result.objects.filter(sheet=sheet).exclude(outcome=Result.Outcome.PENDING).count()
    return max(seats - entered, 0)


def _share_history_with_organisation(sheet: ResultSheet) -> None:
    """The lines of the sheet's results, written while only the school saw them, now for the organisation too."""
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Result),
        object_id__in=Result.objects.filter(sheet=sheet).values("pk"),
        organisation__isnull=True,
    ).update(organisation_id=sheet.batch.pilot.certificate.organisation_id)


@transaction.atomic
def sheet_publish(
    *, sheet: ResultSheet, actor: User, notice_days: int | None = None, today: datetime.date | None = None
) -> ResultSheet:
    """成绩登记中 → 成绩公示中: the school admin publishes the entered results for the notice period."""
    # Lock the sheet: a row saved while publishing must be either in before or refused after.
    sheet = lock_sheet(sheet.pk)
    action = str(_("发布公示"))
    _require_admin(sheet, actor, action)
    require_status(sheet, Status.ENTERING, action)
    if not Seat.objects.filter(batch_id=sheet.batch_id).exists():
        raise ValidationError(_("该批次没有考生，不能发布公示。"))
    missing = sheet_missing_count(sheet)
    if missing:
        raise ValidationError(_("还有 %(n)s 名考生的成绩未录入，不能发布公示。") % {"n": missing})
    days = sheet.notice_days if notice_days is None else int(notice_days)
    if days < 0 or days > MAX_NOTICE_DAYS:
        raise ValidationError(_("公示天数须在 0 到 %(max)s 天之间。") % {"max": MAX_NOTICE_DAYS})
    today = today or timezone.localdate()
    sheet.status = Status.NOTICE
    sheet.notice_days = days
    sheet.published_at = timezone.now()
    sheet.published_by = actor
    sheet.notice_ends_on = today + datetime.timedelta(days=days)
    sheet.save(update_fields=["status", "notice_days", "published_at", "published_by", "notice_ends_on"])
    _share_history_with_organisation(sheet)
    return sheet


@transaction.atomic
def sheet_end(*, sheet: ResultSheet, actor: User, today: datetime.date | None = None) -> ResultSheet:
    """成绩公示中 → 已结束: final and locked; from now on certificates can be issued.

    Never before the notice's last day, and never while an objection waits for its answer.
    """
    # Lock the sheet: an objection or correction recorded meanwhile must be seen here.
    sheet = lock_sheet(sheet.pk)
    action = str(_("结束公示"))
    _require_admin(sheet, actor, action)
    require_status(sheet, Status.NOTICE, action)
    today = today or timezone.localdate()
    if sheet.notice_ends_on and today < sheet.notice_ends_on:
        raise ValidationError(
            _("公示期至 %(date)s，公示期满前不能结束。") % {"date": sheet.notice_ends_on.strftime("%Y-%m-%d")}
        )
    open_count = Objection.objects.filter(sheet=sheet, status=Objection.Status.OPEN).count()
    if open_count:
        raise ValidationError(_("还有 %(n)s 条异议未答复，不能结束公示。") % {"n": open_count})
    sheet.status = Status.FINAL
    sheet.ended_at = timezone.now()
    sheet.ended_by = actor
    sheet.save(update_fields=["status", "ended_at", "ended_by"])
    return sheet


@transaction.atomic
def objection_record(
    *,
    sheet: ResultSheet,
    actor: User,
    received_on: datetime.date,
    raised_by: str,
    content: str,
    result: Result | None = None,
) -> Objection:
    """The school admin records an objection raised during the notice (candidates have no login)."""
    # Lock the sheet: an objection must not slip in after a concurrent end.
    sheet = lock_sheet(sheet.pk)
    action = str(_("登记异议"))
    _require_admin(sheet, actor, action)
    require_status(sheet, Status.NOTICE, action)
    if result is not None and result.sheet_id != sheet.pk:
        raise ValidationError(_("该成绩不属于这个批次。"))
    if not raised_by.strip() or not content.strip():
        raise ValidationError(_("请填写提出人和异议内容。"))
    if received_on > timezone.localdate():
        raise ValidationError(_("收到日期不能晚于今天。"))
    return Objection.objects.create(
        sheet=sheet,
        result=result,
        received_on=received_on,
        raised_by=raised_by.strip(),
        content=content.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def objection_answer(*, objection: Objection, actor: User, answer: str) -> Objection:
    """The school admin records the answer to an objection, during the notice."""
    sheet = lock_sheet(objection.sheet_id)
    action = str(_("答复异议"))
    _require_admin(sheet, actor, action)
    require_status(sheet, Status.NOTICE, action)
    # Lock the objection too: two answers at once must not both pass the status check.
    objection = Objection.objects.select_for_update(of=("self",)).get(pk=objection.pk)
    if objection.status != Objection.Status.OPEN:
        raise ValidationError(_("该异议已答复。"))
    if not answer.strip():
        raise ValidationError(_("请填写答复内容。"))
    objection.answer = answer.strip()
    objection.status = Objection.Status.ANSWERED
    objection.answered_at = timezone.now()
    objection.save(update_fields=["answer", "status", "answered_at"])
    return objection

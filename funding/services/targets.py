"""Performance targets: create one; report a reported target's value with its evidence."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from funding.history import log
from funding.models import FundingProject, PerformanceTarget, TargetKind, TargetReport
from funding.money import as_text, money


def _metric_and_name(project: FundingProject, kind: str, metric: str, name: str) -> tuple[str, str]:
    """A live target names a computed metric (once per project); a reported one only a name."""
    name = name.strip()
    if kind == TargetKind.LIVE:
        if not metric:
            raise ValidationError(_("自动统计的指标须选择指标。"))
        if PerformanceTarget.objects.filter(project=project, kind=TargetKind.LIVE, metric=metric).exists():
            raise ValidationError(_("该指标已设置绩效目标。"))
        return metric, ""
    if not name:
        raise ValidationError(_("填报类指标须填写指标名称。"))
    return "", name


def performance_target_create(
    *,
    project: FundingProject,
    comparison: str,
    target: Decimal,
    metric: str = "",
    actor: User | None,
    kind: str = TargetKind.LIVE,
    name: str = "",
    description: str = "",
) -> PerformanceTarget:
    """A live target names a computed metric; a reported one (e.g. 毕业生就业率) only a name."""
    metric, name = _metric_and_name(project, kind, metric, name)
    target = money(target)
    if target < 0:
        raise ValidationError(_("目标值不能为负数。"))
    with transaction.atomic():
        created = PerformanceTarget.objects.create(
            project=project,
            kind=kind,
            metric=metric,
            name=name,
            comparison=comparison,
            target=target,
            description=description,
        )
        values = {
            "kind": kind,
            "metric": metric,
            "name": name,
            "comparison": comparison,
            "target": as_text(target),
            "description": description,
        }
        log(project, "funding.target.created", actor=actor, data={"target_id": created.pk, "new": values})
    return created


def target_report(
    *,
    target: PerformanceTarget,
    value: Decimal,
    evidence_note: str,
    actor: User | None,
    evidence_file: UploadedFile | None = None,
) -> PerformanceTarget:
    """Enter the actual value of a reported target with its evidence; who and when are kept.

    The target holds the latest report (the performance table reads it); every report is also
    written as a ``TargetReport`` row, so a correction never erases the value it replaces. A report
    without a new file rests on the file already there: its row names that same stored file.
    """
    evidence_note = evidence_note.strip()
    with transaction.atomic():
        # Lock the target: two admins reporting at once would otherwise leave one's value with the
        # other's evidence.
        locked = PerformanceTarget.objects.select_for_update().get(pk=target.pk)
        if locked.kind != TargetKind.REPORTED:
            raise ValidationError(_("自动统计的指标不能手工填报。"))
        if not evidence_note and not evidence_file and not locked.evidence_file:
            raise ValidationError(_("请填写佐证说明或上传佐证材料。"))
        previous = locked.reported_value
        locked.reported_value = money(value)
        locked.evidence_note = evidence_note
        if evidence_file:
            locked.evidence_file = evidence_file
        locked.reported_by = actor
        locked.reported_at = timezone.now()
        locked.save()
        TargetReport.objects.create(
            target=locked,
            value=locked.reported_value,
            evidence_note=evidence_note,
            evidence_file=locked.evidence_file.name or "",
            reported_by=actor,
            reported_at=locked.reported_at,
        )
        data = {
            "target_id": locked.pk,
            "name": locked.name,
            "old": {"reported_value": as_text(previous)},
            "new": {"reported_value": as_text(locked.reported_value), "evidence_note": evidence_note},
        }
        log(locked.project, "funding.target.reported", actor=actor, data=data)
    return locked

"""Writes of batches (the school): plan one in a published round at an approved site, edit it.

Creating a batch and every edit that changes something leave their line in the audit log
(``scheduling.batch.created/updated``), seen by the school and by the organisation of the batch's
certificate, as the batch is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from core.audit import record
from pilots.models import Pilot, PilotStatus

from ..models import Batch, ExamSite, Round
from ..selectors.batches import PLANNABLE_PILOT_STATUSES, teachers_for_batch
from .common import day_text, level_label, levels_label, optional_day, staff_name


def _site_errors(*, pilot: Pilot, site: ExamSite) -> list[str]:
    if site.certificate_id != pilot.certificate_id:
        return [
            _("考点「%(site)s」是「%(site_certificate)s」的考点，不能考核「%(certificate)s」。")
            % {"site": site.name, "site_certificate": site.certificate.name, "certificate": pilot.certificate.name}
        ]
    if site.levels and pilot.level not in site.levels:
        return [
            _("考点「%(site)s」获批的考核等级为 %(levels)s，不含%(level)s。")
            % {"site": site.name, "levels": levels_label(site.levels), "level": level_label(pilot.level)}
        ]
    return []


def _round_errors(*, pilot: Pilot, exam_round: Round, today: date) -> list[str]:
    errors = []
    announcement = exam_round.announcement
    if announcement.certificate_id != pilot.certificate_id:
        errors.append(
            _("轮次「%(round)s」属于「%(round_certificate)s」的公告，不能安排「%(certificate)s」的批次。")
            % {
                "round": exam_round.name,
                "round_certificate": announcement.certificate.name,
                "certificate": pilot.certificate.name,
            }
        )
    elif announcement.published_at is None:
        errors.append(_("该轮次所在的公告尚未发布。"))
    if pilot.level not in (exam_round.levels or []):
        errors.append(
            _("轮次「%(round)s」考核 %(levels)s，不含该试点的%(level)s。")
            % {
                "round": exam_round.name,
                "levels": levels_label(exam_round.levels or []),
                "level": level_label(pilot.level),
            }
        )
    if today > exam_round.registration_closes_on:
        errors.append(registration_closed(exam_round, today))
    return errors


def registration_closed(exam_round: Round, today: date) -> str:
    """The refusal of planning after the round's registration deadline (batches and sessions)."""
    return _("轮次「%(round)s」已于 %(close)s 截止报名（今天是 %(today)s），不能再安排批次或场次。") % {
        "round": exam_round.name,
        "close": day_text(exam_round.registration_closes_on),
        "today": day_text(today),
    }


def _check_batch_plan(*, pilot: Pilot, site: ExamSite, exam_round: Round, today: date) -> None:
    errors = []
    if pilot.status not in PLANNABLE_PILOT_STATUSES:
        errors.append(
            _("只有已批准或实施中的试点可以安排考核，该试点当前为「%(status)s」。")
            % {"status": PilotStatus(pilot.status).label}
        )
    errors += _site_errors(pilot=pilot, site=site)
    errors += _round_errors(pilot=pilot, exam_round=exam_round, today=today)
    if errors:
        raise ValidationError(errors)


def _check_familiarisation(*, exam_round: Round, familiarisation_on: date | None) -> None:
    if familiarisation_on is not None and familiarisation_on > exam_round.ends_on:
        raise ValidationError(
            _("熟悉场地日（%(day)s）须在本轮考核结束（%(end)s）之前。")
            % {"day": day_text(familiarisation_on), "end": day_text(exam_round.ends_on)}
        )


def batch_create(
    *,
    school: School,
    actor: User,
    pilot: Pilot,
    site: ExamSite,
    exam_round: Round,
    name: str = "",
    familiarisation_on: date | None = None,
    today: date | None = None,
) -> Batch:
    if pilot.school_id != school.pk or site.school_id != school.pk:
        raise ValidationError(_("只能为本校的试点在本校的考点安排考核批次。"))
    _check_batch_plan(pilot=pilot, site=site, exam_round=exam_round, today=today or timezone.localdate())
    _check_familiarisation(exam_round=exam_round, familiarisation_on=familiarisation_on)
    name = name.strip() or f"{exam_round.name} · {pilot.certificate.name}{level_label(pilot.level)}"
    with transaction.atomic():
        batch = Batch.objects.create(
            school=school,
            pilot=pilot,
            site=site,
            round=exam_round,
            name=name[:100],
            familiarisation_on=familiarisation_on,
            created_by=actor,
        )
        data = {
            "name": batch.name,
            "pilot_id": pilot.pk,
            "pilot_year": pilot.year,
            "certificate": pilot.certificate.name,
            "level": pilot.level,
            "site_id": site.pk,
            "site": site.name,
            "round_id": exam_round.pk,
            "round": exam_round.name,
            "year": exam_round.announcement.year,
            "familiarisation_on": optional_day(familiarisation_on),
        }
        record(batch, "scheduling.batch.created", actor=actor, data=data)
    return batch


def batch_update(
    *, batch: Batch, actor: User, name: str, familiarisation_on: date | None, teachers: Iterable[User]
) -> Batch:
    """Name, the free familiarisation day (熟悉场地) and the teachers who will enter results. What
    changed is written to the history; a save that changes nothing writes none."""
    teachers = list(teachers)
    allowed = set(teachers_for_batch().filter(pk__in=[t.pk for t in teachers]).values_list("pk", flat=True))
    strangers = [t for t in teachers if t.pk not in allowed]
    if strangers:
        raise ValidationError(
            _("只能指派本校教职工：%(names)s 不是本校成员。") % {"names": "、".join(staff_name(t) for t in strangers)}
        )
    _check_familiarisation(exam_round=batch.round, familiarisation_on=familiarisation_on)
    with transaction.atomic():
        # The row as it is now, locked: the history compares with it, not with a stale form.
        before = Batch.objects.select_for_update().get(pk=batch.pk)
        before_teachers = {t.pk: t for t in before.teachers.all()}
        batch.name = (name.strip() or before.name)[:100]
        batch.familiarisation_on = familiarisation_on
        batch.save(update_fields=["name", "familiarisation_on"])
        batch.teachers.set(teachers)
        data = _batch_changes(before, before_teachers, batch, {t.pk: t for t in teachers})
        if data:
            record(batch, "scheduling.batch.updated", actor=actor, data=data)
    return batch


def _batch_changes(
    before: Batch, before_teachers: dict[int, User], after: Batch, after_teachers: dict[int, User]
) -> dict[str, Any]:
    """What an edit changed, old and new values (empty: nothing changed)."""
    data: dict[str, Any] = {}
    if before.name != after.name:
        data["name"] = {"old": before.name, "new": after.name}
    if before.familiarisation_on != after.familiarisation_on:
        data["familiarisation_on"] = {
            "old": optional_day(before.familiarisation_on),
            "new": optional_day(after.familiarisation_on),
        }
    added = [t for pk, t in after_teachers.items() if pk not in before_teachers]
    removed = [t for pk, t in before_teachers.items() if pk not in after_teachers]
    if added:
        data["teachers_added"] = [t.pk for t in added]
        data["teachers_added_names"] = [staff_name(t) for t in added]
    if removed:
        data["teachers_removed"] = [t.pk for t in removed]
        data["teachers_removed_names"] = [staff_name(t) for t in removed]
    return data

"""Writes of the catalogue, the fee standards and pilots; every step of a pilot writes a line of its
history to the one audit log (actions in ``pilots/history.py``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, School, User
from core.audit import record
from core.scoping import ORGANISATION, PLATFORM, SCHOOL, TenantRef

from .models import Certificate, CertificateLevel, FeeStandard, Level, Pilot, PilotStatus


@transaction.atomic
def certificate_upsert(
    *,
    code: str,
    name: str,
    organisation: Organisation,
    pass_marks: dict[str, Decimal | int],
    has_theory: bool = True,
    has_practical: bool = True,
) -> Certificate:
    """Create or update a catalogue entry and its levels (``pass_marks``: level -> mark)."""
    certificate, _created = Certificate.objects.update_or_create(
        code=code,
        defaults={"name": name, "organisation": organisation, "has_theory": has_theory, "has_practical": has_practical},
    )
    for level, mark in pass_marks.items():
        if level not in Level.values:
            raise ValueError(level)
        CertificateLevel.objects.update_or_create(certificate=certificate, level=level, defaults={"pass_mark": mark})
    return certificate


# --- fees --------------------------------------------------------------------------------------


def fee_standard_set(
    *, tenant: TenantRef, certificate: Certificate, level: str, fee: Decimal, effective_from: date
) -> FeeStandard:
    """Set the fee of a certificate level from a date on. A reviewer only for its own
    organisation's certificates; the platform for any."""
    if tenant.kind == ORGANISATION:
        if certificate.organisation_id != tenant.pk:
            raise ValidationError(_("只能维护本组织证书的收费标准。"))
    elif tenant.kind != PLATFORM:
        raise ValidationError(_("只有培训评价组织或平台管理员可以维护收费标准。"))
    if fee < 0:
        raise ValidationError(_("收费标准不能为负数。"))
    standard, _created = FeeStandard.objects.update_or_create(
        certificate=certificate, level=level, effective_from=effective_from, defaults={"fee": fee}
    )
    return standard


# --- pilots --------------------------------------------------------------------------------------


@transaction.atomic
def pilot_apply(
    *,
    school: School,
    actor: User | None,
    certificate: Certificate,
    level: str,
    year: int,
    cohort: str,
    requested_quota: int,
    notes: str = "",
) -> Pilot:
    """A school applies to pilot a certificate level for a year (status 申报中)."""
    if not CertificateLevel.objects.filter(certificate=certificate, level=level).exists():
        raise ValidationError(_("该证书不设此等级。"))
    if requested_quota is None or requested_quota < 1:
        raise ValidationError(_("申报人数须至少为 1。"))
    same = {"school": school, "certificate": certificate, "level": level, "year": year, "cohort": cohort}
    if Pilot.objects.filter(**same).exclude(status=PilotStatus.DECLINED).exists():
        raise ValidationError(_("本校该年度已申报过同一证书、等级和试点对象的试点。"))
    pilot = Pilot(**same, requested_quota=requested_quota, notes=notes, created_by=actor)
    pilot.full_clean(exclude=["quota"])
    pilot.save()
    record(pilot, "pilots.pilot.submitted", actor=actor, data={"from": "", "to": pilot.status, "comment": notes})
    return pilot


def _locked(pilot_id: int) -> Pilot:
    # Locks the pilot row: two reviewers (or a reviewer and a school) acting at once cannot both
    # move it out of the same status, and an enrolment counting places waits for the new quota.
    return Pilot.objects.select_for_update(of=("self",)).select_related("certificate").get(pk=pilot_id)


def _require_reviewer_of(pilot: Pilot, tenant: TenantRef) -> None:
    if tenant.kind != ORGANISATION or pilot.certificate.organisation_id != tenant.pk:
        raise ValidationError(_("只有该证书所属培训评价组织的审核员可以审批此试点。"))


def _require_school_of(pilot: Pilot, tenant: TenantRef) -> None:
    if tenant.kind != SCHOOL or pilot.school_id != tenant.pk:
        raise ValidationError(_("只有申报学校可以执行此操作。"))


def _require_status(pilot: Pilot, *allowed: str) -> None:
    if pilot.status not in allowed:
        raise ValidationError(
            _("试点当前状态为“%(status)s”，不能执行此操作。") % {"status": pilot.get_status_display()}
        )


def _move(pilot: Pilot, status: str, action: str, *, actor: User | None, comment: str, **data: object) -> Pilot:
    """Save the locked pilot in its new status, with the line of history ``action``; ``data`` names
    the other fields that changed with it."""
    before = pilot.status
    pilot.status = status
    pilot.save(update_fields=[*data, "status", "updated_at"])
    record(pilot, action, actor=actor, data={"from": before, "to": status, "comment": comment, **data})
    return pilot


@transaction.atomic
def pilot_approve(*, pilot_id: int, tenant: TenantRef, actor: User | None, quota: int, comment: str = "") -> Pilot:
    """The owning organisation's reviewer grants a quota (at most the requested one)."""
    pilot = _locked(pilot_id)
    _require_reviewer_of(pilot, tenant)
    _require_status(pilot, PilotStatus.APPLIED)
    if quota is None or quota < 1:
        raise ValidationError(_("试点指标须至少为 1。"))
    if quota > pilot.requested_quota:
        raise ValidationError(_("试点指标不能超过申报人数（%(n)s）。") % {"n": pilot.requested_quota})
    pilot.quota = quota
    return _move(pilot, PilotStatus.APPROVED, "pilots.pilot.approved", actor=actor, comment=comment, quota=quota)


@transaction.atomic
def pilot_decline(*, pilot_id: int, tenant: TenantRef, actor: User | None, reason: str) -> Pilot:
    """The owning organisation's reviewer declines the application, with a reason."""
    pilot = _locked(pilot_id)
    _require_reviewer_of(pilot, tenant)
    _require_status(pilot, PilotStatus.APPLIED)
    if not (reason or "").strip():
        raise ValidationError(_("请填写不予批准的理由。"))
    return _move(pilot, PilotStatus.DECLINED, "pilots.pilot.declined", actor=actor, comment=reason.strip())


# The school's own steps: (the status its pilot must have, the new one, the line of history).
_START = (PilotStatus.APPROVED, PilotStatus.RUNNING, "pilots.pilot.started")
_FINISH = (PilotStatus.RUNNING, PilotStatus.FINISHED, "pilots.pilot.finished")


def _school_moves(
    pilot_id: int, tenant: TenantRef, actor: User | None, comment: str, step: tuple[str, str, str]
) -> Pilot:
    allowed, status, action = step
    pilot = _locked(pilot_id)
    _require_school_of(pilot, tenant)
    _require_status(pilot, allowed)
    return _move(pilot, status, action, actor=actor, comment=comment)


@transaction.atomic
def pilot_start(*, pilot_id: int, tenant: TenantRef, actor: User | None, comment: str = "") -> Pilot:
    """The school starts an approved pilot (已批准 → 实施中)."""
    return _school_moves(pilot_id, tenant, actor, comment, _START)


@transaction.atomic
def pilot_finish(*, pilot_id: int, tenant: TenantRef, actor: User | None, comment: str = "") -> Pilot:
    """The school closes a running pilot (实施中 → 已结束)."""
    return _school_moves(pilot_id, tenant, actor, comment, _FINISH)

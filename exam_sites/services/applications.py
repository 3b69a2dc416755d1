"""Writes of exam-site applications: create, edit, submit, and the reviewer's decisions.

Every write locks the application row, checks its status and the version the user saw
(``core.concurrency.check_version``), and bumps the version, so that two people editing (or deciding)
at once never silently overwrite each other. Each write leaves its line in the audit log in the same
transaction (``exam_sites.application.*``; while a draft, the school's only); a change of status tells the other side by e-mail once
the transaction commits (``services.notifications``). An approval makes the site (``services.sites``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from core.audit import record
from core.concurrency import bump, check_version
from core.models import StoredFile
from core.pdf import render_pdf
from pilots.models import Certificate, Level

from ..models import PartnerUnit, SiteApplication, SiteContact, SiteRoom
from ..selectors.applications import application_document, application_get
from .notifications import notify, require_reviewer, reviewers, school_admins
from .sites import site_from_approval

Status = SiteApplication.Status

# The fields of the form a school may edit (everything of the paper form but its children).
EDITABLE_FIELDS = (
    "unit_name",
    "address",
    "is_pilot_school",
    "kind",
    "levels",
    "daily_max",
    "expected_candidates",
    "sessions_per_day",
    "profile",
    "computers",
    "software",
    "network",
    "organisation_text",
    "exam_team",
    "rules",
    "mechanism",
    "is_joint",
    "lead_school_name",
)
CONTACT_FIELDS = ("name", "title", "phone", "mobile", "email", "wechat")
ACTION_BY_STATUS = {
    Status.SUBMITTED: "exam_sites.application.submitted",
    Status.APPROVED: "exam_sites.application.approved",
    Status.RETURNED: "exam_sites.application.returned",
    Status.REJECTED: "exam_sites.application.rejected",
}


def _lock(application: SiteApplication) -> SiteApplication:
    # Lock only the application row (not the joined certificate/organisation rows on PostgreSQL).
    return SiteApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)


def _line(application: SiteApplication, action: str, *, actor: User | None, data: dict[str, Any]) -> None:
    """One line of the application's history. The organisation's reviewers never see a draft, so a
    line written while the application is one is the school's only."""
    if application.status == Status.DRAFT:
        record(application, action, actor=actor, data=data, organisation=None)
    else:
        record(application, action, actor=actor, data=data)


def _log_step(application: SiteApplication, *, actor: User | None, before: str, comment: str = "") -> None:
    """The line of a change of status: from, to, the comment and the version it made."""
    action = ACTION_BY_STATUS.get(application.status, "exam_sites.application.created")
    data = {"from": before, "to": application.status, "comment": comment, "version": application.version}
    _line(application, action, actor=actor, data=data)


# --- the school's side -----------------------------------------------------------------------


@transaction.atomic
def application_create(
    *, school: School, certificate: Certificate, actor: User, kind: str = SiteApplication.Kind.EXAM_SITE
) -> SiteApplication:
    """A draft prefilled from the school's record (name, address, profile, pilot school)."""
    if kind not in SiteApplication.Kind.values:
        raise ValidationError(_("未知的申报类型。"))
    if not certificate.is_active:
        raise ValidationError(_("该证书已停用，不能申报考点。"))
    open_exists = SiteApplication.objects.filter(
        school=school, certificate=certificate, kind=kind, status__in=SiteApplication.OPEN_STATUSES
    ).exists()
    if open_exists:
        raise ValidationError(_("本校已有该证书同类型的未完成申报，请继续编辑那一份。"))
    application = SiteApplication.objects.create(
        school=school,
        certificate=certificate,
        kind=kind,
        unit_name=school.name,
        address=school.address,
        profile=school.profile,
        is_pilot_school=school.is_pilot_school,
        levels=[],
        created_by=actor,
    )
    for role in SiteContact.Role.values:
        SiteContact.objects.create(application=application, role=role)
    _log_step(application, actor=actor, before="")
    return application


def _clean_levels(levels: Iterable[str]) -> list[str]:
    chosen = set(levels or [])
    unknown = chosen - set(Level.values)
    if unknown:
        raise ValidationError(_("未知的考核等级。"))
    return [value for value in Level.values if value in chosen]


def _apply_fields(application: SiteApplication, fields: dict[str, Any], rooms: list[dict[str, Any]]) -> None:
    """Set the form's own fields on the (locked) row, refusing what a school may not write."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        if name == "levels":
            value = _clean_levels(value)
        setattr(application, name, value)
    if application.kind not in SiteApplication.Kind.values:
        raise ValidationError(_("未知的申报类型。"))
    for room in rooms:
        if room["area"] is None or Decimal(room["area"]) <= 0:
            raise ValidationError(_("场地「%(name)s」的面积必须大于 0。") % {"name": room["name"]})
        if room["workstations"] is None or int(room["workstations"]) <= 0:
            raise ValidationError(_("场地「%(name)s」的工位数必须大于 0。") % {"name": room["name"]})


def _save_children(
    application: SiteApplication,
    contacts: dict[str, dict[str, str]],
    rooms: list[dict[str, Any]],
    partners: list[dict[str, Any]],
) -> None:
    """The contacts, rooms and partner units as the form lists them (rooms and partners replaced)."""
    for role in SiteContact.Role.values:
        data = {k: (contacts.get(role, {}).get(k) or "") for k in CONTACT_FIELDS}
        SiteContact.objects.update_or_create(application=application, role=role, defaults=data)
    application.rooms.all().delete()
    SiteRoom.objects.bulk_create(
        SiteRoom(application=application, name=r["name"], area=r["area"], workstations=r["workstations"], position=i)
        for i, r in enumerate(rooms)
    )
    application.partners.all().delete()
    PartnerUnit.objects.bulk_create(
        PartnerUnit(
            application=application,
            name=p["name"],
            address=p.get("address") or "",
            contribution=p.get("contribution") or "",
            position=i,
        )
        for i, p in enumerate(partners)
    )


def _snapshot(application: SiteApplication) -> dict[str, Any]:
    """The values an edit may change, to name what it changed (values compared, never stored)."""
    values: dict[str, Any] = {name: getattr(application, name) for name in EDITABLE_FIELDS}
    values["contacts"] = sorted(application.contacts.values_list("role", *CONTACT_FIELDS))
    values["rooms"] = list(application.rooms.order_by("position", "id").values_list("name", "area", "workstations"))
    values["partners"] = list(
        application.partners.order_by("position", "id").values_list("name", "address", "contribution")
    )
    return values


@transaction.atomic
def application_update(
    *,
    application: SiteApplication,
    actor: User,
    version: int,
    fields: dict[str, Any],
    contacts: dict[str, dict[str, str]],
    rooms: list[dict[str, Any]],
    partners: list[dict[str, Any]],
) -> SiteApplication:
    """Save the form as it stands (a draft save: required fields wait for submission)."""
    # Lock the row: two tabs saving at once must not both pass the version check.
    application = _lock(application)
    if not application.is_editable:
        raise ValidationError(
            _("申报表状态为「%(status)s」，不能修改。") % {"status": application.get_status_display()}
        )
    check_version(application, version)
    before = _snapshot(application)
    _apply_fields(application, fields, rooms)
    bump(application)
    application.save()
    _save_children(application, contacts, rooms, partners)
    after = _snapshot(application)
    changed = [name for name in after if before[name] != after[name]]
    _line(
        application,
        "exam_sites.application.updated",
        actor=actor,
        data={"version": application.version, "fields": changed},
    )
    return application


def submission_problems(application: SiteApplication) -> list[str]:
    """What the paper form requires before it can be submitted, in the form's order."""
    problems: list[str] = []

    def require(*names: str) -> None:
        for name in names:
            if not str(getattr(application, name) or "").strip():
                label = SiteApplication._meta.get_field(name).verbose_name
                problems.append(_("请填写%(field)s。") % {"field": label})

    require("unit_name", "address")
    problems += _scale_problems(application)
    by_role = {c.role: c for c in application.contacts.all()}
    for role, label in SiteContact.Role.choices:
        contact = by_role.get(role)
        if contact is None or not contact.is_complete:
            problems.append(_("请填写%(role)s的姓名、职务、手机和电子邮箱。") % {"role": label})
    require("profile")
    problems += _room_problems(application)
    require("computers", "software", "network", "organisation_text", "exam_team", "rules", "mechanism")
    if application.is_joint:
        if not application.lead_school_name.strip():
            problems.append(_("联合申报须填写牵头单位。"))
        if not application.partners.exists():
            problems.append(_("联合申报须至少列出一个联合单位。"))
    return problems


def _scale_problems(application: SiteApplication) -> list[str]:
    problems = []
    if not application.levels:
        problems.append(_("请至少选择一个申报考核等级。"))
    if not application.daily_max or application.daily_max <= 0:
        problems.append(_("每天最大考核量必须大于 0。"))
    if application.expected_candidates is None or application.expected_candidates < 0:
        problems.append(_("请填写预计考核人数（不小于 0）。"))
    if not application.sessions_per_day or application.sessions_per_day < 1:
        problems.append(_("每天考核场次至少为 1。"))
    return problems


def _room_problems(application: SiteApplication) -> list[str]:
    problems = []
    rooms = list(application.rooms.all())
    if not rooms:
        problems.append(_("请至少填写一个考核场地（名称、面积、工位数）。"))
    for room in rooms:
        if room.area <= 0 or room.workstations <= 0:
            problems.append(_("场地「%(name)s」的面积和工位数必须大于 0。") % {"name": room.name})
    capacity = sum(r.workstations for r in rooms) * (application.sessions_per_day or 0)
    if application.daily_max and rooms and application.daily_max > capacity:
        problems.append(
            _("每天最大考核量 %(max)s 超过了场地工位数合计 × 每天场次 = %(capacity)s。")
            % {"max": application.daily_max, "capacity": capacity}
        )
    return problems


@transaction.atomic
def application_submit(*, application: SiteApplication, actor: User, version: int) -> SiteApplication:
    # Lock the row: a submit racing an edit in another tab must see the edit's version.
    application = _lock(application)
    if not application.is_editable:
        raise ValidationError(
            _("申报表状态为「%(status)s」，不能提交。") % {"status": application.get_status_display()}
        )
    check_version(application, version, outcome=_("申报尚未提交；请核对后，如仍需提交，再次提交。"))
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    before = application.status
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    bump(application)
    application.save()
    _log_step(application, actor=actor, before=before)
    notify(application, reviewers(application))
    return application


# --- the reviewer's side ---------------------------------------------------------------------


def _decide(
    *, application: SiteApplication, actor: User, version: int | None, to: str, comment: str
) -> SiteApplication:
    # Lock the row: two reviewers deciding at once must not both pass the status check.
    application = _lock(application)
    require_reviewer(application, actor)
    check_version(application, version, outcome=_("您的审批尚未生效；请核对后，如仍需审批，再次提交。"))
    if application.status != Status.SUBMITTED:
        raise ValidationError(
            _("只能审批已提交的申报，此申报的状态为「%(status)s」。") % {"status": application.get_status_display()}
        )
    before = application.status
    application.status = to
    application.review_comment = comment
    application.decided_at = timezone.now()
    application.decided_by = actor
    bump(application)
    application.save()
    _log_step(application, actor=actor, before=before, comment=comment)
    notify(application, school_admins(application), comment)
    return application


@transaction.atomic
def application_approve(
    *, application: SiteApplication, actor: User, version: int | None = None, comment: str = ""
) -> SiteApplication:
    """Approve: a 考点 becomes an exam site with its rooms; a 省指导中心 marks the school, no capacity."""
    application = _decide(application=application, actor=actor, version=version, to=Status.APPROVED, comment=comment)
    site_from_approval(application)
    return application


@transaction.atomic
def application_return(
    *, application: SiteApplication, actor: User, comment: str, version: int | None = None
) -> SiteApplication:
    """Back to the school for revision, with the comment it will see."""
    if not (comment or "").strip():
        raise ValidationError(_("退回修改时必须填写修改意见。"))
    return _decide(application=application, actor=actor, version=version, to=Status.RETURNED, comment=comment.strip())


@transaction.atomic
def application_reject(
    *, application: SiteApplication, actor: User, comment: str, version: int | None = None
) -> SiteApplication:
    if not (comment or "").strip():
        raise ValidationError(_("不予通过时必须填写理由。"))
    return _decide(application=application, actor=actor, version=version, to=Status.REJECTED, comment=comment.strip())


# --- the PDF ---------------------------------------------------------------------------------


def application_pdf(*, application_id: int, owner_id: int | None) -> StoredFile:
    """The A4 paper form of one application (runs in the worker, in the requester's scope).

    The HTML depends only on the application's stored data (no "printed now"), so the same version
    renders to the same digest and core.pdf returns the file already made; an edit bumps the version,
    which is printed, so it renders anew.
    """
    application = application_get(application_id=application_id)
    context = application_document(application)
    context["notes_contact"] = application.certificate.organisation
    return render_pdf(
        template_name="exam_sites/pdf/application.html",
        context=context,
        filename=f"site-application-{application.pk}-v{application.version}.pdf",
        owner_id=owner_id,
    )

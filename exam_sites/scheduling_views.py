"""Pages of assessment scheduling: announcements and rounds, batches, sessions, seats, session lists."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.models import Organisation
from accounts.selectors import current_school
from core.feedback import errors_to_form, errors_to_messages
from core.jobs import job_create
from core.permissions import permission_required
from core.views import ExportView

from .models import Batch, ExamSession
from .scheduling_forms import AllocateForm, AnnouncementForm, BatchEditForm, BatchForm, MoveForm, RoundForm, SessionForm
from .scheduling_selectors import (
    announcement_events,
    announcement_get,
    announcement_rounds,
    announcements_visible,
    batch_candidates,
    batch_events,
    batch_get,
    batch_sessions,
    batches_visible,
    level_labels,
    open_rounds,
    session_get,
    session_list_document,
)
from .scheduling_services import (
    announcement_create,
    announcement_publish,
    batch_create,
    batch_update,
    round_create,
    seat_move,
    seats_allocate,
    session_create,
    session_delete,
)
from .scheduling_spreadsheets import SessionListExporter
from .tasks import render_session_list_pdf


def _may_manage(request: HttpRequest) -> bool:
    return (
        request.tenant is not None and request.tenant.school_id is not None and request.tenant.has(roles.MANAGE_SCHOOL)
    )


# --- announcements and rounds ------------------------------------------------------------------


@permission_required(None)  # the selector decides: an organisation's own, a school's piloted and published
def announcement_list(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant
    if tenant is None:
        raise PermissionDenied
    form = None
    if tenant.has(roles.REVIEW) and tenant.organisation_id:
        form = AnnouncementForm(organisation_id=tenant.organisation_id, initial={"year": timezone.localdate().year})
    return render(
        request,
        "exam_sites/scheduling/announcement_list.html",
        {"announcements": announcements_visible(), "form": form},
    )


@permission_required(roles.REVIEW)
def announcement_new(request: HttpRequest) -> HttpResponse:
    organisation_id = request.tenant.organisation_id
    form = AnnouncementForm(request.POST or None, organisation_id=organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = announcement_create(
                organisation=Organisation.objects.get(pk=organisation_id), **form.cleaned_data
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("公告已保存为草稿，请添加轮次后发布。"))
            return redirect("exam_sites:announcement_detail", announcement_id=announcement.pk)
    status = 400 if form.errors else 200
    return render(request, "exam_sites/scheduling/announcement_new.html", {"form": form}, status=status)


def _announcement_page(request: HttpRequest, announcement: Any, round_form: Any = None, status: int = 200):
    tenant = request.tenant
    is_owner = tenant.has(roles.REVIEW) and tenant.organisation_id == announcement.organisation_id
    if is_owner and round_form is None:
        round_form = RoundForm(
            initial={"levels": list(announcement.certificate.levels.values_list("level", flat=True))}
        )
    rounds = list(announcement_rounds(announcement))
    today = timezone.localdate()
    for r in rounds:
        r.is_open = announcement.published_at is not None and r.registration_closes_on >= today
        r.level_labels = level_labels(r.levels)
    context = {
        "announcement": announcement,
        "rounds": rounds,
        "round_form": round_form if is_owner else None,
        "can_publish": is_owner and announcement.published_at is None,
        "can_plan": _may_manage(request),
        "events": list(announcement_events(announcement)),
    }
    return render(request, "exam_sites/scheduling/announcement_detail.html", context, status=status)


@permission_required(None)  # the selector decides (see announcement_list)
def announcement_detail(request: HttpRequest, announcement_id: int) -> HttpResponse:
    if request.tenant is None:
        raise PermissionDenied
    return _announcement_page(request, announcement_get(announcement_id=announcement_id))


@permission_required(roles.REVIEW)
@require_POST
def round_new(request: HttpRequest, announcement_id: int) -> HttpResponse:
    announcement = announcement_get(announcement_id=announcement_id)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            round_create(announcement=announcement, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已添加轮次。"))
            return redirect("exam_sites:announcement_detail", announcement_id=announcement.pk)
    return _announcement_page(request, announcement, round_form=form, status=400)


@permission_required(roles.REVIEW)
@require_POST
def announcement_publish_view(request: HttpRequest, announcement_id: int) -> HttpResponse:
    announcement = announcement_get(announcement_id=announcement_id)
    try:
        announcement_publish(announcement=announcement, actor=request.user)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, _("公告已发布，试点该证书的学校现在可以看到各轮次并安排批次。"))
    return redirect("exam_sites:announcement_detail", announcement_id=announcement.pk)


# --- batches -----------------------------------------------------------------------------------


@permission_required(
    None
)  # the scoped manager decides: the school's batches, or those of the organisation's certificates
def batch_list(request: HttpRequest) -> HttpResponse:
    if request.tenant is None:
        raise PermissionDenied
    can_plan = _may_manage(request)
    context = {
        "batches": batches_visible(),
        "can_plan": can_plan,
        "open_rounds": open_rounds() if can_plan else [],
    }
    return render(request, "exam_sites/scheduling/batch_list.html", context)


@permission_required(roles.MANAGE_SCHOOL)
def batch_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("round", "").isdigit():
        initial["round"] = int(request.GET["round"])
    form = BatchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batch_create(school=current_school(request), actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已建立考核批次，请安排场次。"))
            return redirect("exam_sites:batch_detail", batch_id=batch.pk)
    status = 400 if form.errors else 200
    return render(request, "exam_sites/scheduling/batch_new.html", {"form": form}, status=status)


def _batch_page(
    request: HttpRequest,
    batch: Batch,
    *,
    session_form: SessionForm | None = None,
    allocate_form: AllocateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    manage = _may_manage(request)
    sessions = list(batch_sessions(batch))
    candidates = list(batch_candidates(batch))
    days: dict[Any, int] = {}
    for s in sessions:
        days[s.date] = days.get(s.date, 0) + s.taken
    context = {
        "batch": batch,
        "sessions": sessions,
        "candidates": candidates,
        "seated": sum(1 for c in candidates if c.batch_seats),
        "days": sorted(days.items()),
        "teachers": list(batch.teachers.order_by("full_name", "username")),
        "can_manage": manage,
        "session_form": (session_form or SessionForm(batch=batch)) if manage else None,
        "allocate_form": (allocate_form or AllocateForm()) if manage else None,
        "events": list(batch_events(batch)),
    }
    return render(request, "exam_sites/scheduling/batch_detail.html", context, status=status)


@permission_required(None)  # the scoped manager decides (see batch_list)
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    if request.tenant is None:
        raise PermissionDenied
    return _batch_page(request, batch_get(batch_id=batch_id))


@permission_required(roles.MANAGE_SCHOOL)
def batch_edit(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = batch_get(batch_id=batch_id)
    initial = {
        "name": batch.name,
        "familiarisation_on": batch.familiarisation_on,
        "teachers": list(batch.teachers.values_list("pk", flat=True)),
    }
    form = BatchEditForm(request.POST or None, batch=batch, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch_update(batch=batch, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("批次已保存。"))
            return redirect("exam_sites:batch_detail", batch_id=batch.pk)
    status = 400 if form.errors else 200
    return render(request, "exam_sites/scheduling/batch_edit.html", {"form": form, "batch": batch}, status=status)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def session_new(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = batch_get(batch_id=batch_id)
    form = SessionForm(request.POST, batch=batch)
    if form.is_valid():
        data = form.cleaned_data
        try:
            session_create(
                batch=batch,
                room=data["room"],
                day=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                seats=data["seats"],
                invigilator=data["invigilator"],
                actor=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已添加场次。"))
            return redirect("exam_sites:batch_detail", batch_id=batch.pk)
    return _batch_page(request, batch, session_form=form, status=400)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def session_delete_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get(session_id=session_id)
    try:
        session_delete(session=session, actor=request.user)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, _("场次已删除。"))
    return redirect("exam_sites:batch_detail", batch_id=session.batch_id)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def batch_allocate(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = batch_get(batch_id=batch_id)
    form = AllocateForm(request.POST)
    if not form.is_valid():
        return _batch_page(request, batch, allocate_form=form, status=400)
    try:
        report = seats_allocate(batch=batch, actor=request.user, reset=form.cleaned_data["mode"] == AllocateForm.RESET)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect("exam_sites:batch_detail", batch_id=batch.pk)
    messages.success(
        request,
        _("本次分配 %(placed)s 人，此前已有座位 %(kept)s 人，未能分配 %(unplaced)s 人。")
        % {"placed": report.placed, "kept": report.already_seated, "unplaced": len(report.unplaced)},
    )
    for enrolment, reason in report.unplaced:
        messages.warning(
            request, _("%(name)s 未分配座位：%(reason)s") % {"name": enrolment.person.name, "reason": reason}
        )
    return redirect("exam_sites:batch_detail", batch_id=batch.pk)


# --- sessions and their lists ------------------------------------------------------------------


def _session_page(request: HttpRequest, session: ExamSession, move_form: MoveForm | None = None, status: int = 200):
    context = session_list_document(session)
    manage = _may_manage(request)
    context["can_manage"] = manage
    context["move_form"] = (move_form or MoveForm(session=session)) if manage and context["rows"] else None
    return render(request, "exam_sites/scheduling/session_detail.html", context, status=status)


@permission_required(None)  # the scoped manager decides (see batch_list)
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    if request.tenant is None:
        raise PermissionDenied
    return _session_page(request, session_get(session_id=session_id))


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def seat_move_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get(session_id=session_id)
    form = MoveForm(request.POST, session=session)
    if form.is_valid():
        seat, target = form.cleaned_data["seat"], form.cleaned_data["target"]
        try:
            seat = seat_move(seat=seat, session=target, actor=request.user, number=form.cleaned_data["number"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("已将 %(name)s 调到 %(session)s 的 %(number)s 号座位。")
                % {"name": seat.enrolment.person.name, "session": str(target), "number": seat.number},
            )
            return redirect("exam_sites:session_detail", session_id=session.pk)
    return _session_page(request, session, move_form=form, status=400)


@permission_required(None)  # anyone who can see the session (the scoped selector decides)
@require_POST
def session_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get(session_id=session_id)
    job = job_create(
        owner=request.user,
        tenant=request.tenant,
        task=render_session_list_pdf,
        kind="session_list_pdf",
        title=_("场次名单 PDF：%(batch)s · %(session)s") % {"batch": session.batch.name, "session": str(session)},
        params={"session_id": session.pk},
    )
    return redirect("core:job_detail", job_id=job.pk)


class SessionListExportView(ExportView):
    """The session list as .xlsx. The session is looked up first, so another tenant's is a 404."""

    permission = None  # anyone who can see the session (the scoped selector decides)
    exporter_class = SessionListExporter

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.session = session_get(session_id=kwargs["session_id"])
        return super().post(request, *args, **kwargs)

    def exporter_params(self) -> dict[str, Any]:
        return {"session_id": self.session.pk}

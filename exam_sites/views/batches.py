"""Pages of batches: the list, planning and editing one, its page with sessions, candidates and
history, adding a session and allocating seats."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.feedback import form_action, run_action
from core.permissions import permission_required

from ..forms.batches import BatchEditForm, BatchForm
from ..forms.seats import AllocateForm
from ..forms.sessions import SessionForm
from ..models import Batch
from ..selectors.announcements import open_rounds
from ..selectors.batches import batch_candidates, batch_get, batch_history, batch_sessions, batches_visible
from ..services.batches import batch_create, batch_update
from ..services.seats import seats_allocate
from ..services.sessions import session_create
from .common import may_manage


@permission_required(None)  # the scoped manager decides: the school's, or the organisation's certificates'
def batch_list(request: HttpRequest) -> HttpResponse:
    if request.tenant is None:
        raise PermissionDenied
    can_plan = may_manage(request)
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
    batch = form_action(
        request,
        form,
        lambda _data: batch_create(school=current_school(request), actor=request.user, **form.plan()),
        _("已建立考核批次，请安排场次。"),
    )
    if batch is not None:
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
    manage = may_manage(request)
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
        "history": batch_history(batch),
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
    saved = form_action(
        request, form, lambda data: batch_update(batch=batch, actor=request.user, **data), _("批次已保存。")
    )
    if saved is not None:
        return redirect("exam_sites:batch_detail", batch_id=batch.pk)
    status = 400 if form.errors else 200
    return render(request, "exam_sites/scheduling/batch_edit.html", {"form": form, "batch": batch}, status=status)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def session_new(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = batch_get(batch_id=batch_id)
    form = SessionForm(request.POST, batch=batch)
    created = form_action(
        request,
        form,
        lambda data: session_create(
            batch=batch,
            room=data["room"],
            day=data["date"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            seats=data["seats"],
            invigilator=data["invigilator"],
            actor=request.user,
        ),
        _("已添加场次。"),
    )
    if created is None:
        return _batch_page(request, batch, session_form=form, status=400)
    return redirect("exam_sites:batch_detail", batch_id=batch.pk)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def batch_allocate(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = batch_get(batch_id=batch_id)
    form = AllocateForm(request.POST)
    if not form.is_valid():
        return _batch_page(request, batch, allocate_form=form, status=400)
    reset = form.cleaned_data["mode"] == AllocateForm.RESET
    report = run_action(request, lambda: seats_allocate(batch=batch, actor=request.user, reset=reset))
    if report is not None:
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

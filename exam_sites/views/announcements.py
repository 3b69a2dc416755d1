"""Pages of announcements and rounds: the organisation writes them, schools read the published ones."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.models import Organisation
from core.feedback import form_action, run_action
from core.permissions import permission_required

from ..forms.announcements import AnnouncementForm, RoundForm
from ..models import Announcement
from ..selectors.announcements import (
    announcement_get,
    announcement_history,
    announcement_rounds,
    announcements_visible,
    level_labels,
)
from ..services.announcements import announcement_create, announcement_publish, round_create
from .common import may_manage


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
    announcement = form_action(
        request,
        form,
        lambda data: announcement_create(organisation=Organisation.objects.get(pk=organisation_id), **data),
        _("公告已保存为草稿，请添加轮次后发布。"),
    )
    if announcement is not None:
        return redirect("exam_sites:announcement_detail", announcement_id=announcement.pk)
    status = 400 if form.errors else 200
    return render(request, "exam_sites/scheduling/announcement_new.html", {"form": form}, status=status)


def _announcement_page(
    request: HttpRequest, announcement: Announcement, round_form: Any = None, status: int = 200
) -> HttpResponse:
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
        "can_plan": may_manage(request),
        "history": announcement_history(announcement),
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
    created = form_action(
        request, form, lambda data: round_create(announcement=announcement, **data), _("已添加轮次。")
    )
    if created is None:
        return _announcement_page(request, announcement, round_form=form, status=400)
    return redirect("exam_sites:announcement_detail", announcement_id=announcement.pk)


@permission_required(roles.REVIEW)
@require_POST
def announcement_publish_view(request: HttpRequest, announcement_id: int) -> HttpResponse:
    announcement = announcement_get(announcement_id=announcement_id)
    run_action(
        request,
        lambda: announcement_publish(announcement=announcement, actor=request.user),
        _("公告已发布，试点该证书的学校现在可以看到各轮次并安排批次。"),
    )
    return redirect("exam_sites:announcement_detail", announcement_id=announcement.pk)

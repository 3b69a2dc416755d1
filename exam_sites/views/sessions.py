"""Pages of sessions: the session list (场次名单) with its PDF and spreadsheet, deleting a session,
moving a candidate to another session."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.feedback import form_action, job_started, run_action
from core.permissions import permission_required
from core.views import ExportView

from ..forms.seats import MoveForm
from ..models import ExamSession
from ..selectors.batches import session_get, session_list_document
from ..services.seats import seat_move
from ..services.sessions import session_delete
from ..spreadsheets import SessionListExporter
from ..tasks import render_session_list_pdf
from .common import may_manage


def _session_page(
    request: HttpRequest, session: ExamSession, move_form: MoveForm | None = None, status: int = 200
) -> HttpResponse:
    context = session_list_document(session)
    manage = may_manage(request)
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
def session_delete_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get(session_id=session_id)
    run_action(request, lambda: session_delete(session=session, actor=request.user), _("场次已删除。"))
    return redirect("exam_sites:batch_detail", batch_id=session.batch_id)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def seat_move_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get(session_id=session_id)
    form = MoveForm(request.POST, session=session)
    moved = form_action(
        request,
        form,
        lambda data: seat_move(seat=data["seat"], session=data["target"], actor=request.user, number=data["number"]),
        lambda seat: (
            _("已将 %(name)s 调到 %(session)s 的 %(number)s 号座位。")
            % {"name": seat.enrolment.person.name, "session": str(form.cleaned_data["target"]), "number": seat.number}
        ),
    )
    if moved is None:
        return _session_page(request, session, move_form=form, status=400)
    return redirect("exam_sites:session_detail", session_id=session.pk)


@permission_required(None)  # anyone who can see the session (the scoped selector decides)
@require_POST
def session_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get(session_id=session_id)
    return job_started(
        request,
        task=render_session_list_pdf,
        kind="session_list_pdf",
        title=_("场次名单 PDF：%(batch)s · %(session)s") % {"batch": session.batch.name, "session": str(session)},
        params={"session_id": session.pk},
    )


class SessionListExportView(ExportView):
    """The session list as .xlsx. The session is looked up first, so another tenant's is a 404."""

    permission = None  # anyone who can see the session (the scoped selector decides)
    exporter_class = SessionListExporter

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.session = session_get(session_id=kwargs["session_id"])
        return super().post(request, *args, **kwargs)

    def exporter_params(self) -> dict[str, Any]:
        return {"session_id": self.session.pk}

"""Pages of site applications: the school's list, form and submission; the reviewer's queue and
decision; the detail page both sides read (with the history), and its PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.concurrency import StaleVersionError, refreshed_form
from core.feedback import errors_to_form, errors_to_messages, form_action, job_started, run_action
from core.permissions import permission_required

from ..forms.applications import (
    ApplicationForm,
    ApplicationStartForm,
    ContactFormSet,
    DecisionForm,
    PartnerFormSet,
    QueueFilterForm,
    RoomFormSet,
    VersionForm,
)
from ..models import SiteApplication
from ..selectors.applications import (
    application_document,
    application_get,
    application_history,
    application_partners,
    application_rooms,
    contact_slots,
    queue_certificates,
    review_queue,
    school_applications,
)
from ..services.applications import (
    application_approve,
    application_create,
    application_reject,
    application_return,
    application_submit,
    application_update,
    submission_problems,
)
from ..tasks import render_application_pdf

# --- the school's side -----------------------------------------------------------------------


@permission_required(roles.VIEW_SCHOOL)
def application_list(request: HttpRequest) -> HttpResponse:
    start = ApplicationStartForm() if request.tenant.has(roles.MANAGE_SCHOOL) else None
    return render(
        request, "exam_sites/application_list.html", {"applications": school_applications(), "start_form": start}
    )


@permission_required(roles.MANAGE_SCHOOL)
def application_new(request: HttpRequest) -> HttpResponse:
    form = ApplicationStartForm(request.POST or None)
    application = form_action(
        request,
        form,
        lambda data: application_create(school=current_school(request), actor=request.user, **data),
        _("已按学校信息预填申报表，请补充其余内容。"),
    )
    if application is not None:
        return redirect("exam_sites:application_edit", application_id=application.pk)
    status = 400 if form.errors else 200
    return render(request, "exam_sites/application_new.html", {"form": form}, status=status)


def _initial_contacts(application: SiteApplication) -> list[dict[str, str]]:
    rows = []
    for slot in contact_slots(application):
        c = slot.contact
        rows.append(
            {
                "name": c.name if c else "",
                "title": c.title if c else "",
                "phone": c.phone if c else "",
                "mobile": c.mobile if c else "",
                "email": c.email if c else "",
                "wechat": c.wechat if c else "",
            }
        )
    return rows


def _edit_forms(request: HttpRequest, application: SiteApplication) -> dict[str, Any]:
    """The form and its three row sets. Initial rows only for the page as shown: a posted row is then
    always validated, whatever the management form says about initial forms."""
    data = request.POST if request.method == "POST" else None
    rooms = [{"name": r.name, "area": r.area, "workstations": r.workstations} for r in application_rooms(application)]
    partners = [
        {"name": p.name, "address": p.address, "contribution": p.contribution}
        for p in application_partners(application)
    ]
    return {
        "form": ApplicationForm(data, instance=application),
        "contacts": ContactFormSet(data, prefix="contacts", initial=None if data else _initial_contacts(application)),
        "rooms": RoomFormSet(data, prefix="rooms", initial=None if data else rooms),
        "partners": PartnerFormSet(data, prefix="partners", initial=None if data else partners),
    }


def _save_and_maybe_submit(request: HttpRequest, application: SiteApplication, forms: dict[str, Any]) -> HttpResponse:
    """Save the draft; with the submit button, submit it too. Raises what the save refuses."""
    application = application_update(
        application=application,
        actor=request.user,
        version=forms["form"].cleaned_data["version"],
        fields=forms["form"].application_fields(),
        contacts=forms["contacts"].by_role(),
        rooms=forms["rooms"].rows_data(),
        partners=forms["partners"].rows_data(),
    )
    if "submit" not in request.POST:
        messages.success(request, _("草稿已保存。"))
        return redirect("exam_sites:application_edit", application_id=application.pk)
    try:
        application_submit(application=application, actor=request.user, version=application.version)
    except ValidationError as exc:
        messages.warning(request, _("草稿已保存，但还不能提交："))
        errors_to_messages(request, exc)
        return redirect("exam_sites:application_edit", application_id=application.pk)
    messages.success(request, _("申报已提交，等待培训评价组织审核。"))
    return redirect("exam_sites:application_detail", application_id=application.pk)


@permission_required(roles.MANAGE_SCHOOL)
def application_edit(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_get(application_id=application_id)
    if not application.is_editable:
        messages.info(request, _("申报表已提交，审核期间不能修改。"))
        return redirect("exam_sites:application_detail", application_id=application.pk)
    forms = _edit_forms(request, application)
    status = 200
    if request.method == "POST":
        status = 400
        if not all(f.is_valid() for f in forms.values()):
            messages.error(request, _("请更正下面标出的错误。"))
        else:
            try:
                return _save_and_maybe_submit(request, application, forms)
            except StaleVersionError as exc:
                # The user's own input again, now against the current version, with what the other saved.
                forms["form"] = refreshed_form(ApplicationForm, request, exc, instance=application)
            except ValidationError as exc:
                errors_to_messages(request, exc)
    return render(request, "exam_sites/application_edit.html", {"application": application, **forms}, status=status)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def application_submit_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_get(application_id=application_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("请求无效。"), status=400)
    version = form.cleaned_data["version"]
    run_action(
        request,
        lambda: application_submit(application=application, actor=request.user, version=version),
        _("申报已提交，等待培训评价组织审核。"),
    )
    return redirect("exam_sites:application_detail", application_id=application.pk)


# --- both sides ------------------------------------------------------------------------------


def _detail_context(application: SiteApplication, **extra: Any) -> dict[str, Any]:
    return {**application_document(application), "history": application_history(application), **extra}


@permission_required(None)  # the scoped selector decides: the school's own, or the organisation's non-drafts
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_get(application_id=application_id)
    tenant = request.tenant
    if tenant is None:
        raise PermissionDenied
    can_manage = tenant.has(roles.MANAGE_SCHOOL) and tenant.school_id is not None
    can_edit = can_manage and application.is_editable
    can_decide = tenant.has(roles.REVIEW) and application.status == SiteApplication.Status.SUBMITTED
    context = _detail_context(
        application,
        can_edit=can_edit,
        problems=submission_problems(application) if can_edit else [],
        submit_form=VersionForm(initial={"version": application.version}) if can_edit else None,
        decision_form=DecisionForm(initial={"version": application.version}) if can_decide else None,
    )
    return render(request, "exam_sites/application_detail.html", context)


@permission_required(None)  # anyone who can see the application (the scoped selector decides)
@require_POST
def application_pdf(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_get(application_id=application_id)
    return job_started(
        request,
        task=render_application_pdf,
        kind="site_application_pdf",
        title=_("考点申报表 PDF：%(name)s · %(certificate)s")
        % {"name": application.unit_name or application.school.name, "certificate": application.certificate.name},
        params={"application_id": application.pk},
    )


# --- the reviewer's side ---------------------------------------------------------------------


@permission_required(roles.REVIEW)
def queue(request: HttpRequest) -> HttpResponse:
    data = request.GET if request.GET else {"status": SiteApplication.Status.SUBMITTED}
    form = QueueFilterForm(data, certificates=queue_certificates())
    status, certificate = SiteApplication.Status.SUBMITTED, None
    if form.is_valid():
        status = form.cleaned_data["status"] or None
        certificate = form.cleaned_data["certificate"]
    applications = review_queue(status=status, certificate_id=certificate.pk if certificate else None)
    return render(request, "exam_sites/queue.html", {"form": form, "applications": applications})


DECISIONS = {
    DecisionForm.APPROVE: (application_approve, gettext_lazy("已批准该申报。")),
    DecisionForm.RETURN: (application_return, gettext_lazy("已退回学校修改。")),
    DecisionForm.REJECT: (application_reject, gettext_lazy("已作出不予通过的决定。")),
}


@permission_required(roles.REVIEW)
@require_POST
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_get(application_id=application_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        action, comment, version = (form.cleaned_data[k] for k in ("action", "comment", "version"))
        service, done = DECISIONS[action]
        try:
            application = service(application=application, actor=request.user, version=version, comment=comment)
        except StaleVersionError as exc:
            # The reviewer's decision again, now against the current version, with what the other saved.
            form = refreshed_form(DecisionForm, request, exc)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, str(done))
            return redirect("exam_sites:application_detail", application_id=application.pk)
    context = _detail_context(application, decision_form=form, can_edit=False, problems=[], submit_form=None)
    return render(request, "exam_sites/application_detail.html", context, status=400)

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.feedback import form_action, run_action
from core.permissions import permission_required
from core.scoping import PLATFORM
from core.views import ExportView, ImportView

from .forms import FeeStandardForm, PilotApplyForm, PilotApproveForm, PilotDeclineForm, PilotFilterForm, PilotStepForm
from .selectors import catalogue_certificates, fee_certificates, fee_standards, pilot_get, pilot_history, pilots_list
from .services import fee_standard_set, pilot_apply, pilot_approve, pilot_decline, pilot_finish, pilot_start
from .spreadsheets import CatalogueExporter, CatalogueImporter, PilotExporter

PAGE_SIZE = 25


@permission_required(None)
def catalogue(request: HttpRequest) -> HttpResponse:
    certificates = catalogue_certificates(active_only=False)
    return render(request, "pilots/catalogue.html", {"certificates": certificates})


class CatalogueImportView(ImportView):
    permission = roles.MANAGE_CATALOGUE
    importer_class = CatalogueImporter
    success_url = "pilots:catalogue"
    back_url = "pilots:catalogue"


class CatalogueExportView(ExportView):
    permission = roles.MANAGE_CATALOGUE
    exporter_class = CatalogueExporter


# --- fees -------------------------------------------------------------------------------------


def _fees_page(request: HttpRequest, form: FeeStandardForm | None, status: int = 200) -> HttpResponse:
    return render(request, "pilots/fees.html", {"fees": fee_standards(), "form": form}, status=status)


@permission_required(None)
def fees(request: HttpRequest) -> HttpResponse:
    """The fee standards of the catalogue; reviewers get a form for their own certificates."""
    form = None
    if request.tenant.has(roles.REVIEW):
        form = FeeStandardForm(certificates=fee_certificates(tenant=request.tenant.ref))
    return _fees_page(request, form)


@permission_required(roles.REVIEW)
@require_POST
def fee_create(request: HttpRequest) -> HttpResponse:
    form = FeeStandardForm(request.POST, certificates=fee_certificates(tenant=request.tenant.ref))
    saved = form_action(
        request, form, lambda data: fee_standard_set(tenant=request.tenant.ref, **data), _("收费标准已保存。")
    )
    if saved is None:
        return _fees_page(request, form, status=400)
    return redirect("pilots:fees")


# --- pilots -----------------------------------------------------------------------------------


@permission_required(None)
def pilot_list(request: HttpRequest) -> HttpResponse:
    """Schools see their pilots, reviewers their organisation's; the scoped manager decides.
    Platform staff keep pilots in the admin."""
    if request.tenant is None:
        return redirect("home")
    if request.tenant.kind == PLATFORM:
        return redirect("admin:pilots_pilot_changelist")
    form = PilotFilterForm(request.GET or None)
    pilots = pilots_list(**form.filters())
    page = Paginator(pilots, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pilots/pilot_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _detail(request: HttpRequest, pilot_id: int, status: int = 200, **forms) -> HttpResponse:
    pilot = pilot_get(pilot_id=pilot_id)
    context = {
        "pilot": pilot,
        "remaining": max((pilot.quota or 0) - pilot.enrolled, 0) if pilot.quota is not None else None,
        "history": pilot_history(pilot=pilot),
        "can_review": request.tenant.has(roles.REVIEW) and pilot.status == "applied",
        "can_manage": request.tenant.has(roles.MANAGE_SCHOOL),
        "approve_form": forms.get("approve_form") or PilotApproveForm(initial={"quota": pilot.requested_quota}),
        "decline_form": forms.get("decline_form") or PilotDeclineForm(),
    }
    return render(request, "pilots/pilot_detail.html", context, status=status)


@permission_required(None)
def pilot_detail(request: HttpRequest, pilot_id: int) -> HttpResponse:
    return _detail(request, pilot_id)


@permission_required(roles.MANAGE_SCHOOL)
def pilot_apply_view(request: HttpRequest) -> HttpResponse:
    form = PilotApplyForm(request.POST or None)
    pilot = form_action(
        request,
        form,
        lambda data: pilot_apply(school=current_school(request), actor=request.user, **data),
        _("试点申报已提交，等待培训评价组织审批。"),
    )
    if pilot is not None:
        return redirect("pilots:pilot_detail", pilot_id=pilot.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "pilots/pilot_apply.html", {"form": form}, status=status)


def _review(
    request: HttpRequest, pilot_id: int, form_name: str, form_class: type[forms.Form], service, done: str
) -> HttpResponse:
    """The reviewer approves or declines a pilot; its page again (400) with the form when invalid or refused."""
    pilot = pilot_get(pilot_id=pilot_id)
    form = form_class(request.POST)
    decided = form_action(
        request,
        form,
        lambda data: service(pilot_id=pilot.pk, tenant=request.tenant.ref, actor=request.user, **data),
        done,
    )
    if decided is None:
        return _detail(request, pilot.pk, status=400, **{form_name: form})
    return redirect("pilots:pilot_detail", pilot_id=pilot.pk)


@permission_required(roles.REVIEW)
@require_POST
def pilot_approve_view(request: HttpRequest, pilot_id: int) -> HttpResponse:
    return _review(request, pilot_id, "approve_form", PilotApproveForm, pilot_approve, _("试点已批准。"))


@permission_required(roles.REVIEW)
@require_POST
def pilot_decline_view(request: HttpRequest, pilot_id: int) -> HttpResponse:
    return _review(request, pilot_id, "decline_form", PilotDeclineForm, pilot_decline, _("已不予批准该试点。"))


def _step(request: HttpRequest, pilot_id: int, service, done: str) -> HttpResponse:
    pilot = pilot_get(pilot_id=pilot_id)
    form = PilotStepForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    run_action(
        request,
        lambda: service(pilot_id=pilot.pk, tenant=request.tenant.ref, actor=request.user, comment=comment),
        done,
    )
    return redirect("pilots:pilot_detail", pilot_id=pilot.pk)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def pilot_start_view(request: HttpRequest, pilot_id: int) -> HttpResponse:
    return _step(request, pilot_id, pilot_start, _("试点已开始实施。"))


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def pilot_finish_view(request: HttpRequest, pilot_id: int) -> HttpResponse:
    return _step(request, pilot_id, pilot_finish, _("试点已结束。"))


class PilotExportView(ExportView):
    """The filtered list (the page's query string) as .xlsx."""

    permission = None  # the scoped manager decides what is exported
    exporter_class = PilotExporter

    def exporter_params(self) -> dict:
        form = PilotFilterForm(self.request.GET or None)
        return form.filters()

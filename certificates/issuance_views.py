"""Issuance (numbers typed, generated, imported), collection, external certificates and rosters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.jobs import job_create
from core.permissions import permission_required
from core.scoping import SCHOOL
from core.views import ExportView, ImportView
from students.selectors import person_get

from .issuance_forms import (
    ClassCollectForm,
    CollectForm,
    ExternalCertificateForm,
    GenerateForm,
    RecordForm,
    RosterForm,
)
from .issuance_selectors import (
    batch_passed_results,
    batch_period,
    batch_sheet,
    certificate_classes,
    class_get,
    class_overview,
    external_certificates,
    external_get,
    issuance_batch,
    issuance_batches,
    issued_get,
    person_certificates,
    roster_choices,
)
from .issuance_services import (
    certificate_collect,
    certificate_record,
    certificates_generate,
    class_collect,
    external_certificate_collect,
    external_certificate_create,
)
from .issuance_spreadsheets import CertificateNumberImporter, ExternalCertificateImporter, RosterExporter
from .models import ResultSheet
from .tasks import render_roster

PAGE_SIZE = 100

# --- issuance -----------------------------------------------------------------------------------


@permission_required(roles.ISSUE_CERTIFICATES)
def issuance_list(request: HttpRequest) -> HttpResponse:
    """Batches with results, and how many of the passed candidates hold a certificate."""
    return render(request, "certificates/issuance/batch_list.html", {"batches": issuance_batches()})


def _may_issue(request: HttpRequest, batch) -> bool:
    organisation = batch.pilot.certificate.organisation
    return request.tenant.kind != SCHOOL or organisation.schools_may_issue


def _batch_page(request: HttpRequest, batch_id: int, status: int = 200, **forms: Any) -> HttpResponse:
    batch = issuance_batch(batch_id=batch_id)
    sheet = batch_sheet(batch=batch)
    final = sheet is not None and sheet.status == ResultSheet.Status.FINAL
    may_issue = _may_issue(request, batch) and final
    results = list(batch_passed_results(batch=batch))
    period = batch_period(batch=batch)
    initial = {"assessment_period": period}
    context = {
        "batch": batch,
        "sheet": sheet,
        "final": final,
        "may_issue": may_issue,
        "schools_may_not": not _may_issue(request, batch),
        "results": results,
        "pending": sum(1 for r in results if not r.valid_certificates),
        "generate_form": forms.get("generate_form") or (GenerateForm(initial=initial) if may_issue else None),
        "record_form": forms.get("record_form") or (RecordForm(batch=batch, initial=initial) if may_issue else None),
    }
    return render(request, "certificates/issuance/batch_detail.html", context, status=status)


@permission_required(roles.ISSUE_CERTIFICATES)
def issuance_batch_detail(request: HttpRequest, issue_batch_id: int) -> HttpResponse:
    return _batch_page(request, issue_batch_id)


@permission_required(roles.ISSUE_CERTIFICATES)
@require_POST
def issuance_generate(request: HttpRequest, issue_batch_id: int) -> HttpResponse:
    batch = issuance_batch(batch_id=issue_batch_id)
    form = GenerateForm(request.POST)
    if form.is_valid():
        try:
            created = certificates_generate(
                batch_id=batch.pk,
                tenant=request.tenant.ref,
                actor=request.user,
                issued_on=form.cleaned_data["issued_on"],
                assessment_period=form.cleaned_data["assessment_period"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("已为 %(n)s 名考生生成证书编号。") % {"n": len(created)})
            else:
                messages.info(request, _("没有需要生成编号的考生：合格考生均已发证。"))
            return redirect("certificates:issuance_batch", issue_batch_id=batch.pk)
    return _batch_page(request, batch.pk, status=400, generate_form=form)


@permission_required(roles.ISSUE_CERTIFICATES)
@require_POST
def issuance_record(request: HttpRequest, issue_batch_id: int) -> HttpResponse:
    batch = issuance_batch(batch_id=issue_batch_id)
    form = RecordForm(request.POST, batch=batch)
    if form.is_valid():
        data = form.cleaned_data
        try:
            issued = certificate_record(
                result_id=data["result"].pk,
                tenant=request.tenant.ref,
                actor=request.user,
                number=data["number"],
                issued_on=data["issued_on"],
                assessment_period=data["assessment_period"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记证书 %(number)s。") % {"number": issued.number})
            return redirect("certificates:issuance_batch", issue_batch_id=batch.pk)
    return _batch_page(request, batch.pk, status=400, record_form=form)


class NumberImportView(ImportView):
    permission = roles.ISSUE_CERTIFICATES
    importer_class = CertificateNumberImporter
    success_url = "certificates:issuance_list"
    back_url = "certificates:issuance_list"


# --- people and classes -------------------------------------------------------------------------


def _person_page(request: HttpRequest, person_id: int, status: int = 200, **forms: Any) -> HttpResponse:
    person = person_get(person_id=person_id)
    can_manage = request.tenant.has(roles.MANAGE_SCHOOL)
    context = {
        "person": person,
        **person_certificates(person=person),
        "can_manage": can_manage,
        "collect_form": CollectForm() if can_manage else None,
        "external_form": forms.get("external_form") or (ExternalCertificateForm() if can_manage else None),
        "error_form": forms.get("collect_form"),
    }
    return render(request, "certificates/issuance/person.html", context, status=status)


@permission_required(roles.VIEW_SCHOOL)
def person_certificates_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every certificate of a person: 1+X (with its history) and external ones."""
    return _person_page(request, person_id)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def external_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(person_id=person_id)
    form = ExternalCertificateForm(request.POST)
    if form.is_valid():
        try:
            external_certificate_create(school=current_school(request), person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("其他技能证书已登记。"))
            return redirect("certificates:person", person_id=person.pk)
    return _person_page(request, person.pk, status=400, external_form=form)


def _back_to(request: HttpRequest, default: str) -> str:
    """Back to the page the form was on (a path of this site only)."""
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def issued_collect(request: HttpRequest, issued_id: int) -> HttpResponse:
    issued = issued_get(issued_id=issued_id)
    form = CollectForm(request.POST)
    back = _back_to(request, reverse("certificates:person", kwargs={"person_id": issued.person_id}))
    if form.is_valid():
        try:
            certificate_collect(certificate=issued, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记签领：%(name)s。") % {"name": form.cleaned_data["collected_by"]})
        return redirect(back)
    return _person_page(request, issued.person_id, status=400, collect_form=form)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def external_collect(request: HttpRequest, external_id: int) -> HttpResponse:
    external = external_get(external_id=external_id)
    form = CollectForm(request.POST)
    back = _back_to(request, reverse("certificates:person", kwargs={"person_id": external.person_id}))
    if form.is_valid():
        try:
            external_certificate_collect(certificate=external, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记签领：%(name)s。") % {"name": form.cleaned_data["collected_by"]})
        return redirect(back)
    return _person_page(request, external.person_id, status=400, collect_form=form)


@permission_required(roles.VIEW_SCHOOL)
def class_list(request: HttpRequest) -> HttpResponse:
    return render(request, "certificates/issuance/class_list.html", {"classes": certificate_classes()})


def _class_page(request: HttpRequest, class_id: int, status: int = 200, **forms: Any) -> HttpResponse:
    school_class = class_get(class_id=class_id)
    choices = roster_choices(school_class=school_class)
    can_manage = request.tenant.has(roles.MANAGE_SCHOOL)
    context = {
        "school_class": school_class,
        **class_overview(school_class=school_class),
        "can_manage": can_manage,
        "collect_form": forms.get("collect_form")
        or (ClassCollectForm(certificates=choices["certificates"]) if can_manage else None),
        "roster_form": forms.get("roster_form") or RosterForm(choices=choices),
    }
    return render(request, "certificates/issuance/class_detail.html", context, status=status)


@permission_required(roles.VIEW_SCHOOL)
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    """A class's certificates: issued, collected, and passed candidates still waiting for one."""
    return _class_page(request, class_id)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def class_collect_view(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = class_get(class_id=class_id)
    form = ClassCollectForm(request.POST, certificates=roster_choices(school_class=school_class)["certificates"])
    if form.is_valid():
        try:
            count = class_collect(school_class=school_class, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已为 %(n)s 本证书登记签领。") % {"n": count})
            return redirect("certificates:class_detail", class_id=school_class.pk)
    return _class_page(request, school_class.pk, status=400, collect_form=form)


@permission_required(roles.VIEW_SCHOOL)
@require_POST
def roster_pdf(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = class_get(class_id=class_id)
    form = RosterForm(request.POST, choices=roster_choices(school_class=school_class))
    if not form.is_valid():
        return _class_page(request, school_class.pk, status=400, roster_form=form)
    job = job_create(
        owner=request.user,
        tenant=request.tenant,
        task=render_roster,
        kind="certificate_roster_pdf",
        title=_("考证签领名单 PDF：%(code)s") % {"code": school_class.code},
        params={"class_id": school_class.pk, **form.spec()},
    )
    return redirect("core:job_detail", job_id=job.pk)


class RosterExportView(ExportView):
    """The same roster as .xlsx."""

    permission = roles.VIEW_SCHOOL
    exporter_class = RosterExporter

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.school_class = class_get(class_id=kwargs["class_id"])
        self.form = RosterForm(request.POST, choices=roster_choices(school_class=self.school_class))
        if not self.form.is_valid():
            return _class_page(request, self.school_class.pk, status=400, roster_form=self.form)
        return super().post(request, *args, **kwargs)

    def exporter_params(self) -> dict:
        return {"class_id": self.school_class.pk, **self.form.spec()}


# --- external certificates ----------------------------------------------------------------------


@permission_required(roles.VIEW_SCHOOL)
def external_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(external_certificates(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/issuance/external_list.html", {"page": page})


class ExternalImportView(ImportView):
    permission = roles.MANAGE_SCHOOL
    importer_class = ExternalCertificateImporter
    success_url = "certificates:external_list"
    back_url = "certificates:external_list"

    def importer_params(self) -> dict:
        return {"school_id": self.request.tenant.school_id}

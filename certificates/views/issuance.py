"""Issuance pages (发证): batches with passed candidates, numbers generated, typed in or imported."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.feedback import form_action
from core.permissions import permission_required
from core.scoping import SCHOOL
from core.views import ImportView

from ..forms.issuance import GenerateForm, RecordForm
from ..models import ResultSheet
from ..selectors.issuance import batch_passed_results, batch_period, batch_sheet, issuance_batch, issuance_batches
from ..services.issuance import certificate_record, certificates_generate
from ..spreadsheets.issuance import CertificateNumberImporter

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
    created = form_action(
        request,
        form,
        lambda data: certificates_generate(batch_id=batch.pk, tenant=request.tenant.ref, actor=request.user, **data),
    )
    if created is None:
        return _batch_page(request, batch.pk, status=400, generate_form=form)
    if created:
        messages.success(request, _("已为 %(n)s 名考生生成证书编号。") % {"n": len(created)})
    else:
        messages.info(request, _("没有需要生成编号的考生：合格考生均已发证。"))
    return redirect("certificates:issuance_batch", issue_batch_id=batch.pk)


@permission_required(roles.ISSUE_CERTIFICATES)
@require_POST
def issuance_record(request: HttpRequest, issue_batch_id: int) -> HttpResponse:
    batch = issuance_batch(batch_id=issue_batch_id)
    form = RecordForm(request.POST, batch=batch)
    issued = form_action(
        request,
        form,
        lambda data: certificate_record(
            result_id=data["result"].pk,
            tenant=request.tenant.ref,
            actor=request.user,
            number=data["number"],
            issued_on=data["issued_on"],
            assessment_period=data["assessment_period"],
        ),
        lambda issued: _("已登记证书 %(number)s。") % {"number": issued.number},
    )
    if issued is None:
        return _batch_page(request, batch.pk, status=400, record_form=form)
    return redirect("certificates:issuance_batch", issue_batch_id=batch.pk)


class NumberImportView(ImportView):
    permission = roles.ISSUE_CERTIFICATES
    importer_class = CertificateNumberImporter
    success_url = "certificates:issuance_list"
    back_url = "certificates:issuance_list"

"""Results pages: the index, the keyboard grid and its row saves, a result's history and
correction, and the Excel template/import. A sheet's page and its notice are in ``notice.py``.

Views are thin: form → service → message → redirect. The grid's rows are saved by
``static/js/results_grid.js`` (JSON) or, without JavaScript, by a normal form POST per row.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.concurrency import StaleVersionError, refreshed_form
from core.feedback import errors_to_form, errors_to_messages, run_action
from core.permissions import permission_required
from core.views import ImportView

from ..forms.results import CorrectionForm, OpenSheetForm, ResultRowForm
from ..history import describe_values, snapshot
from ..models import Result, ResultSheet
from ..selectors.results import (
    entry_batches,
    grid_rows,
    may_write_sheet,
    result_batches,
    result_get,
    result_history,
    sheet_get,
)
from ..services.results import result_save, result_sheet_for_batch
from ..spreadsheets.results import ResultsImporter

# --- the index -------------------------------------------------------------------------------


@permission_required(None)  # the scoped selectors decide: the school's batches, or published sheets
def results_index(request: HttpRequest) -> HttpResponse:
    rows = result_batches(user=request.user)
    return render(request, "certificates/results/index.html", {"rows": rows})


@permission_required(roles.ENTER_RESULTS)
@require_POST
def sheet_open(request: HttpRequest) -> HttpResponse:
    """Open (and on first use create) the result sheet of a batch, then go to its grid."""
    form = OpenSheetForm(request.POST, batches=entry_batches(user=request.user))
    if not form.is_valid():
        messages.error(request, _("请选择您负责录入的考核批次。"))
        return redirect("certificates:results_index")
    batch = form.cleaned_data["batch"]
    sheet = run_action(request, lambda: result_sheet_for_batch(batch=batch, actor=request.user))
    if sheet is None:
        return redirect("certificates:results_index")
    return redirect("certificates:sheet_grid", sheet_id=sheet.pk)


# --- the grid --------------------------------------------------------------------------------


@permission_required(roles.ENTER_RESULTS)
def sheet_grid(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = sheet_get(sheet_id=sheet_id)
    certificate = sheet.batch.pilot.certificate
    context = {
        "sheet": sheet,
        "rows": grid_rows(sheet),
        "has_theory": certificate.has_theory,
        "has_practical": certificate.has_practical,
        "can_write": may_write_sheet(request.user, sheet),
        "needs_reason": sheet.status != ResultSheet.Status.ENTERING,
        "Status": ResultSheet.Status,
    }
    return render(request, "certificates/results/grid.html", context)


def _row_payload(result: Result | None) -> dict[str, Any]:
    values = snapshot(result)
    return {
        "theory": values["theory"],
        "practical": values["practical"],
        "absent": values["absent"],
        "outcome": values["outcome"],
        "outcome_label": str(Result.Outcome(values["outcome"]).label),
        "version": result.version if result else 0,
    }


@permission_required(roles.ENTER_RESULTS)
@require_POST
def result_row_save(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """Save one row of the grid. JSON in, JSON out ({ok, outcome_label, version, error}); or a form
    POST without JavaScript, answered by a redirect to the grid."""
    sheet = sheet_get(sheet_id=sheet_id)
    wants_json = request.content_type == "application/json"
    if wants_json:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return JsonResponse({"ok": False, "error": _("请求无效。")}, status=400)
        data = {k: ("on" if v is True else "" if v is False or v is None else str(v)) for k, v in data.items()}
    else:
        data = request.POST
    form = ResultRowForm(data, sheet=sheet)
    form.fields["reason"].required = False  # the service says why a reason is missing, in place
    grid_url = reverse("certificates:sheet_grid", kwargs={"sheet_id": sheet.pk})
    if not form.is_valid() or form.cleaned_data.get("seat") is None:
        error = "；".join(
            f"{form.fields[name].label}：{' '.join(errs)}" if name in form.fields else " ".join(errs)
            for name, errs in form.errors.items()
        ) or _("请求无效。")
        if wants_json:
            return JsonResponse({"ok": False, "error": error}, status=400)
        messages.error(request, error)
        return redirect(grid_url)
    values = form.cleaned_data
    try:
        result = result_save(
            sheet=sheet,
            seat=values["seat"],
            theory=values.get("theory"),
            practical=values.get("practical"),
            absent=values["absent"],
            actor=request.user,
            version=values["version"],
            reason=values.get("reason") or "",
        )
    except StaleVersionError as exc:
        if wants_json:
            payload = {"ok": False, "error": exc.messages[0], "stale": True, **_row_payload(exc.current)}
            return JsonResponse(payload, status=409)
        errors_to_messages(request, exc)
        return redirect(grid_url)
    except ValidationError as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": " ".join(exc.messages)}, status=400)
        errors_to_messages(request, exc)
        return redirect(grid_url)
    if wants_json:
        return JsonResponse({"ok": True, "error": "", "result_id": result.pk, **_row_payload(result)})
    messages.success(
        request, _("座位 %(n)s 已保存：%(v)s") % {"n": result.seat.number, "v": describe_values(snapshot(result))}
    )
    return redirect(f"{grid_url}#seat-{result.seat_id}")


# --- a result --------------------------------------------------------------------------------


def _result_page(request: HttpRequest, result: Result, form: CorrectionForm | None, status: int = 200) -> HttpResponse:
    context = {
        "result": result,
        "sheet": result.sheet,
        "history": result_history(result),
        "form": form,
    }
    return render(request, "certificates/results/result_detail.html", context, status=status)


def _may_correct(request: HttpRequest, result: Result) -> bool:
    tenant = request.tenant
    return (
        tenant is not None
        and tenant.school_id is not None
        and tenant.has(roles.ENTER_RESULTS)
        and may_write_sheet(request.user, result.sheet)
    )


@permission_required(None)  # the scoped selector decides (reviewers: from 成绩公示中 on, read-only)
def result_detail(request: HttpRequest, result_id: int) -> HttpResponse:
    result = result_get(result_id=result_id)
    form = None
    if _may_correct(request, result):
        form = CorrectionForm(
            result=result,
            initial={"version": result.version, **{k: v for k, v in snapshot(result).items() if k != "outcome"}},
        )
    return _result_page(request, result, form)


@permission_required(roles.ENTER_RESULTS)
@require_POST
def result_correct(request: HttpRequest, result_id: int) -> HttpResponse:
    result = result_get(result_id=result_id)
    if not _may_correct(request, result):
        raise PermissionDenied
    form = CorrectionForm(request.POST, result=result)
    if not form.is_valid():
        return _result_page(request, result, form, status=400)
    values = form.cleaned_data
    try:
        result_save(
            result=result,
            theory=values.get("theory"),
            practical=values.get("practical"),
            absent=values["absent"],
            actor=request.user,
            version=values["version"],
            reason=values["reason"],
        )
    except StaleVersionError as exc:
        result = result_get(result_id=result_id)
        return _result_page(request, result, refreshed_form(CorrectionForm, request, exc, result=result), status=400)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return _result_page(request, result_get(result_id=result_id), form, status=400)
    messages.success(request, _("成绩已更正。"))
    return redirect("certificates:result_detail", result_id=result.pk)


# --- Excel -----------------------------------------------------------------------------------


class ResultsImportView(ImportView):
    """The pre-filled template (``?template=1``) and the upload of a sheet's scores."""

    permission = roles.ENTER_RESULTS
    importer_class = ResultsImporter

    def importer_params(self) -> dict[str, Any]:
        sheet = sheet_get(sheet_id=self.kwargs["sheet_id"])  # 404 for another tenant's sheet
        return {"sheet_id": sheet.pk}

    def get_success_url(self) -> str:
        return reverse("certificates:sheet_grid", kwargs={"sheet_id": self.kwargs["sheet_id"]})

    def render_page(self, importer: Any, form: Any, **extra: Any) -> HttpResponse:
        context = {
            "importer": importer,
            "form": form,
            "back_url": reverse("certificates:sheet_detail", kwargs={"sheet_id": self.kwargs["sheet_id"]}),
            "max_rows": settings.IMPORT_MAX_ROWS,
            **extra,
        }
        status = 400 if extra.get("report") or form.errors else 200
        return render(self.request, self.template_name, context, status=status)

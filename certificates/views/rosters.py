"""Roster pages: one class's roster as PDF (a job) or .xlsx, and many rosters in one ZIP (a job)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.feedback import job_started
from core.permissions import permission_required
from core.views import ExportView

from ..forms.rosters import RosterForm, RosterZipForm
from ..selectors.collection import class_get
from ..selectors.rosters import roster_choices, roster_zip_batches, roster_zip_years
from ..spreadsheets.rosters import RosterExporter
from ..tasks import build_roster_zip, render_roster
from .collection import class_page


@permission_required(roles.VIEW_SCHOOL)
@require_POST
def roster_pdf(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = class_get(class_id=class_id)
    form = RosterForm(request.POST, choices=roster_choices(school_class=school_class))
    if not form.is_valid():
        return class_page(request, school_class.pk, status=400, roster_form=form)
    return job_started(
        request,
        task=render_roster,
        kind="certificate_roster_pdf",
        title=_("考证签领名单 PDF：%(code)s") % {"code": school_class.code},
        params={"class_id": school_class.pk, **form.spec()},
    )


class RosterExportView(ExportView):
    """The same roster as .xlsx."""

    permission = roles.VIEW_SCHOOL
    exporter_class = RosterExporter

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.school_class = class_get(class_id=kwargs["class_id"])
        self.form = RosterForm(request.POST, choices=roster_choices(school_class=self.school_class))
        if not self.form.is_valid():
            return class_page(request, self.school_class.pk, status=400, roster_form=self.form)
        return super().post(request, *args, **kwargs)

    def exporter_params(self) -> dict:
        return {"class_id": self.school_class.pk, **self.form.spec()}


# --- all rosters of a batch or a year, in one ZIP ------------------------------------------------


def _roster_zip_form(data=None) -> RosterZipForm:
    return RosterZipForm(data, batches=roster_zip_batches(), years=roster_zip_years())


@permission_required(roles.VIEW_SCHOOL)
def roster_zip(request: HttpRequest) -> HttpResponse:
    """GET: choose a batch or a year. POST: a job packs every roster of it into one ZIP."""
    if request.method != "POST":
        return render(request, "certificates/rosters/zip.html", {"form": _roster_zip_form()})
    form = _roster_zip_form(request.POST)
    if not form.is_valid():
        return render(request, "certificates/rosters/zip.html", {"form": form}, status=400)
    batch, year = form.cleaned_data["batch"], form.cleaned_data["year"]
    if batch is not None:
        params = {"batch_id": batch.pk, "filename": f"rosters-batch-{batch.pk}.zip"}
        title = _("签领名单打包（批次）：%(batch)s") % {"batch": batch.name}
    else:
        params = {"year": year, "filename": f"rosters-{year}.zip"}
        title = _("签领名单打包（年度）：%(year)s") % {"year": year}
    return job_started(request, task=build_roster_zip, kind="roster_zip", title=title, params=params)

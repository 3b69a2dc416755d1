from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.permissions import permission_required
from core.scoping import ORGANISATION
from core.views import ExportView

from .forms import ReportFilterForm
from .selectors import dashboard, home_figures, shows_schools
from .spreadsheets import (
    CertificatesExporter,
    EducationExporter,
    ExamsExporter,
    GraduationExporter,
    ReportExporter,
    TrainingExporter,
)
from .tables import TABLES

# The series names the charts print (dashboard.js reads them from the page's data island).
CHART_LABELS = {
    "assessed": _("鉴定人数"),
    "passed": _("通过人数"),
    "rate": _("通过率（%）"),
    "quota": _("试点指标"),
    "enrolled": _("报名人数"),
    "people": _("人数"),
    "budget": _("预算（元）"),
    "spent": _("已支出（元）"),
    "amount": _("金额（元）"),
}


@permission_required(None)
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home: what it may do, its key figures and its charts."""
    tenant = request.tenant
    if tenant is None:
        return render(request, "reports/home_no_membership.html", status=200)
    template = f"reports/home_{tenant.role}.html"
    context = {"figures": home_figures(tenant)}
    if tenant.has(roles.VIEW_REPORTS):
        data = dashboard(tenant, with_budget=tenant.has(roles.MANAGE_FUNDING))
        data["charts"]["i18n"] = {key: str(label) for key, label in CHART_LABELS.items()}
        context["dashboard"] = data
    return render(request, template, context)


@permission_required(roles.VIEW_REPORTS)
def statistics_page(request: HttpRequest) -> HttpResponse:
    """The five report tables of the active tenant, filtered; each exports to .xlsx."""
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    schools = shows_schools()
    computed: dict = {}
    tables = [table.render(filters, schools, computed) for table in TABLES]
    if request.tenant.kind == ORGANISATION:  # students are a school's records: nothing to show
        tables = [t for t in tables if t["table"].key != "graduation"]
    context = {
        "form": form,
        "tables": tables,
        "query": request.GET.urlencode(),
        "is_organisation": request.tenant.kind == ORGANISATION,
    }
    return render(request, "reports/statistics.html", context, status=400 if form.errors else 200)


class ReportExportView(ExportView):
    """POST with the page's query string: the table, filtered the same way, as .xlsx (a job)."""

    permission = roles.VIEW_REPORTS
    exporter_class: type[ReportExporter]

    def exporter_params(self) -> dict:
        return ReportFilterForm(self.request.GET or None).filters().as_params()


class EducationExportView(ReportExportView):
    exporter_class = EducationExporter


class TrainingExportView(ReportExportView):
    exporter_class = TrainingExporter


class ExamsExportView(ReportExportView):
    exporter_class = ExamsExporter


class GraduationExportView(ReportExportView):
    exporter_class = GraduationExporter


class CertificatesExportView(ReportExportView):
    exporter_class = CertificatesExporter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import roles
from core.permissions import permission_required
from core.views import ExportView, ImportView

from .selectors import catalogue_certificates
from .spreadsheets import CatalogueExporter, CatalogueImporter


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

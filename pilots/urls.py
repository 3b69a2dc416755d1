from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/import/", views.CatalogueImportView.as_view(), name="catalogue_import"),
    path("catalogue/export/", views.CatalogueExportView.as_view(), name="catalogue_export"),
]

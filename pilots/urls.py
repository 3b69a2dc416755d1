from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/import/", views.CatalogueImportView.as_view(), name="catalogue_import"),
    path("catalogue/export/", views.CatalogueExportView.as_view(), name="catalogue_export"),
    path("fees/", views.fees, name="fees"),
    path("fees/new/", views.fee_create, name="fee_create"),
    path("", views.pilot_list, name="pilot_list"),
    path("apply/", views.pilot_apply_view, name="pilot_apply"),
    path("export/", views.PilotExportView.as_view(), name="pilot_export"),
    path("<int:pilot_id>/", views.pilot_detail, name="pilot_detail"),
    path("<int:pilot_id>/approve/", views.pilot_approve_view, name="pilot_approve"),
    path("<int:pilot_id>/decline/", views.pilot_decline_view, name="pilot_decline"),
    path("<int:pilot_id>/start/", views.pilot_start_view, name="pilot_start"),
    path("<int:pilot_id>/finish/", views.pilot_finish_view, name="pilot_finish"),
]

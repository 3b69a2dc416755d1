from django.urls import path

from . import views

app_name = "exam_sites"

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<int:application_id>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:application_id>/submit/", views.application_submit_view, name="application_submit"),
    path("applications/<int:application_id>/pdf/", views.application_pdf, name="application_pdf"),
    path("applications/<int:application_id>/decide/", views.application_decide, name="application_decide"),
    path("review/", views.queue, name="queue"),
    path("sites/", views.site_list, name="site_list"),
]

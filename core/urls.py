from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/status/", views.job_status_json, name="job_status"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("jobs/<int:job_id>/retry/", views.job_retry_view, name="job_retry"),
    path("files/<int:file_id>/", views.file_download, name="file_download"),
]

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("export/education/", views.EducationExportView.as_view(), name="export_education"),
    path("export/training/", views.TrainingExportView.as_view(), name="export_training"),
    path("export/exams/", views.ExamsExportView.as_view(), name="export_exams"),
    path("export/graduation/", views.GraduationExportView.as_view(), name="export_graduation"),
    path("export/certificates/", views.CertificatesExportView.as_view(), name="export_certificates"),
]

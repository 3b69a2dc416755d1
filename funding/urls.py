from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create_view, name="project_create"),
    path("<int:project_id>/", views.project_detail, name="project_detail"),
    path("<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("<int:project_id>/lines/new/", views.line_create, name="line_create"),
    path("<int:project_id>/procurement/new/", views.procurement_create, name="procurement_create"),
    path("<int:project_id>/spending/new/", views.spending_create_view, name="spending_create"),
    path("<int:project_id>/targets/new/", views.target_create, name="target_create"),
    path("<int:project_id>/targets/<int:target_id>/report/", views.target_report_view, name="target_report"),
    path("<int:project_id>/targets/<int:target_id>/evidence/", views.target_evidence, name="target_evidence"),
    path("<int:project_id>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("<int:project_id>/export/", views.BudgetExportView.as_view(), name="budget_export"),
]

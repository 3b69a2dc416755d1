from django.urls import path

from . import correction_views, settlement_views, views

app_name = "funding"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create_view, name="project_create"),
    path("<int:project_id>/", views.project_detail, name="project_detail"),
    path("<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("<int:project_id>/lines/new/", views.line_create, name="line_create"),
    path("<int:project_id>/lines/exam-fees/", views.exam_fee_compute, name="exam_fee_compute"),
    path("<int:project_id>/lines/<int:line_id>/edit/", correction_views.line_edit, name="line_edit"),
    path("<int:project_id>/lines/<int:line_id>/delete/", correction_views.line_delete, name="line_delete"),
    path(
        "<int:project_id>/targets/<int:target_id>/reports/<int:report_id>/evidence/",
        views.target_report_evidence,
        name="target_report_evidence",
    ),
    path("<int:project_id>/procurement/new/", views.procurement_create, name="procurement_create"),
    path(
        "<int:project_id>/procurement/<int:item_id>/edit/", correction_views.procurement_edit, name="procurement_edit"
    ),
    path(
        "<int:project_id>/procurement/<int:item_id>/delete/",
        correction_views.procurement_delete,
        name="procurement_delete",
    ),
    path("<int:project_id>/spending/new/", views.spending_create_view, name="spending_create"),
    path(
        "<int:project_id>/spending/<int:spending_id>/remove/",
        correction_views.spending_remove_view,
        name="spending_remove",
    ),
    path("<int:project_id>/targets/new/", views.target_create, name="target_create"),
    path("<int:project_id>/targets/<int:target_id>/report/", views.target_report_view, name="target_report"),
    path("<int:project_id>/targets/<int:target_id>/evidence/", views.target_evidence, name="target_evidence"),
    path("<int:project_id>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("<int:project_id>/export/", views.BudgetExportView.as_view(), name="budget_export"),
    # Exam-fee settlement statements (考核费结算单), seen by the school and the organisation alike.
    path("settlements/", settlement_views.settlement_list, name="settlement_list"),
    path("settlements/new/", settlement_views.settlement_create_view, name="settlement_create"),
    path("settlements/<int:settlement_id>/", settlement_views.settlement_detail, name="settlement_detail"),
    path(
        "settlements/<int:settlement_id>/export/",
        settlement_views.SettlementExportView.as_view(),
        name="settlement_export",
    ),
]

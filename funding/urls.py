from django.urls import path

from .views import budget, exam_fees, procurement, projects, settlements, spending, targets

app_name = "funding"

urlpatterns = [
    path("", projects.project_list, name="project_list"),
    path("new/", projects.project_create_view, name="project_create"),
    path("<int:project_id>/", projects.project_detail, name="project_detail"),
    path("<int:project_id>/edit/", projects.project_edit, name="project_edit"),
    path("<int:project_id>/plan.pdf", projects.plan_pdf, name="plan_pdf"),
    path("<int:project_id>/export/", projects.BudgetExportView.as_view(), name="budget_export"),
    path("<int:project_id>/lines/new/", budget.line_create, name="line_create"),
    path("<int:project_id>/lines/exam-fees/", exam_fees.exam_fee_compute, name="exam_fee_compute"),
    path("<int:project_id>/lines/<int:line_id>/edit/", budget.line_edit, name="line_edit"),
    path("<int:project_id>/lines/<int:line_id>/delete/", budget.line_delete, name="line_delete"),
    path("<int:project_id>/procurement/new/", procurement.procurement_create, name="procurement_create"),
    path("<int:project_id>/procurement/<int:item_id>/edit/", procurement.procurement_edit, name="procurement_edit"),
    path(
        "<int:project_id>/procurement/<int:item_id>/delete/",
        procurement.procurement_delete,
        name="procurement_delete",
    ),
    path("<int:project_id>/spending/new/", spending.spending_create_view, name="spending_create"),
    path(
        "<int:project_id>/spending/<int:spending_id>/remove/",
        spending.spending_remove_view,
        name="spending_remove",
    ),
    path("<int:project_id>/targets/new/", targets.target_create, name="target_create"),
    path("<int:project_id>/targets/<int:target_id>/report/", targets.target_report_view, name="target_report"),
    path("<int:project_id>/targets/<int:target_id>/evidence/", targets.target_evidence, name="target_evidence"),
    path(
        "<int:project_id>/targets/<int:target_id>/reports/<int:report_id>/evidence/",
        targets.target_report_evidence,
        name="target_report_evidence",
    ),
    # Exam-fee settlement statements (考核费结算单), seen by the school and the organisation alike.
    path("settlements/", settlements.settlement_list, name="settlement_list"),
    path("settlements/new/", settlements.settlement_create_view, name="settlement_create"),
    path("settlements/<int:settlement_id>/", settlements.settlement_detail, name="settlement_detail"),
    path(
        "settlements/<int:settlement_id>/export/",
        settlements.SettlementExportView.as_view(),
        name="settlement_export",
    ),
]

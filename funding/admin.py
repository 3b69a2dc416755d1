from django.contrib import admin

from .models import BudgetLine, FundingProject, PerformanceTarget, ProcurementItem, Spending, TargetReport


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    # A computed exam-fee line is written by funding.services.exam_fees, never typed.
    readonly_fields = ("pilot", "planned_candidates", "unit_fee")


@admin.register(FundingProject)
class FundingProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "year", "status", "declared_total")
    list_filter = ("year", "status")
    search_fields = ("name", "document_number")
    inlines = [BudgetLineInline]


@admin.register(ProcurementItem)
class ProcurementItemAdmin(admin.ModelAdmin):
    list_display = ("item", "project", "quantity", "unit_price")


@admin.register(Spending)
class SpendingAdmin(admin.ModelAdmin):
    list_display = ("date", "budget_line", "amount", "payee", "voucher_number", "settlement")


class TargetReportInline(admin.TabularInline):
    """The history of a reported target: read-only, written by funding.services.targets.target_report."""

    model = TargetReport
    extra = 0
    readonly_fields = ("value", "evidence_note", "evidence_file", "reported_by", "reported_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PerformanceTarget)
class PerformanceTargetAdmin(admin.ModelAdmin):
    list_display = ("project", "kind", "metric", "name", "comparison", "target", "reported_value")
    inlines = [TargetReportInline]

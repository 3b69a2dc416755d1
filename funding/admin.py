from django.contrib import admin

from .models import (
    BudgetLine,
    FundingEvent,
    FundingProject,
    PerformanceTarget,
    ProcurementItem,
    Spending,
    TargetReport,
)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    # A computed exam-fee line is written by funding.services.exam_fee_lines_compute, never typed.
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
    """The history of a reported target: read-only, written by funding.services.target_report."""

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


@admin.register(FundingEvent)
class FundingEventAdmin(admin.ModelAdmin):
    """Read-only: the change log is written by the funding services, never by hand."""

    list_display = ("at", "kind", "project", "actor", "detail")
    list_filter = ("kind",)
    list_select_related = ("project", "actor")
    search_fields = ("detail", "project__name")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

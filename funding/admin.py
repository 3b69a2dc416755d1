from django.contrib import admin

from .models import BudgetLine, FundingProject, PerformanceTarget, ProcurementItem, Spending


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


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
    list_display = ("date", "budget_line", "amount", "payee", "voucher_number")


@admin.register(PerformanceTarget)
class PerformanceTargetAdmin(admin.ModelAdmin):
    list_display = ("project", "metric", "comparison", "target")

"""Staff pages of certificates: read-mostly. Every change goes through the services, which write the
audit log; histories are shown on the app's own pages."""

from django.contrib import admin

from .models import (
    ExternalCertificate,
    IssuedCertificate,
    NumberSequence,
    Objection,
    Result,
    ResultSheet,
    VerificationLog,
)


@admin.register(IssuedCertificate)
class IssuedCertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "certificate", "level", "person", "school", "issued_on", "status", "collected_by")
    list_filter = ("certificate", "status", "level")
    search_fields = ("number", "person__name")
    readonly_fields = ("result", "person", "school", "certificate", "number", "verification_token", "issued_by")


@admin.register(ExternalCertificate)
class ExternalCertificateAdmin(admin.ModelAdmin):
    list_display = ("name", "issuer", "level", "person", "school", "issued_on", "collected_by")
    search_fields = ("name", "issuer", "person__name")
    list_filter = ("school",)


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ("organisation", "certificate", "year", "last_value")
    readonly_fields = ("organisation", "certificate", "year", "last_value")


@admin.register(ResultSheet)
class ResultSheetAdmin(admin.ModelAdmin):
    list_display = ("batch", "status", "notice_days", "published_at", "notice_ends_on", "ended_at")
    list_filter = ("status",)
    readonly_fields = ("batch", "status", "published_at", "published_by", "notice_ends_on", "ended_at", "ended_by")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "sheet", "theory", "practical", "absent", "outcome", "is_retake", "version")
    list_filter = ("outcome", "is_retake")
    search_fields = ("enrolment__person__name",)
    readonly_fields = [f.name for f in Result._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("sheet", "raised_by", "received_on", "status", "answered_at")
    list_filter = ("status",)
    readonly_fields = ("sheet", "result", "recorded_by", "answered_at")


@admin.register(VerificationLog)
class VerificationLogAdmin(admin.ModelAdmin):
    """The checks no tenant sees (unknown numbers) are visible here to staff only."""

    list_display = ["at", "certificate", "found", "via_token", "client_hash"]
    list_filter = ["found", "via_token"]
    search_fields = ["certificate__number", "client_hash"]
    raw_id_fields = ["certificate"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

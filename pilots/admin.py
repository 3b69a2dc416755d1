from django.contrib import admin

from .models import Certificate, CertificateLevel, FeeStandard, Pilot, PilotEvent


class LevelInline(admin.TabularInline):
    model = CertificateLevel
    extra = 0


class FeeInline(admin.TabularInline):
    model = FeeStandard
    extra = 0


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "organisation", "is_active")
    list_filter = ("organisation", "is_active")
    search_fields = ("name", "code")
    inlines = [LevelInline, FeeInline]


class PilotEventInline(admin.TabularInline):
    model = PilotEvent
    extra = 0
    readonly_fields = ("actor", "from_status", "to_status", "comment", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    """Read-mostly for staff: the workflow's steps go through the services, not through here."""

    list_display = ("year", "school", "certificate", "level", "cohort", "requested_quota", "quota", "status")
    list_filter = ("year", "status", "cohort", "level", "certificate")
    search_fields = ("school__name", "certificate__name")
    readonly_fields = ("status", "quota", "created_by", "created_at", "updated_at")
    inlines = [PilotEventInline]

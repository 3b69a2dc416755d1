from django.contrib import admin

from .models import (
    Announcement,
    Batch,
    ExamRoom,
    ExamSession,
    ExamSite,
    GuidanceCentre,
    PartnerUnit,
    Round,
    SchedulingEvent,
    Seat,
    SiteApplication,
    SiteApplicationEvent,
    SiteContact,
    SiteRoom,
)


class ContactInline(admin.TabularInline):
    model = SiteContact
    extra = 0


class RoomInline(admin.TabularInline):
    model = SiteRoom
    extra = 0


class PartnerInline(admin.TabularInline):
    model = PartnerUnit
    extra = 0


class EventInline(admin.TabularInline):
    model = SiteApplicationEvent
    extra = 0
    readonly_fields = ("actor", "created_at", "from_status", "to_status", "comment")
    can_delete = False


@admin.register(SiteApplication)
class SiteApplicationAdmin(admin.ModelAdmin):
    list_display = ("unit_name", "school", "certificate", "kind", "status", "version", "updated_at")
    list_filter = ("status", "kind", "certificate")
    search_fields = ("unit_name", "school__name")
    inlines = [ContactInline, RoomInline, PartnerInline, EventInline]


class ExamRoomInline(admin.TabularInline):
    model = ExamRoom
    extra = 0


@admin.register(ExamSite)
class ExamSiteAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "certificate", "daily_max", "approved_at")
    list_filter = ("certificate",)
    inlines = [ExamRoomInline]


@admin.register(GuidanceCentre)
class GuidanceCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "certificate", "approved_at")


# --- assessment scheduling (issue 7) ----------------------------------------------------------


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "certificate", "year", "published_at")
    list_filter = ("year", "certificate")
    inlines = [RoundInline]


class ExamSessionInline(admin.TabularInline):
    model = ExamSession
    extra = 0


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "pilot", "site", "round", "familiarisation_on", "created_at")
    list_filter = ("round__announcement__year",)
    filter_horizontal = ("teachers",)
    inlines = [ExamSessionInline]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ("session", "number", "enrolment", "batch", "is_retake")
    list_select_related = ("session__room", "enrolment__person", "enrolment__pilot__certificate", "batch")


@admin.register(SchedulingEvent)
class SchedulingEventAdmin(admin.ModelAdmin):
    """Read-only: the history is written by the scheduling services, never by hand."""

    list_display = ("at", "kind", "school", "organisation", "batch", "announcement", "actor", "detail")
    list_filter = ("kind",)
    list_select_related = ("school", "organisation", "batch", "announcement", "actor")
    search_fields = ("detail", "batch__name", "announcement__title")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
    Seat,
    SiteApplication,
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


@admin.register(SiteApplication)
class SiteApplicationAdmin(admin.ModelAdmin):
    list_display = ("unit_name", "school", "certificate", "kind", "status", "version", "updated_at")
    list_filter = ("status", "kind", "certificate")
    search_fields = ("unit_name", "school__name")
    inlines = [ContactInline, RoomInline, PartnerInline]


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


# --- assessment scheduling -----------------------------------------------------------------------


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

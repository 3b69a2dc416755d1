from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, Organisation, School, StaffQualification, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "user"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("full_name",)}))
    list_display = ("username", "full_name", "is_staff", "is_active")
    inlines = [MembershipInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_pilot_school")
    search_fields = ("name",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_person", "phone", "schools_may_issue")
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "school", "organisation", "role", "is_active")
    list_filter = ("role", "is_active")


@admin.register(StaffQualification)
class StaffQualificationAdmin(admin.ModelAdmin):
    list_display = ("user", "school", "kind", "certificate", "obtained_on")
    list_filter = ("kind",)

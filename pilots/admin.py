from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core.audit import history

from .models import Certificate, CertificateLevel, FeeStandard, Pilot


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


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    """Read-mostly for staff: the workflow's steps go through the services, not through here."""

    list_display = ("year", "school", "certificate", "level", "cohort", "requested_quota", "quota", "status")
    list_filter = ("year", "status", "cohort", "level", "certificate")
    search_fields = ("school__name", "certificate__name")
    readonly_fields = ("status", "quota", "created_by", "created_at", "updated_at", "steps")

    @admin.display(description=_("办理记录"))
    def steps(self, pilot: Pilot) -> str:
        """The pilot's history from the audit log, one line per step."""
        return format_html_join(
            "",
            "<div>{} · {} · {} · {}</div>",
            (
                (f"{timezone.localtime(line.at):%Y-%m-%d %H:%M}", line.actor or "—", line.label, line.detail)
                for line in history(pilot)
            ),
        )

from django.contrib import admin

from .models import Certificate, CertificateLevel


class LevelInline(admin.TabularInline):
    model = CertificateLevel
    extra = 0


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "organisation", "is_active")
    list_filter = ("organisation", "is_active")
    search_fields = ("name", "code")
    inlines = [LevelInline]

from django.contrib import admin

from .models import Job, StoredFile


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "state", "progress", "created_at")
    list_filter = ("state", "kind")


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "size", "created_at", "expires_at")

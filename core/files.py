"""Stored files: what jobs produce and what users download."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone

from .models import StoredFile
from .scoping import ORGANISATION, SCHOOL, current_tenant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ZIP = "application/zip"


def stored_file_create(
    *, name: str, content: bytes, content_type: str, owner_id: int | None, digest: str = ""
) -> StoredFile:
    """Keep ``content`` for the active tenant."""
    ref = current_tenant()
    stored = StoredFile(
        name=name,
        content_type=content_type,
        owner_id=owner_id,
        size=len(content),
        digest=digest,
        school_id=ref.pk if ref and ref.kind == SCHOOL else None,
        organisation_id=ref.pk if ref and ref.kind == ORGANISATION else None,
    )
    stored.file.save(name, ContentFile(content), save=False)
    stored.save()
    return stored


def stored_file_by_digest(digest: str) -> StoredFile | None:
    """A live file of the active tenant made from the same input, if its content is still there."""
    for stored in StoredFile.objects.filter(digest=digest, expires_at__gt=timezone.now()).order_by("-created_at")[:1]:
        if stored.file.storage.exists(stored.file.name):
            return stored
    return None


def expired_files() -> QuerySet[StoredFile]:
    return StoredFile.objects.filter(expires_at__lte=timezone.now())


def stored_files_purge() -> int:
    """Delete expired files and their content (management command ``purge_files``)."""
    count = 0
    for stored in expired_files().iterator():
        stored.file.delete(save=False)
        stored.delete()
        count += 1
    return count

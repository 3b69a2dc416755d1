"""Reads of announcements and rounds.

Announcements and rounds belong to an organisation; their manager shows a school nothing. Schools
read the published announcements of the certificates they pilot through ``announcements_visible``,
the one deliberate cross-tenant read of scheduling (and, the same way, who published them).
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.audit import Line, describe, entries_for
from core.models import AuditEntry
from core.scoping import SCHOOL, current_tenant
from pilots.models import Level, Pilot, PilotStatus

from ..models import Announcement, Round

PUBLISHED = "scheduling.announcement.published"


def level_labels(levels: list[str] | None) -> list[str]:
    """Level values to their labels, in the catalogue's order."""
    chosen = set(levels or [])
    return [str(label) for value, label in Level.choices if value in chosen]


def for_school() -> bool:
    ref = current_tenant()
    return ref is not None and ref.kind == SCHOOL


def announcements_visible() -> QuerySet[Announcement]:
    """An organisation: its own announcements (drafts too). A school: the published announcements of
    the certificates it pilots. The platform: all."""
    if for_school():
        # Deliberate cross-tenant read: Announcement's manager gives a school nothing (it belongs to
        # the organisation), so a school reads the base manager, narrowed to published rows of the
        # certificates of its own pilots (the scoped Pilot manager supplies those).
        piloted = Pilot.objects.exclude(status=PilotStatus.DECLINED).values("certificate_id")
        qs = Announcement._base_manager.filter(published_at__isnull=False, certificate_id__in=piloted)
    else:
        qs = Announcement.objects.all()
    return qs.select_related("certificate", "organisation").order_by("-year", "certificate__code", "id")


def announcement_get(*, announcement_id: int) -> Announcement:
    return get_object_or_404(announcements_visible(), pk=announcement_id)


def rounds_visible() -> QuerySet[Round]:
    """The rounds of the announcements the active tenant may see (a school: published ones only)."""
    if for_school():
        # The same deliberate read as announcements_visible: rounds of visible announcements only.
        qs = Round._base_manager.filter(announcement__in=announcements_visible().values("pk"))
    else:
        qs = Round.objects.all()
    return qs.select_related("announcement", "announcement__certificate").order_by("starts_on", "id")


def announcement_rounds(announcement: Announcement) -> QuerySet[Round]:
    return rounds_visible().filter(announcement=announcement)


def announcement_history(announcement: Announcement) -> list[Line]:
    """The announcement's history, newest first. An organisation sees its own lines; a school sees the
    publication of an announcement it may read (who published it and when), nothing else."""
    if for_school():
        # The same deliberate read as announcements_visible: an announcement's lines belong to the
        # organisation, so the scoped log gives a school none; narrowed to the publication of a
        # visible announcement.
        if not announcements_visible().filter(pk=announcement.pk).exists():
            return []
        lines = AuditEntry._base_manager.filter(
            content_type=ContentType.objects.get_for_model(Announcement), object_id=announcement.pk, action=PUBLISHED
        ).select_related("actor")
    else:
        lines = entries_for(announcement)
    return [describe(line) for line in lines.order_by("-at", "-id")]


def open_rounds(*, today: date | None = None) -> QuerySet[Round]:
    """Published rounds whose registration has not closed: the ones a school may plan batches in."""
    today = today or timezone.localdate()
    return rounds_visible().filter(announcement__published_at__isnull=False, registration_closes_on__gte=today)

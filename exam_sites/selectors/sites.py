"""Reads of approved exam sites, their rooms, and guidance centres."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from ..models import ExamRoom, ExamSite, GuidanceCentre


def exam_sites() -> QuerySet[ExamSite]:
    return (
        ExamSite.objects.select_related("school", "certificate", "application")
        .annotate(total_workstations=Sum("rooms__workstations"))
        .order_by("certificate__code", "name")
    )


def exam_site_rooms(site: ExamSite) -> QuerySet[ExamRoom]:
    return site.rooms.order_by("id")


def guidance_centres() -> QuerySet[GuidanceCentre]:
    return GuidanceCentre.objects.select_related("school", "certificate").order_by("certificate__code", "name")

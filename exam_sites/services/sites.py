"""Writes of exam sites and guidance centres: what an approved application makes."""

from __future__ import annotations

from ..models import ExamRoom, ExamSite, GuidanceCentre, SiteApplication


def site_from_approval(application: SiteApplication) -> ExamSite | GuidanceCentre:
    """A 考点 becomes an exam site with the application's rooms (replacing an earlier approval's); a
    省指导中心 marks the school, with no capacity. Called in the approval's transaction."""
    if application.kind == SiteApplication.Kind.GUIDANCE_CENTRE:
        centre, _created = GuidanceCentre.objects.update_or_create(
            school=application.school,
            certificate=application.certificate,
            defaults={"application": application, "name": application.unit_name, "approved_at": application.decided_at},
        )
        return centre
    site, _created = ExamSite.objects.update_or_create(
        school=application.school,
        certificate=application.certificate,
        defaults={
            "application": application,
            "name": application.unit_name,
            "daily_max": application.daily_max,
            "sessions_per_day": application.sessions_per_day,
            "levels": application.levels,
            "approved_at": application.decided_at,
        },
    )
    site.rooms.all().delete()
    ExamRoom.objects.bulk_create(
        ExamRoom(site=site, name=r.name, area=r.area, workstations=r.workstations)
        for r in application.rooms.order_by("position", "id")
    )
    return site

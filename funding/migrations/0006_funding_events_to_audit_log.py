"""Funding's change log moves to the one audit log (core.AuditEntry), then FundingEvent goes.

Each FundingEvent becomes a line on its project, with its actor, time, school (no organisation: the
school's funding is not the organisation's to read) and data. Rows whose data lacks what the new
wording needs (edits, recomputations and reports, whose data kept only the changed values) keep
their old words in ``data["detail"]``, shown as they were.
"""

from django.db import migrations

ACTIONS = {
    "line_created": "funding.line.created",
    "line_updated": "funding.line.updated",
    "line_deleted": "funding.line.deleted",
    "exam_fees_computed": "funding.exam_fees.computed",
    "item_created": "funding.item.created",
    "item_updated": "funding.item.updated",
    "item_deleted": "funding.item.deleted",
    "spending_created": "funding.spending.created",
    "spending_removed": "funding.spending.removed",
    "project_updated": "funding.project.updated",
    "target_created": "funding.target.created",
    "target_reported": "funding.target.reported",
}
KINDS = {action: kind for kind, action in ACTIONS.items()}
# Their data holds only the changed values (or no counts, no target name): the old words stay.
KEEP_DETAIL = {"line_updated", "item_updated", "exam_fees_computed", "target_reported"}


def _project_type(apps):
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.get_or_create(app_label="funding", model="fundingproject")[0]


def events_to_audit(apps, schema_editor):
    event_model = apps.get_model("funding", "FundingEvent")
    entry_model = apps.get_model("core", "AuditEntry")
    project_type = _project_type(apps)
    entries = []
    for event in event_model.objects.select_related("project").order_by("at", "id").iterator():
        data = dict(event.data or {})
        if event.kind in KEEP_DETAIL:
            data["detail"] = event.detail
        entries.append(
            entry_model(
                content_type_id=project_type.pk,
                object_id=event.project_id,
                school_id=event.project.school_id,
                organisation_id=None,
                actor_id=event.actor_id,
                action=ACTIONS[event.kind],
                data=data,
                at=event.at,
            )
        )
    entry_model.objects.bulk_create(entries, batch_size=1000)


def audit_to_events(apps, schema_editor):
    """Back again: the project's lines become FundingEvents (words only where they were kept)."""
    event_model = apps.get_model("funding", "FundingEvent")
    entry_model = apps.get_model("core", "AuditEntry")
    lines = entry_model.objects.filter(content_type=_project_type(apps), action__in=list(KINDS))
    events = []
    for entry in lines.order_by("at", "id").iterator():
        data = dict(entry.data)
        detail = data.pop("detail", "") or entry.action
        events.append(
            event_model(
                project_id=entry.object_id,
                kind=KINDS[entry.action],
                actor_id=entry.actor_id,
                at=entry.at,
                detail=detail,
                data=data,
            )
        )
    event_model.objects.bulk_create(events, batch_size=1000)
    lines.delete()
    entry_model.objects.filter(action__startswith="funding.settlement.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0005_project_version"),
        ("core", "0002_audit_entry"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(events_to_audit, audit_to_events),
        migrations.DeleteModel(name="FundingEvent"),
    ]

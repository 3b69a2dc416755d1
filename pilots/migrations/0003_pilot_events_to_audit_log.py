"""Move the pilots' history (PilotEvent) into the one audit log, then drop PilotEvent.

Each row keeps its actor, time, tenants (the pilot's school and its certificate's organisation)
and its values as data {from, to, comment}; the action is named by the status the step led to.
"""

from django.db import migrations

ACTION_BY_STATUS = {
    "applied": "pilots.pilot.submitted",
    "approved": "pilots.pilot.approved",
    "declined": "pilots.pilot.declined",
    "running": "pilots.pilot.started",
    "finished": "pilots.pilot.finished",
}


def _pilot_type(apps):
    content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="pilots", model="pilot"
    )
    return content_type


def events_to_audit_log(apps, schema_editor):
    PilotEvent = apps.get_model("pilots", "PilotEvent")
    AuditEntry = apps.get_model("core", "AuditEntry")
    content_type = _pilot_type(apps)
    events = PilotEvent.objects.select_related("pilot__certificate").order_by("created_at", "id")
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=content_type,
                object_id=event.pilot_id,
                school_id=event.pilot.school_id,
                organisation_id=event.pilot.certificate.organisation_id,
                actor_id=event.actor_id,
                action=ACTION_BY_STATUS[event.to_status],
                data={"from": event.from_status, "to": event.to_status, "comment": event.comment},
                at=event.created_at,
            )
            for event in events.iterator(chunk_size=2000)
        ],
        batch_size=1000,
    )


def audit_log_to_events(apps, schema_editor):
    PilotEvent = apps.get_model("pilots", "PilotEvent")
    AuditEntry = apps.get_model("core", "AuditEntry")
    lines = AuditEntry.objects.filter(content_type=_pilot_type(apps), action__in=ACTION_BY_STATUS.values())
    PilotEvent.objects.bulk_create(
        [
            PilotEvent(
                pilot_id=line.object_id,
                actor_id=line.actor_id,
                from_status=line.data.get("from") or "",
                to_status=line.data.get("to") or "",
                comment=line.data.get("comment") or "",
            )
            for line in lines.order_by("at", "id")
        ],
        batch_size=1000,
    )
    for line in lines:  # created_at is auto_now_add: set the original times afterwards
        PilotEvent.objects.filter(pilot_id=line.object_id, to_status=line.data.get("to")).update(created_at=line.at)
    lines.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_entry"),
        ("pilots", "0002_pilot_pilotevent_feestandard_and_more"),
    ]

    operations = [
        migrations.RunPython(events_to_audit_log, audit_log_to_events),
        migrations.DeleteModel(name="PilotEvent"),
    ]

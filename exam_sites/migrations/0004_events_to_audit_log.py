"""Move the application history (SiteApplicationEvent) and the scheduling history (SchedulingEvent) into
the one audit log (core.AuditEntry), then delete both tables.

Every old row becomes one line with its actor, time and tenants. An application row keeps its values
(from/to status, comment). A scheduling row keeps its data; the values its words were made of (names,
dates of that moment) are added from the rows they name, so the words are built anew in the
reader's language; where a named row is gone, the line keeps its old words under ``text``.
"""

from django.db import migrations

APPLICATION_ACTIONS = {
    "draft": "exam_sites.application.created",
    "submitted": "exam_sites.application.submitted",
    "approved": "exam_sites.application.approved",
    "returned": "exam_sites.application.returned",
    "rejected": "exam_sites.application.rejected",
}

SCHEDULING_ACTIONS = {
    "batch_created": "scheduling.batch.created",
    "batch_updated": "scheduling.batch.updated",
    "session_created": "scheduling.session.created",
    "session_deleted": "scheduling.session.deleted",
    "seats_allocated": "scheduling.seats.allocated",
    "seats_reallocated": "scheduling.seats.reallocated",
    "seat_moved": "scheduling.seat.moved",
    "announcement_published": "scheduling.announcement.published",
}


class Missing(Exception):
    """A row the old words named is gone: the line keeps its old words."""


def _get(model, pk):
    row = model._base_manager.filter(pk=pk).first() if pk is not None else None
    if row is None:
        raise Missing
    return row


def _name(user):
    return user.full_name or user.username


def _slot(apps, session_id):
    session = _get(apps.get_model("exam_sites", "ExamSession"), session_id)
    room = _get(apps.get_model("exam_sites", "ExamRoom"), session.room_id)
    return {
        "date": session.date.strftime("%Y-%m-%d"),
        "starts_at": session.starts_at.strftime("%H:%M"),
        "ends_at": session.ends_at.strftime("%H:%M"),
        "room": room.name,
    }


def _batch_created(apps, data):
    pilot = _get(apps.get_model("pilots", "Pilot"), data.get("pilot_id"))
    certificate = _get(apps.get_model("pilots", "Certificate"), pilot.certificate_id)
    site = _get(apps.get_model("exam_sites", "ExamSite"), data.get("site_id"))
    exam_round = _get(apps.get_model("exam_sites", "Round"), data.get("round_id"))
    announcement = _get(apps.get_model("exam_sites", "Announcement"), exam_round.announcement_id)
    return {
        "pilot_year": pilot.year,
        "certificate": certificate.name,
        "level": pilot.level,
        "site": site.name,
        "round": exam_round.name,
        "year": announcement.year,
    }


def _batch_updated(apps, data):
    user = apps.get_model("accounts", "User")
    extra = {}
    for key in ("teachers_added", "teachers_removed"):
        if data.get(key):
            extra[f"{key}_names"] = [_name(_get(user, pk)) for pk in data[key]]
    return extra


def _session(apps, data):
    room = _get(apps.get_model("exam_sites", "ExamRoom"), data.get("room_id"))
    invigilator = _get(apps.get_model("accounts", "User"), data.get("invigilator_id"))
    return {"room": room.name, "invigilator": _name(invigilator)}


def _seat_moved(apps, data):
    enrolment = _get(apps.get_model("students", "Enrolment"), data.get("enrolment_id"))
    person = _get(apps.get_model("students", "Person"), enrolment.person_id)
    return {
        "name": person.name,
        "from_slot": _slot(apps, data.get("from_session_id")),
        "to_slot": _slot(apps, data.get("to_session_id")),
    }


def _published(apps, data):
    round_model = apps.get_model("exam_sites", "Round")
    return {"rounds": [_get(round_model, pk).name for pk in data.get("round_ids") or []]}


# The values each kind's words need beyond what its data held (numbers of an allocation are all there).
REBUILD = {
    "batch_created": _batch_created,
    "batch_updated": _batch_updated,
    "session_created": _session,
    "session_deleted": _session,
    "seat_moved": _seat_moved,
    "announcement_published": _published,
}


def _scheduling_data(apps, event):
    data = dict(event.data or {})
    rebuild = REBUILD.get(event.kind)
    if rebuild is None:
        return data
    try:
        data.update(rebuild(apps, data))
    except (Missing, KeyError, TypeError, AttributeError):
        data["text"] = event.detail
    if event.kind == "announcement_published" and "text" not in data:
        data["title"] = _get(apps.get_model("exam_sites", "Announcement"), event.announcement_id).title
    return data


def _content_type(apps, model):
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.get_or_create(app_label="exam_sites", model=model)[0]


def _move_application_events(apps, entry):
    event_model = apps.get_model("exam_sites", "SiteApplicationEvent")
    application_type = _content_type(apps, "siteapplication")
    lines = []
    for event in event_model._base_manager.select_related("application__certificate").order_by("created_at", "id"):
        application = event.application
        lines.append(
            entry(
                content_type=application_type,
                object_id=application.pk,
                school_id=application.school_id,
                # Reviewers never see a draft: the step that made one is the school's only.
                organisation_id=None if event.to_status == "draft" else application.certificate.organisation_id,
                actor_id=event.actor_id,
                action=APPLICATION_ACTIONS.get(event.to_status, "exam_sites.application.created"),
                data={"from": event.from_status, "to": event.to_status, "comment": event.comment},
                at=event.created_at,
            )
        )
    entry._base_manager.bulk_create(lines, batch_size=1000)


def _move_scheduling_events(apps, entry):
    event_model = apps.get_model("exam_sites", "SchedulingEvent")
    batch_type, announcement_type = _content_type(apps, "batch"), _content_type(apps, "announcement")
    lines = []
    for event in event_model._base_manager.order_by("at", "id"):
        on_batch = event.batch_id is not None
        lines.append(
            entry(
                content_type=batch_type if on_batch else announcement_type,
                object_id=event.batch_id if on_batch else event.announcement_id,
                # The tenants as the old row had them: a batch's line for the school and the
                # organisation, an announcement's for the organisation only.
                school_id=event.school_id,
                organisation_id=event.organisation_id,
                actor_id=event.actor_id,
                action=SCHEDULING_ACTIONS[event.kind],
                data=_scheduling_data(apps, event),
                at=event.at,
            )
        )
    entry._base_manager.bulk_create(lines, batch_size=1000)


def forward(apps, schema_editor):
    entry = apps.get_model("core", "AuditEntry")
    _move_application_events(apps, entry)
    _move_scheduling_events(apps, entry)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_entry"),
        ("exam_sites", "0003_schedulingevent"),
    ]

    operations = [
        # Backwards the old tables come back empty and the moved lines stay in the audit log.
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.DeleteModel(name="SchedulingEvent"),
        migrations.DeleteModel(name="SiteApplicationEvent"),
    ]

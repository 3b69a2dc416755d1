"""Move the histories of results (ResultChange) and issued certificates (CertificateEvent) into the
one audit log, then drop both tables.

Every row keeps its actor, its time and its values. A result's line: data {before, after, reason};
the action is ``results.result.imported`` for an Excel import, ``results.result.retake_created``
for a retake row, ``results.result.corrected`` for a change made once the sheet was published and
``results.result.entered`` before that. Its organisation is set only where the sheet is in notice
or ended, as the organisation sees results only from then on. A certificate's line: action
``certificates.certificate.<issued|collected|revoked|replaced|reissued>``, data {comment}, both
tenants (as before).
"""

from django.db import migrations

IMPORT_REASON = "Excel 导入"
RETAKE_REASON = "补考"
PUBLISHED = ("notice", "final")


def _content_type(apps, model):
    content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="certificates", model=model
    )
    return content_type


def _result_action(change, sheet):
    if change.reason == IMPORT_REASON:
        return "results.result.imported", ""
    if change.reason.startswith(RETAKE_REASON):
        return "results.result.retake_created", change.reason
    if sheet.published_at is not None and change.changed_at >= sheet.published_at:
        return "results.result.corrected", change.reason
    return "results.result.entered", change.reason


def _result_lines(apps):
    ResultChange = apps.get_model("certificates", "ResultChange")
    AuditEntry = apps.get_model("core", "AuditEntry")
    content_type = _content_type(apps, "result")
    changes = ResultChange.objects.select_related("result__sheet__batch__pilot__certificate").order_by(
        "changed_at", "id"
    )
    for change in changes.iterator(chunk_size=2000):
        sheet = change.result.sheet
        action, reason = _result_action(change, sheet)
        yield AuditEntry(
            content_type=content_type,
            object_id=change.result_id,
            school_id=sheet.batch.school_id,
            organisation_id=sheet.batch.pilot.certificate.organisation_id if sheet.status in PUBLISHED else None,
            actor_id=change.changed_by_id,
            action=action,
            data={"before": change.old_values or None, "after": change.new_values, "reason": reason},
            at=change.changed_at,
        )


def _certificate_lines(apps):
    CertificateEvent = apps.get_model("certificates", "CertificateEvent")
    AuditEntry = apps.get_model("core", "AuditEntry")
    content_type = _content_type(apps, "issuedcertificate")
    events = CertificateEvent.objects.select_related("certificate__certificate").order_by("at", "id")
    for event in events.iterator(chunk_size=2000):
        yield AuditEntry(
            content_type=content_type,
            object_id=event.certificate_id,
            school_id=event.certificate.school_id,
            organisation_id=event.certificate.certificate.organisation_id,
            actor_id=event.actor_id,
            action=f"certificates.certificate.{event.action}",
            data={"comment": event.comment},
            at=event.at,
        )


def history_to_audit_log(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditEntry.objects.bulk_create(_result_lines(apps), batch_size=1000)
    AuditEntry.objects.bulk_create(_certificate_lines(apps), batch_size=1000)


def audit_log_to_history(apps, schema_editor):
    """Back to the two tables (their times set after the insert, as they are ``auto_now_add``)."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    ResultChange = apps.get_model("certificates", "ResultChange")
    CertificateEvent = apps.get_model("certificates", "CertificateEvent")
    results = AuditEntry.objects.filter(content_type=_content_type(apps, "result"), action__startswith="results.")
    changes = []
    for line in results.order_by("at", "id"):
        reason = line.data.get("reason") or ""
        if line.action == "results.result.imported" and not reason:
            reason = IMPORT_REASON
        elif line.action == "results.result.retake_created" and not reason:
            reason = RETAKE_REASON
        change = ResultChange(
            result_id=line.object_id,
            changed_by_id=line.actor_id,
            old_values=line.data.get("before") or {},
            new_values=line.data.get("after") or {},
            reason=reason,
        )
        changes.append((change, line.at))
    ResultChange.objects.bulk_create([c for c, _at in changes], batch_size=1000)
    for change, at in changes:
        change.changed_at = at
    ResultChange.objects.bulk_update([c for c, _at in changes], ["changed_at"], batch_size=1000)
    certificates = AuditEntry.objects.filter(
        content_type=_content_type(apps, "issuedcertificate"), action__startswith="certificates.certificate."
    )
    events = []
    for line in certificates.order_by("at", "id"):
        event = CertificateEvent(
            certificate_id=line.object_id,
            action=line.action.rsplit(".", 1)[1],
            actor_id=line.actor_id,
            comment=line.data.get("comment") or line.data.get("reason") or "",
        )
        events.append((event, line.at))
    CertificateEvent.objects.bulk_create([e for e, _at in events], batch_size=1000)
    for event, at in events:
        event.at = at
    CertificateEvent.objects.bulk_update([e for e, _at in events], ["at"], batch_size=1000)
    results.delete()
    certificates.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_verification_log"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_entry"),
    ]

    operations = [
        migrations.RunPython(history_to_audit_log, audit_log_to_history),
        migrations.DeleteModel(name="CertificateEvent"),
        migrations.DeleteModel(name="ResultChange"),
    ]

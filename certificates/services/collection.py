"""Writes of collection (证书签领) and of external skill certificates.

Who collected a certificate, and when: the person, or a class officer for the whole class. A 1+X
certificate's collection writes its audit line in the same transaction; an external certificate
(其他技能证书: registered by hand or imported, never issued here) has no history.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from core.audit import record, record_many
from students.models import Person, SchoolClass

from ..history import CERTIFICATE_COLLECTED
from ..models import ExternalCertificate, IssuedCertificate
from ..selectors.rosters import narrow
from .issuance import validate_assessment_period


def _check_collection(collected_by: str, collected_on: date) -> str:
    name = (collected_by or "").strip()
    if not name:
        raise ValidationError(_("请填写证书签领人。"))
    if len(name) > 50:
        raise ValidationError(_("证书签领人不能超过 50 个字。"))
    if collected_on > timezone.localdate():
        raise ValidationError(_("签领日期不能晚于今天。"))
    return name


def certificate_collect(
    *, certificate: IssuedCertificate, collected_by: str, collected_on: date, actor: User | None
) -> IssuedCertificate:
    """Record who collected a 1+X certificate (the person, or e.g. 学习委员 for the class)."""
    name = _check_collection(collected_by, collected_on)
    with transaction.atomic():
        # Locked: two people recording the same hand-over must not both write a line.
        certificate = IssuedCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != IssuedCertificate.Status.VALID:
            raise ValidationError(_("该证书已撤销或已被替换，不能签领。"))
        certificate.collected_by, certificate.collected_on = name, collected_on
        certificate.save(update_fields=["collected_by", "collected_on"])
        data = {"collected_by": name, "collected_on": collected_on.isoformat()}
        record(certificate, CERTIFICATE_COLLECTED, actor=actor, data=data)
    return certificate


def external_certificate_collect(
    *, certificate: ExternalCertificate, collected_by: str, collected_on: date
) -> ExternalCertificate:
    name = _check_collection(collected_by, collected_on)
    certificate.collected_by, certificate.collected_on = name, collected_on
    certificate.save(update_fields=["collected_by", "collected_on"])
    return certificate


def class_collect(
    *, school_class: SchoolClass, collected_by: str, collected_on: date, actor: User | None, what: str = ""
) -> int:
    """Record one signer for every certificate of the class not collected yet (``what`` as a roster
    names it: one certificate, or all of them). Returns how many were recorded."""
    name = _check_collection(collected_by, collected_on)
    with transaction.atomic():
        # Locked: the class's pending certificates are read and marked in one step.
        pending = (
            IssuedCertificate.objects.select_for_update().filter(
                person__school_class=school_class, status=IssuedCertificate.Status.VALID, collected_by=""
            ),
            ExternalCertificate.objects.select_for_update().filter(person__school_class=school_class, collected_by=""),
        )
        issued, external = narrow(pending, what=what)
        issued_ids = list(issued.values_list("pk", flat=True))
        external_ids = list(external.values_list("pk", flat=True))
        collected = IssuedCertificate.objects.filter(pk__in=issued_ids)
        collected.update(collected_by=name, collected_on=collected_on)
        ExternalCertificate.objects.filter(pk__in=external_ids).update(collected_by=name, collected_on=collected_on)
        data = {"collected_by": name, "collected_on": collected_on.isoformat(), "class_code": school_class.code}
        record_many([(c, data) for c in collected.select_related("certificate")], CERTIFICATE_COLLECTED, actor=actor)
    return len(issued_ids) + len(external_ids)


def external_certificate_create(
    *,
    school: School,
    person: Person,
    name: str,
    issuer: str,
    level: str = "",
    assessment_period: str = "",
    issued_on: date | None = None,
    number: str = "",
) -> ExternalCertificate:
    if person.school_id != school.pk:
        raise ValidationError(_("该学员不属于本校。"))
    if assessment_period:
        assessment_period = validate_assessment_period(assessment_period)
    certificate = ExternalCertificate(
        school=school,
        person=person,
        name=name.strip(),
        issuer=issuer.strip(),
        level=level.strip(),
        assessment_period=assessment_period,
        issued_on=issued_on,
        number=number.strip(),
    )
    certificate.full_clean()
    certificate.save()
    return certificate


def external_certificates_create(*, school_id: int, rows: list[dict]) -> int:
    """Bulk create from the import (rows already validated by the importer)."""
    created = ExternalCertificate.objects.bulk_create(
        [ExternalCertificate(school_id=school_id, **row) for row in rows], batch_size=1000
    )
    return len(created)

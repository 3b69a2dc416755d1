"""Writes after issue: revocation (撤销) and reissue (补证) of an issued certificate.

Both are the organisation's acts (the view checks the permission; the scoped manager only finds
the organisation's own certificates). Each locks the certificate row, changes its status and writes
its history (``CertificateEvent``) in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .issuance_services import number_taken, validate_number
from .models import CertificateEvent, IssuedCertificate

EVENT_REVOKED = "revoked"
EVENT_REPLACED = "replaced"
EVENT_REISSUED = "reissued"


def _locked(issued_id: int) -> IssuedCertificate:
    return IssuedCertificate.objects.select_for_update().get(pk=issued_id)


def certificate_revoke(*, issued: IssuedCertificate, actor: User | None, reason: str) -> IssuedCertificate:
    """Revoke a valid certificate; it then verifies as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤销原因。"))
    with transaction.atomic():
        # Lock the row: a revocation racing a reissue (or a second revocation) must see the status
        # the other one wrote, so a certificate is never both replaced and revoked, nor revoked twice.
        locked = _locked(issued.pk)
        if locked.status != IssuedCertificate.Status.VALID:
            raise ValidationError(
                _("只有有效的证书可以撤销（当前状态：%(status)s）。") % {"status": locked.get_status_display()}
            )
        locked.status = IssuedCertificate.Status.REVOKED
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_reason"])
        CertificateEvent.objects.create(certificate=locked, action=EVENT_REVOKED, actor=actor, comment=reason)
    return locked


def certificate_reissue(
    *, issued: IssuedCertificate, actor: User | None, number: str, issued_on: date, reason: str
) -> IssuedCertificate:
    """Reissue (补证) a valid certificate under a new number; the old one becomes replaced.

    The new certificate points to the old one (``replaces``); the public page says only that the old
    one was replaced, never the new number.
    """
    number = (number or "").strip()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写补证原因。"))
    if not number:
        raise ValidationError(_("请填写新证书编号。"))
    with transaction.atomic():
        # Lock the old row: two reissues at once would otherwise both see it valid and give the
        # person two new certificates (the one-valid-per-result constraint is the last line).
        old = _locked(issued.pk)
        if old.status != IssuedCertificate.Status.VALID:
            raise ValidationError(
                _("只有有效的证书可以补发（当前状态：%(status)s）。") % {"status": old.get_status_display()}
            )
        number = validate_number(number, certificate=old.certificate)
        if number_taken(certificate=old.certificate, numbers=[number]):
            raise ValidationError(_("证书编号 %(number)s 已被使用，请换一个编号。") % {"number": number})
        # The old one stops being valid first: one valid certificate per result (a DB constraint).
        old.status = IssuedCertificate.Status.REPLACED
        old.save(update_fields=["status"])
        try:
            with transaction.atomic():
                new = IssuedCertificate.objects.create(
                    certificate_id=old.certificate_id,
                    level=old.level,
                    number=number,
                    school_id=old.school_id,
                    person_id=old.person_id,
                    result_id=old.result_id,
                    assessment_period=old.assessment_period,
                    issued_on=issued_on,
                    replaces=old,
                    issued_by=actor,
                )
        except IntegrityError as exc:  # the same number taken by a concurrent issue
            raise ValidationError(_("证书编号 %(number)s 已被使用，请换一个编号。") % {"number": number}) from exc
        CertificateEvent.objects.create(
            certificate=old,
            action=EVENT_REPLACED,
            actor=actor,
            comment=_("已补发新证书。原因：%(reason)s") % {"reason": reason},
        )
        CertificateEvent.objects.create(
            certificate=new,
            action=EVENT_REISSUED,
            actor=actor,
            comment=_("补发，原证书编号 %(number)s。原因：%(reason)s") % {"number": old.number, "reason": reason},
        )
    return new

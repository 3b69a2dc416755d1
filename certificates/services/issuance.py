"""Writes of issued certificates (发证): numbers typed, generated or imported; revocation and reissue.

Who may issue: the reviewer of the organisation that owns the certificate, or the school admin of
the candidate's school where that organisation allows it (``Organisation.schools_may_issue``).
The views require ISSUE_CERTIFICATES; the scoped managers give each tenant only its own batches;
``check_may_issue`` adds the organisation's consent for schools. Revocation (撤销) and reissue
(补证) are the organisation's acts.

What may be issued: a certificate for a passed result (合格) of a result sheet that has ended
(已结束), one valid certificate per result, numbers unique per catalogue certificate. The sheet row
is locked while issuing (see ``_lock_sheets``) and the database enforces both rules
(``issued_one_valid_per_result``, ``issued_number_unique_per_certificate``). Every issue,
revocation and reissue writes its audit line in the same transaction. Collection is in
``collection.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import record, record_many
from core.scoping import ORGANISATION, PLATFORM, SCHOOL, TenantRef
from pilots.models import Certificate

from ..history import CERTIFICATE_ISSUED, CERTIFICATE_REISSUED, CERTIFICATE_REPLACED, CERTIFICATE_REVOKED
from ..models import IssuedCertificate, NumberSequence, Result, ResultSheet
from ..numbering import NUMBER_CHARS, looks_generated, normalise_number, number_format, number_is_valid

PERIOD = re.compile(r"\d{4}(\.\d{1,2})?(-(\d{4}\.)?\d{1,2})?")
VALID = IssuedCertificate.Status.VALID


# --- checks -------------------------------------------------------------------------------------


def validate_assessment_period(value: str) -> str:
    """鉴定时间 as the paper writes it: "2022.5-6", "2022.6", "2022.12-2023.1" or "2022"."""
    text = normalise_number(value).replace("—", "-").replace("～", "-").replace("~", "-")
    if not PERIOD.fullmatch(text):
        raise ValidationError(_("鉴定时间的格式应如 2022.5-6 或 2022.6。"), code="period")
    return text


def validate_number(value: str, *, certificate: Certificate) -> str:
    """A typed or imported number: plain characters, and a right check character where it has the
    shape of a generated one (a mistyped generated number is caught)."""
    number = normalise_number(value)
    if not NUMBER_CHARS.fullmatch(number):
        raise ValidationError(_("证书编号只能含字母、数字和连字符，长度 4 到 40 位。"), code="number_chars")
    if looks_generated(number, code=certificate.code) and not number_is_valid(number, code=certificate.code):
        raise ValidationError(_("证书编号 %(number)s 的校验位不正确，请核对是否输错。") % {"number": number})
    return number


def number_taken(*, certificate: Certificate, numbers: Iterable[str]) -> set[str]:
    """Which of these numbers the certificate already carries, in any school.

    Read through the base manager on purpose: numbers are unique per catalogue certificate across
    schools, and a school may not see another school's rows; only the bare numbers are read.
    """
    return set(
        IssuedCertificate._base_manager.filter(certificate=certificate, number__in=list(numbers)).values_list(
            "number", flat=True
        )
    )


def check_may_issue(*, tenant: TenantRef, certificate: Certificate) -> None:
    """Refuse a tenant that may not issue ``certificate`` (see the module doc)."""
    if tenant.kind == ORGANISATION and certificate.organisation_id == tenant.pk:
        return
    if tenant.kind == SCHOOL and certificate.organisation.schools_may_issue:
        return
    if tenant.kind == PLATFORM:
        return
    if tenant.kind == SCHOOL:
        raise ValidationError(
            _("%(org)s 未允许学校登记证书，请由培训评价组织发证。") % {"org": certificate.organisation}
        )
    raise ValidationError(_("只有证书所属的培训评价组织可以发证。"))


def _check_result(result: Result, sheet: ResultSheet) -> None:
    if sheet.status != ResultSheet.Status.FINAL:
        raise ValidationError(_("该批次成绩尚未结束（已结束后才能发证）。"), code="not_final")
    if result.outcome != Result.Outcome.PASS:
        raise ValidationError(
            _("%(name)s 未通过考核，不能发证。") % {"name": result.enrolment.person.name}, code="not_passed"
        )


def _lock_sheets(sheet_ids: Iterable[int]) -> dict[int, ResultSheet]:
    """Lock the result sheets being issued from, in primary-key order (no deadlock between two
    imports). It stops two issuing runs for the same batch (two clicks, two reviewers, a school
    admin and a reviewer) from both seeing a result as "not issued yet" and issuing it twice, and a
    sheet from being reopened while certificates are written from it."""
    sheets = ResultSheet.objects.select_for_update().filter(pk__in=set(sheet_ids)).order_by("pk")
    return {sheet.pk: sheet for sheet in sheets}


def _results(result_ids: Iterable[int]) -> list[Result]:
    return list(
        Result.objects.filter(pk__in=set(result_ids)).select_related(
            "enrolment__person", "sheet__batch__pilot__certificate__organisation"
        )
    )


def _already_issued(result_ids: Iterable[int]) -> set[int]:
    return set(
        IssuedCertificate.objects.filter(result_id__in=set(result_ids), status=VALID).values_list(
            "result_id", flat=True
        )
    )


# --- issuing ------------------------------------------------------------------------------------


def _new_certificate(
    *, result: Result, number: str, issued_on: date, assessment_period: str, actor: User | None
) -> IssuedCertificate:
    batch = result.sheet.batch
    return IssuedCertificate(
        certificate=batch.pilot.certificate,
        level=batch.pilot.level,
        number=number,
        school_id=batch.school_id,
        person_id=result.enrolment.person_id,
        result=result,
        assessment_period=assessment_period,
        issued_on=issued_on,
        issued_by=actor,
    )


def _save_all(certificates: list[IssuedCertificate], *, actor: User | None, source: str) -> list[IssuedCertificate]:
    """Write new certificates and their lines; ``source`` says how the numbers came (typed,
    generated, imported)."""
    try:
        with transaction.atomic():
            created = IssuedCertificate.objects.bulk_create(certificates)
    except IntegrityError as exc:
        # The constraints have the last word when a race got past the checks above.
        raise ValidationError(_("证书编号已被使用，或该成绩已发证。请刷新后重试。")) from exc
    record_many([(c, {"source": source}) for c in created], CERTIFICATE_ISSUED, actor=actor)
    return created


def certificate_record(
    *,
    result_id: int,
    tenant: TenantRef,
    actor: User | None,
    number: str,
    issued_on: date,
    assessment_period: str,
) -> IssuedCertificate:
    """Record one certificate with a typed-in number."""
    period = validate_assessment_period(assessment_period)
    with transaction.atomic():
        results = _results([result_id])
        if not results:
            raise ValidationError(_("找不到该成绩。"))
        result = results[0]
        sheet = _lock_sheets([result.sheet_id])[result.sheet_id]
        certificate = result.sheet.batch.pilot.certificate
        check_may_issue(tenant=tenant, certificate=certificate)
        _check_result(result, sheet)
        number = validate_number(number, certificate=certificate)
        if _already_issued([result.pk]):
            raise ValidationError(_("%(name)s 已有有效证书。") % {"name": result.enrolment.person.name})
        if number_taken(certificate=certificate, numbers=[number]):
            raise ValidationError(_("证书编号 %(number)s 已被使用。") % {"number": number})
        new = _new_certificate(result=result, number=number, issued_on=issued_on, assessment_period=period, actor=actor)
        return _save_all([new], actor=actor, source="typed")[0]


def _next_numbers(*, certificate: Certificate, year: int, count: int) -> list[str]:
    """``count`` generated numbers of the certificate and year, skipping numbers typed in earlier.

    The sequence belongs to the organisation (its manager shows it to organisations only), and a
    school the organisation allows to issue draws from it too: by its natural key, which the caller
    has tied to a certificate this tenant may issue. Locked: two runs for the same certificate and
    year must not hand out the same values.
    """
    sequence, _created = NumberSequence._base_manager.select_for_update().get_or_create(
        organisation_id=certificate.organisation_id, certificate=certificate, year=year
    )
    prefix = f"{normalise_number(certificate.code)}{year:04d}"
    used = set(
        IssuedCertificate._base_manager.filter(certificate=certificate, number__startswith=prefix).values_list(
            "number", flat=True
        )
    )
    value, numbers = sequence.last_value, []
    for _index in range(count):
        value += 1
        number = number_format(code=certificate.code, year=year, seq=value)
        while number in used:  # a typed-in number took this value: skip it
            value += 1
            number = number_format(code=certificate.code, year=year, seq=value)
        numbers.append(number)
    sequence.last_value = value
    sequence.save(update_fields=["last_value"])
    return numbers


def certificates_generate(
    *, batch_id: int, tenant: TenantRef, actor: User | None, issued_on: date, assessment_period: str
) -> list[IssuedCertificate]:
    """Give every passed candidate of an ended batch who has no certificate yet a generated number.

    Running it twice, even at the same moment, never gives a person two numbers nor a number to two
    people: the sheet lock serialises the runs for a batch, the sequence lock those for a
    certificate and year, and the second run finds nobody left to issue.
    """
    period = validate_assessment_period(assessment_period)
    with transaction.atomic():
        sheet = (
            ResultSheet.objects.select_related("batch__pilot__certificate__organisation")
            .filter(batch_id=batch_id)
            .first()
        )
        if sheet is None:
            raise ValidationError(_("该批次还没有成绩单。"), code="no_sheet")
        certificate = sheet.batch.pilot.certificate
        check_may_issue(tenant=tenant, certificate=certificate)
        sheet = _lock_sheets([sheet.pk])[sheet.pk]
        if sheet.status != ResultSheet.Status.FINAL:
            raise ValidationError(_("该批次成绩尚未结束（已结束后才能发证）。"), code="not_final")
        # Read after the lock: a run that finished meanwhile has issued these already.
        pending = list(
            Result.objects.filter(sheet=sheet, outcome=Result.Outcome.PASS)
            .exclude(certificates__status=VALID)
            .select_related("enrolment__person", "sheet__batch__pilot")
            .order_by("enrolment__person__name", "id")
        )
        if not pending:
            return []
        numbers = _next_numbers(certificate=certificate, year=issued_on.year, count=len(pending))
        new = [
            _new_certificate(result=result, number=number, issued_on=issued_on, assessment_period=period, actor=actor)
            for result, number in zip(pending, numbers, strict=True)
        ]
        return _save_all(new, actor=actor, source="generated")


@dataclass(frozen=True)
class ImportedNumber:
    result_id: int
    number: str
    issued_on: date
    assessment_period: str


def certificates_import(*, items: list[ImportedNumber], tenant: TenantRef, actor: User | None) -> int:
    """Record certificates whose numbers come from the organisation's spreadsheet (already checked
    by the importer; checked again here under the lock)."""
    if not items:
        return 0
    with transaction.atomic():
        results = {r.pk: r for r in _results(i.result_id for i in items)}
        sheets = _lock_sheets(r.sheet_id for r in results.values())
        if _already_issued(results):
            raise ValidationError(_("文件中有考生已有有效证书。请刷新后重试。"))
        new = []
        numbers: dict[int, set[str]] = {}
        for item in items:
            result = results.get(item.result_id)
            if result is None:
                raise ValidationError(_("找不到该成绩。"))
            certificate = result.sheet.batch.pilot.certificate
            check_may_issue(tenant=tenant, certificate=certificate)
            _check_result(result, sheets[result.sheet_id])
            number = validate_number(item.number, certificate=certificate)
            numbers.setdefault(certificate.pk, set()).add(number)
            period = validate_assessment_period(item.assessment_period)
            new.append(
                _new_certificate(
                    result=result, number=number, issued_on=item.issued_on, assessment_period=period, actor=actor
                )
            )
        for certificate_id, wanted in numbers.items():
            if number_taken(certificate=Certificate(pk=certificate_id), numbers=wanted):
                raise ValidationError(_("文件中有证书编号已被使用。请刷新后重试。"))
        return len(_save_all(new, actor=actor, source="imported"))


# --- after issue: revocation and reissue ----------------------------------------------------------


def _locked_valid(issued_id: int, refusal: str) -> IssuedCertificate:
    """The certificate, row-locked, refused unless it is valid (``refusal`` names the act).

    The lock makes a revocation racing a reissue (or a second revocation) see the status the other
    one wrote, so a certificate is never both replaced and revoked, nor revoked or reissued twice.
    """
    locked = IssuedCertificate.objects.select_for_update(of=("self",)).select_related("certificate").get(pk=issued_id)
    if locked.status != VALID:
        raise ValidationError(refusal % {"status": locked.get_status_display()})
    return locked


def certificate_revoke(*, issued: IssuedCertificate, actor: User | None, reason: str) -> IssuedCertificate:
    """Revoke a valid certificate; it then verifies as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤销原因。"))
    with transaction.atomic():
        locked = _locked_valid(issued.pk, _("只有有效的证书可以撤销（当前状态：%(status)s）。"))
        locked.status = IssuedCertificate.Status.REVOKED
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_reason"])
        record(locked, CERTIFICATE_REVOKED, actor=actor, data={"reason": reason})
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
    taken = _("证书编号 %(number)s 已被使用，请换一个编号。")
    with transaction.atomic():
        # Two reissues at once would otherwise both see it valid and give the person two new
        # certificates (the one-valid-per-result constraint is the last line).
        old = _locked_valid(issued.pk, _("只有有效的证书可以补发（当前状态：%(status)s）。"))
        number = validate_number(number, certificate=old.certificate)
        if number_taken(certificate=old.certificate, numbers=[number]):
            raise ValidationError(taken % {"number": number})
        # The old one stops being valid first: one valid certificate per result (a DB constraint).
        old.status = IssuedCertificate.Status.REPLACED
        old.save(update_fields=["status"])
        try:
            with transaction.atomic():
                new = IssuedCertificate.objects.create(
                    certificate=old.certificate,
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
            raise ValidationError(taken % {"number": number}) from exc
        record(old, CERTIFICATE_REPLACED, actor=actor, data={"reason": reason, "number": new.number})
        record(new, CERTIFICATE_REISSUED, actor=actor, data={"reason": reason, "replaces_number": old.number})
    return new

"""Writes of issued and external certificates: issuing (typed, generated, imported), collection,
external certificates, and the roster PDF.

Who may issue: the reviewer of the organisation that owns the certificate, or the school admin of
the candidate's school where that organisation allows it (``Organisation.schools_may_issue``).
The views require ISSUE_CERTIFICATES; the scoped managers give each tenant only its own batches;
``_check_may_issue`` adds the organisation's consent for schools.

What may be issued: a certificate for a passed result (合格) of a result sheet that has ended
(已结束), one valid certificate per result, numbers unique per catalogue certificate. The sheet row
is locked while issuing (see ``_lock_sheets``) and the database enforces both rules
(``issued_one_valid_per_result``, ``issued_number_unique_per_certificate``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from core.models import StoredFile
from core.pdf import render_pdf
from core.scoping import ORGANISATION, PLATFORM, SCHOOL, TenantRef
from pilots.models import Certificate
from students.models import Person, SchoolClass

from .issuance_selectors import CERT_PREFIX, EXT_PREFIX, roster_choices, roster_rows, roster_title
from .models import CertificateEvent, ExternalCertificate, IssuedCertificate, NumberSequence, Result, ResultSheet
from .numbering import NUMBER_CHARS, looks_generated, normalise_number, number_format, number_is_valid

PERIOD = re.compile(r"\d{4}(\.\d{1,2})?(-(\d{4}\.)?\d{1,2})?")


class Action:
    ISSUED = "issued"
    COLLECTED = "collected"


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


def _check_may_issue(*, tenant: TenantRef, certificate: Certificate) -> None:
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


def _save_all(certificates: list[IssuedCertificate], *, actor: User | None, comment: str) -> list[IssuedCertificate]:
    try:
        with transaction.atomic():
            created = IssuedCertificate.objects.bulk_create(certificates)
    except IntegrityError as exc:
        # The constraints have the last word when a race got past the checks above.
        raise ValidationError(_("证书编号已被使用，或该成绩已发证。请刷新后重试。")) from exc
    CertificateEvent.objects.bulk_create(
        [CertificateEvent(certificate=c, action=Action.ISSUED, actor=actor, comment=comment) for c in created]
    )
    return created


def _results(result_ids: Iterable[int]) -> list[Result]:
    return list(
        Result.objects.filter(pk__in=set(result_ids)).select_related(
            "enrolment__person", "sheet__batch__pilot__certificate__organisation"
        )
    )


def _already_issued(result_ids: Iterable[int]) -> set[int]:
    return set(
        IssuedCertificate.objects.filter(
            result_id__in=set(result_ids), status=IssuedCertificate.Status.VALID
        ).values_list("result_id", flat=True)
    )


# --- issuing ------------------------------------------------------------------------------------


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
        _check_may_issue(tenant=tenant, certificate=certificate)
        _check_result(result, sheet)
        number = validate_number(number, certificate=certificate)
        if _already_issued([result.pk]):
            raise ValidationError(_("%(name)s 已有有效证书。") % {"name": result.enrolment.person.name})
        if number_taken(certificate=certificate, numbers=[number]):
            raise ValidationError(_("证书编号 %(number)s 已被使用。") % {"number": number})
        new = _new_certificate(result=result, number=number, issued_on=issued_on, assessment_period=period, actor=actor)
        return _save_all([new], actor=actor, comment=_("录入证书编号"))[0]


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
        _check_may_issue(tenant=tenant, certificate=certificate)
        sheet = _lock_sheets([sheet.pk])[sheet.pk]
        if sheet.status != ResultSheet.Status.FINAL:
            raise ValidationError(_("该批次成绩尚未结束（已结束后才能发证）。"), code="not_final")
        # Read after the lock: a run that finished meanwhile has issued these already.
        pending = list(
            Result.objects.filter(sheet=sheet, outcome=Result.Outcome.PASS)
            .exclude(certificates__status=IssuedCertificate.Status.VALID)
            .select_related("enrolment__person", "sheet__batch__pilot")
            .order_by("enrolment__person__name", "id")
        )
        if not pending:
            return []
        year = issued_on.year
        # The sequence belongs to the organisation (its manager shows it to organisations only), and
        # a school the organisation allows to issue draws from it too: by its natural key, which the
        # checks above have tied to a certificate this tenant may issue. Locked: two runs for the same
        # certificate and year must not hand out the same values.
        sequence, _created = NumberSequence._base_manager.select_for_update().get_or_create(
            organisation_id=certificate.organisation_id, certificate=certificate, year=year
        )
        prefix = f"{normalise_number(certificate.code)}{year:04d}"
        used = set(
            IssuedCertificate._base_manager.filter(certificate=certificate, number__startswith=prefix).values_list(
                "number", flat=True
            )
        )
        value = sequence.last_value
        new = []
        for result in pending:
            value += 1
            number = number_format(code=certificate.code, year=year, seq=value)
            while number in used:  # a typed-in number took this value: skip it
                value += 1
                number = number_format(code=certificate.code, year=year, seq=value)
            new.append(
                _new_certificate(
                    result=result, number=number, issued_on=issued_on, assessment_period=period, actor=actor
                )
            )
        sequence.last_value = value
        sequence.save(update_fields=["last_value"])
        return _save_all(new, actor=actor, comment=_("系统生成证书编号"))


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
            _check_may_issue(tenant=tenant, certificate=certificate)
            _check_result(result, sheets[result.sheet_id])
            number = validate_number(item.number, certificate=certificate)
            numbers.setdefault(certificate.pk, set()).add(number)
            new.append(
                _new_certificate(
                    result=result,
                    number=number,
                    issued_on=item.issued_on,
                    assessment_period=validate_assessment_period(item.assessment_period),
                    actor=actor,
                )
            )
        for certificate_id, wanted in numbers.items():
            if number_taken(certificate=Certificate(pk=certificate_id), numbers=wanted):
                raise ValidationError(_("文件中有证书编号已被使用。请刷新后重试。"))
        return len(_save_all(new, actor=actor, comment=_("导入证书编号")))


# --- collection ---------------------------------------------------------------------------------


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
        # Locked: two people recording the same hand-over must not both write an event.
        certificate = IssuedCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != IssuedCertificate.Status.VALID:
            raise ValidationError(_("该证书已撤销或已被替换，不能签领。"))
        certificate.collected_by, certificate.collected_on = name, collected_on
        certificate.save(update_fields=["collected_by", "collected_on"])
        CertificateEvent.objects.create(
            certificate=certificate,
            action=Action.COLLECTED,
            actor=actor,
            comment=_("%(name)s 于 %(date)s 签领") % {"name": name, "date": collected_on.isoformat()},
        )
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
    """Record one signer for every certificate of the class not collected yet (``what`` as in
    ``roster_rows``: one certificate, or all of them). Returns how many were recorded."""
    name = _check_collection(collected_by, collected_on)
    with transaction.atomic():
        # Locked: the class's pending certificates are read and marked in one step.
        issued = IssuedCertificate.objects.select_for_update().filter(
            person__school_class=school_class, status=IssuedCertificate.Status.VALID, collected_by=""
        )
        external = ExternalCertificate.objects.select_for_update().filter(
            person__school_class=school_class, collected_by=""
        )
        if what.startswith(CERT_PREFIX):
            issued, external = issued.filter(certificate_id=int(what[len(CERT_PREFIX) :])), external.none()
        elif what.startswith(EXT_PREFIX):
            issued, external = issued.none(), external.filter(name=what[len(EXT_PREFIX) :])
        issued_ids = list(issued.values_list("pk", flat=True))
        external_ids = list(external.values_list("pk", flat=True))
        IssuedCertificate.objects.filter(pk__in=issued_ids).update(collected_by=name, collected_on=collected_on)
        ExternalCertificate.objects.filter(pk__in=external_ids).update(collected_by=name, collected_on=collected_on)
        comment = _("%(name)s 于 %(date)s 代班级 %(code)s 签领") % {
            "name": name,
            "date": collected_on.isoformat(),
            "code": school_class.code,
        }
        CertificateEvent.objects.bulk_create(
            [
                CertificateEvent(certificate_id=pk, action=Action.COLLECTED, actor=actor, comment=comment)
                for pk in issued_ids
            ]
        )
    return len(issued_ids) + len(external_ids)


# --- external certificates ----------------------------------------------------------------------


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


# --- the roster ---------------------------------------------------------------------------------


def roster_document(*, class_id: int, what: str = "", period: str = "") -> dict:
    """The roster's context (shared by the PDF and the .xlsx)."""
    school_class = SchoolClass.objects.select_related("major").get(pk=class_id)
    rows = roster_rows(school_class=school_class, what=what, period=period)
    choices = roster_choices(school_class=school_class)
    return {
        "school_class": school_class,
        "title": roster_title(school_class=school_class, rows=rows, period=period),
        "subject": dict(choices["certificates"]).get(what, "") if what else "",
        "period": period,
        "rows": rows,
    }


def roster_pdf(*, class_id: int, what: str, period: str, owner_id: int | None) -> StoredFile:
    """The A4 collection roster (runs in the worker, in the requester's scope).

    The HTML depends only on the stored rows (no "printed now"), so the same roster renders to the
    same digest and core.pdf returns the file already made; a recorded collection changes it.
    """
    context = roster_document(class_id=class_id, what=what, period=period)
    return render_pdf(
        template_name="certificates/pdf/roster.html",
        context=context,
        filename=f"roster-{context['school_class'].code}.pdf",
        owner_id=owner_id,
    )

"""Issuing certificates: who, for whom, and numbers typed, generated and imported."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import Workbook

from accounts.models import Organisation
from accounts.roles import Role
from certificates.history import CERTIFICATE_ISSUED
from certificates.models import IssuedCertificate, NumberSequence, Result, ResultSheet
from certificates.numbering import number_format, number_is_valid
from certificates.services.issuance import certificate_record, certificates_generate
from certificates.spreadsheets.issuance import CertificateNumberImporter
from core.audit import describe
from tests.certificates.issuance_helpers import (
    as_org,
    as_school,
    class_batch,
    generate_numbers,
    make_batch,
    make_class,
    new_certificate,
    org_ref,
    school_ref,
)
from tests.certificates.results_helpers import audit_lines

pytestmark = pytest.mark.django_db

ISSUED_ON = date(2024, 7, 1)


def generate(side, setup, *, tenant=None, issued_on=ISSUED_ON):
    return generate_numbers(
        side.organisation, setup.batch, actor=side.user(Role.REVIEWER), tenant=tenant, issued_on=issued_on
    )


def issued_of(setup) -> list[IssuedCertificate]:
    with scopes_disabled():
        return list(IssuedCertificate.objects.filter(result__sheet=setup.sheet).order_by("number"))


def test_the_reviewer_generates_sequential_checked_numbers_for_the_passed_candidates_only(world):
    outcomes = [Result.Outcome.PASS, Result.Outcome.FAIL, Result.Outcome.PASS, Result.Outcome.ABSENT]
    certificate, people, setup = class_batch(world.a, "22发证1", 4, outcomes=outcomes)
    created = generate(world.a, setup)
    assert len(created) == 2
    issued = issued_of(setup)
    assert {c.person_id for c in issued} == {people[0].pk, people[2].pk}
    assert [c.number for c in issued] == [number_format(code=certificate.code, year=2024, seq=s) for s in (1, 2)]
    assert all(number_is_valid(c.number, code=certificate.code) for c in issued)
    assert all(c.level == "elementary" and c.school_id == world.a.school.pk for c in issued)
    with scopes_disabled():
        assert NumberSequence.objects.get(certificate=certificate, year=2024).last_value == 2
    lines = [line for c in issued for line in audit_lines(c)]
    assert [line.action for line in lines] == [CERTIFICATE_ISSUED] * 2
    assert {describe(line).detail for line in lines} == {"系统生成证书编号"}
    assert {(line.school_id, line.organisation_id) for line in lines} == {(world.a.school.pk, world.a.organisation.pk)}


def test_generating_twice_gives_nobody_a_second_number(world):
    _certificate, _people, setup = class_batch(world.a, "22发证2", 3)
    first = generate(world.a, setup)
    assert generate(world.a, setup) == []
    assert [c.pk for c in issued_of(setup)] == sorted(c.pk for c in first)


def test_numbers_continue_across_batches_of_the_same_certificate_and_year(world):
    certificate = new_certificate(world.a.organisation)
    _class, people = make_class(world.a.school, "22发证3", 4)
    one = make_batch(school=world.a.school, certificate=certificate, people=people[:2])
    two = make_batch(school=world.a.school, certificate=certificate, people=people[2:])
    generate(world.a, one)
    generate(world.a, two)
    numbers = sorted(c.number for c in issued_of(one) + issued_of(two))
    assert numbers == [number_format(code=certificate.code, year=2024, seq=s) for s in (1, 2, 3, 4)]
    # a new year starts again at 1
    _class, more = make_class(world.a.school, "22发证3b", 1)
    three = make_batch(school=world.a.school, certificate=certificate, people=more)
    generate(world.a, three, issued_on=date(2025, 1, 10))
    assert issued_of(three)[0].number == number_format(code=certificate.code, year=2025, seq=1)


def test_nobody_whose_batch_has_not_ended_receives_a_certificate(world):
    certificate = new_certificate(world.a.organisation)
    _class, people = make_class(world.a.school, "22发证4", 2)
    for status in (ResultSheet.Status.ENTERING, ResultSheet.Status.NOTICE):
        setup = make_batch(school=world.a.school, certificate=certificate, people=people, status=status)
        with pytest.raises(ValidationError, match="尚未结束"):
            generate(world.a, setup)
        with as_org(world.a.organisation), pytest.raises(ValidationError, match="尚未结束"):
            certificate_record(
                result_id=setup.results[0].pk,
                tenant=org_ref(world.a.organisation),
                actor=None,
                number="ORG-0001",
                issued_on=ISSUED_ON,
                assessment_period="2024.6",
            )
        assert issued_of(setup) == []


def test_nobody_who_did_not_pass_receives_a_certificate(world):
    _certificate, _people, setup = class_batch(
        world.a, "22发证5", 2, outcomes=[Result.Outcome.FAIL, Result.Outcome.ABSENT]
    )
    for result in setup.results:
        with as_org(world.a.organisation), pytest.raises(ValidationError, match="未通过"):
            certificate_record(
                result_id=result.pk,
                tenant=org_ref(world.a.organisation),
                actor=None,
                number="ORG-0001",
                issued_on=ISSUED_ON,
                assessment_period="2024.6",
            )
    assert generate(world.a, setup) == []


def record(side, result, number, *, tenant=None):
    scope = as_school(side.school) if tenant and tenant.kind == "school" else as_org(side.organisation)
    with scope:
        return certificate_record(
            result_id=result.pk,
            tenant=tenant or org_ref(side.organisation),
            actor=None,
            number=number,
            issued_on=ISSUED_ON,
            assessment_period="2024.5-6",
        )


def test_a_typed_number_is_unique_per_certificate_and_its_check_character_is_verified(world):
    certificate, people, setup = class_batch(world.a, "22发证6", 3)
    first = record(world.a, setup.results[0], "org-2024-0001")
    assert first.number == "ORG-2024-0001" and first.assessment_period == "2024.5-6"
    with pytest.raises(ValidationError, match="已被使用"):
        record(world.a, setup.results[1], "ORG-2024-0001")
    with pytest.raises(ValidationError, match="已有有效证书"):
        record(world.a, setup.results[0], "ORG-2024-0002")
    good = number_format(code=certificate.code, year=2024, seq=40)
    typo = good[:-3] + str((int(good[-3]) + 1) % 10) + good[-2:]
    with pytest.raises(ValidationError, match="校验位"):
        record(world.a, setup.results[1], typo)
    with pytest.raises(ValidationError, match="只能含"):
        record(world.a, setup.results[1], "编号 1")
    record(world.a, setup.results[1], good)
    # generation skips the value a typed-in number already took
    _class, more = make_class(world.a.school, "22发证6b", 40)
    later = make_batch(school=world.a.school, certificate=certificate, people=more)
    generate(world.a, later)
    numbers = {c.number for c in issued_of(later)}
    assert len(numbers) == 40 and good not in numbers
    assert number_format(code=certificate.code, year=2024, seq=41) in numbers


def test_a_school_admin_issues_only_where_the_organisation_allows_it(world):
    certificate, _people, setup = class_batch(world.a, "22发证7", 2)
    tenant = school_ref(world.a.school)
    with pytest.raises(ValidationError, match="未允许学校登记证书"):
        record(world.a, setup.results[0], "ORG-7-0001", tenant=tenant)
    with scopes_disabled():
        Organisation.objects.filter(pk=world.a.organisation.pk).update(schools_may_issue=True)
    record(world.a, setup.results[0], "ORG-7-0001", tenant=tenant)
    with as_school(world.a.school):
        created = certificates_generate(
            batch_id=setup.batch.pk, tenant=tenant, actor=None, issued_on=ISSUED_ON, assessment_period="2024.6"
        )
    assert len(created) == 1 and number_is_valid(created[0].number, code=certificate.code)


def test_an_organisation_cannot_issue_another_organisations_certificate(world):
    _certificate, _people, setup = class_batch(world.b, "22发证8", 1)
    with pytest.raises(Exception):  # noqa: B017 - not even found
        generate_numbers(world.a.organisation, setup.batch, issued_on=ISSUED_ON)
    assert issued_of(setup) == []


def test_the_reviewer_generates_through_the_batch_page(client, world):
    certificate, _people, setup = class_batch(world.a, "22发证9", 3)
    client.force_login(world.a.user(Role.REVIEWER))
    page = client.get(reverse("certificates:issuance_batch", args=[setup.batch.pk]))
    assert page.status_code == 200 and "生成编号" in page.content.decode()
    assert 'value="2024.6"' in page.content.decode()  # the period comes from the sessions
    url = reverse("certificates:issuance_generate", args=[setup.batch.pk])
    response = client.post(url, {"issued_on": "2024-07-01", "assessment_period": "2024.6"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "已为 3 名考生生成证书编号" in page
    assert number_format(code=certificate.code, year=2024, seq=3) in page
    assert client.post(url, {"issued_on": "2024-07-01", "assessment_period": "六月"}).status_code == 400
    # the school admin sees the page but no form, and is refused
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    page = client.get(reverse("certificates:issuance_batch", args=[setup.batch.pk])).content.decode()
    assert "未允许学校登记证书" in page and "生成编号" not in page
    response = client.post(url, {"issued_on": "2024-07-01", "assessment_period": "2024.6"})
    assert response.status_code == 400 and "未允许学校登记证书" in response.content.decode()


def _workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["身份证号", "姓名", "批次", "证书编号", "发证日期", "鉴定时间"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_numbers_are_imported_from_the_organisations_spreadsheet(world):
    certificate, people, setup = class_batch(
        world.a,
        "22发证10",
        4,
        outcomes=[Result.Outcome.PASS, Result.Outcome.PASS, Result.Outcome.PASS, Result.Outcome.FAIL],
        name="2024年导入批次",
    )
    good = number_format(code=certificate.code, year=2024, seq=900)
    bad = [
        [people[0].id_number, "", "", "ORG-10-1", "2024-07-01", "2024.6"],
        [people[3].id_number, "", "", "ORG-10-2", "2024-07-01", "2024.6"],  # failed
        ["", people[1].name, "没有这个批次", "ORG-10-3", "2024-07-01", "2024.6"],
        ["", people[2].name, "", "ORG-10-1", "2024-07-01", "2024.6"],  # neither ID nor batch; duplicate
        ["", people[2].name, "2024年导入批次", good[:-1] + ("0" if good[-1] != "0" else "1"), "2024-07-01", "2024.6"],
    ]
    importer = CertificateNumberImporter(owner_id=world.a.user(Role.REVIEWER).pk)
    with as_org(world.a.organisation):
        report = importer.run(_workbook(bad))
    assert not report.ok
    messages = " ".join(e.message for e in report.errors)
    assert "没有找到该考生" in messages and "请填写身份证号" in messages and "校验位" in messages
    assert issued_of(setup) == []
    rows = [
        [people[0].id_number, "", "", "ORG-10-1", "2024-07-01", "2024.6"],
        ["", people[1].name, "2024年导入批次", "ORG-10-2", "2024/07/02", "2024.6"],
        ["", people[2].name, "2024年导入批次", good, "2024-07-03", "2024.5-6"],
    ]
    with as_org(world.a.organisation):
        report = importer.run(_workbook(rows))
    assert report.ok, report.errors
    issued = {c.person_id: c for c in issued_of(setup)}
    assert issued[people[0].pk].number == "ORG-10-1"
    assert issued[people[1].pk].issued_on == date(2024, 7, 2)
    assert issued[people[2].pk].number == good and issued[people[2].pk].assessment_period == "2024.5-6"
    with as_org(world.a.organisation):
        again = importer.run(_workbook(rows[:1]))
    assert not again.ok  # already issued: no longer a candidate

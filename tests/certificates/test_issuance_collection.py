"""Collection (证书签领), external certificates, and the person and class pages."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import Workbook

from accounts.roles import Role
from certificates.history import CERTIFICATE_COLLECTED
from certificates.models import ExternalCertificate, IssuedCertificate, Result
from certificates.services.collection import certificate_collect, class_collect, external_certificate_create
from certificates.spreadsheets.collection import ExternalCertificateImporter
from core.audit import describe
from tests.certificates.issuance_helpers import (
    as_school,
    issued_class,
    make_batch,
    make_class,
    new_certificate,
)
from tests.certificates.results_helpers import audit_lines

pytestmark = pytest.mark.django_db


def test_collection_is_recorded_per_certificate_with_its_history(world):
    _certificate, _class, people, _setup = issued_class(world.a, "23签领1", 1)
    with as_school(world.a.school):
        issued = IssuedCertificate.objects.get(person=people[0])
        certificate_collect(certificate=issued, collected_by=people[0].name, collected_on=date(2024, 9, 1), actor=None)
        issued.refresh_from_db()
        assert (issued.collected_by, issued.collected_on) == (people[0].name, date(2024, 9, 1))
        collected = [line for line in audit_lines(issued) if line.action == CERTIFICATE_COLLECTED]
        assert len(collected) == 1 and describe(collected[0]).detail == f"{people[0].name} 于 2024-09-01 签领"
        with pytest.raises(ValidationError, match="签领人"):
            certificate_collect(certificate=issued, collected_by=" ", collected_on=date(2024, 9, 1), actor=None)
        with pytest.raises(ValidationError, match="晚于今天"):
            certificate_collect(
                certificate=issued,
                collected_by="本人",
                collected_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
                actor=None,
            )


def test_a_class_officer_signs_for_the_whole_class(world):
    _certificate, school_class, people, _setup = issued_class(
        world.a, "23签领2", 4, outcomes=[Result.Outcome.PASS, Result.Outcome.PASS, Result.Outcome.PASS, "fail"]
    )
    with as_school(world.a.school):
        external = external_certificate_create(
            school=world.a.school,
            person=people[3],
            name="数控技术工程师",
            issuer="示例行业协会",
            assessment_period="2024.6",
            issued_on=date(2024, 7, 5),
        )
        first = IssuedCertificate.objects.get(person=people[0])
        certificate_collect(certificate=first, collected_by=people[0].name, collected_on=date(2024, 9, 1), actor=None)
        count = class_collect(
            school_class=school_class, collected_by="学习委员 王五", collected_on=date(2024, 9, 2), actor=None
        )
        assert count == 3  # two 1+X certificates and the external one; the collected one stays
        first.refresh_from_db()
        assert first.collected_by == people[0].name
        assert set(
            IssuedCertificate.objects.filter(person__school_class=school_class).values_list("collected_by", flat=True)
        ) == {people[0].name, "学习委员 王五"}
        external.refresh_from_db()
        assert external.collected_by == "学习委员 王五"
        second = IssuedCertificate.objects.get(person=people[1])
        (line,) = [line for line in audit_lines(second) if line.action == CERTIFICATE_COLLECTED]
        assert describe(line).detail == "学习委员 王五 于 2024-09-02 代班级 23签领2 签领"
        assert (
            class_collect(school_class=school_class, collected_by="学习委员", collected_on=date(2024, 9, 2), actor=None)
            == 0
        )


def test_the_class_page_shows_issued_collected_and_due(client, world):
    certificate, school_class, people, setup = issued_class(world.a, "23签领3", 3)
    # one more passed candidate of an ended batch, without a certificate yet
    with scopes_disabled():
        extra = people[0].__class__.objects.create(
            school=world.a.school, name="待发证同学", id_number="110105200601010051", school_class=school_class
        )
    make_batch(school=world.a.school, certificate=new_certificate(world.a.organisation), people=[extra])
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("certificates:class_detail", args=[school_class.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="issued-count">3<' in page
    assert 'data-testid="collected-count">0<' in page
    assert 'data-testid="due-count">1<' in page and "待发证同学" in page
    response = client.post(
        reverse("certificates:class_collect", args=[school_class.pk]),
        {"what": f"cert:{certificate.pk}", "collected_by": "学习委员 李雷", "collected_on": "2024-09-02"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="collected-count">3<' in page and "学习委员 李雷" in page
    assert client.post(reverse("certificates:class_collect", args=[school_class.pk]), {}).status_code == 400
    # teachers see the page, without the collection form
    client.force_login(world.a.user(Role.TEACHER))
    page = client.get(url).content.decode()
    assert "整班签领" not in page and "考证签领名单" in page


def test_the_person_page_lists_every_certificate_and_records_collection(client, world):
    certificate, _class, people, _setup = issued_class(world.a, "23签领4", 1)
    person = people[0]
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("certificates:person", args=[person.pk])
    response = client.post(
        reverse("certificates:external_create", args=[person.pk]),
        {
            "name": "机械设计工程师（AutoCAD）",
            "issuer": "示例协会",
            "assessment_period": "2022.5-6",
            "issued_on": "2022-07-01",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert certificate.name in page and "机械设计工程师（AutoCAD）" in page and "示例协会" in page
    assert person.id_number not in page  # masked
    with scopes_disabled():
        issued = IssuedCertificate.objects.get(person=person)
        external = ExternalCertificate.objects.get(person=person)
    response = client.post(
        reverse("certificates:issued_collect", args=[issued.pk]),
        {"collected_by": person.name, "collected_on": "2024-09-01", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    response = client.post(
        reverse("certificates:external_collect", args=[external.pk]),
        {"collected_by": "学习委员", "collected_on": "2024-09-01", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == url  # only local targets
    page = client.get(url).content.decode()
    assert f"{person.name} · 2024-09-01" in page and "学习委员 · 2024-09-01" in page
    assert client.post(reverse("certificates:external_create", args=[person.pk]), {}).status_code == 400


def test_external_certificates_are_imported_by_id_number(world):
    school_class, people = make_class(world.a.school, "23签领5", 2)
    book = Workbook()
    sheet = book.active
    sheet.append(["身份证号", "工种", "发证机构", "等级", "鉴定时间", "发证日期"])
    sheet.append([people[0].id_number, "机械设计工程师（AutoCAD）", "示例协会", "", "2022.5-6", "2022-07-01"])
    sheet.append([people[1].id_number, "数控技术工程师", "示例协会", "中级", "2022.5-6", "2022-07-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    importer = ExternalCertificateImporter(owner_id=None, school_id=world.a.school.pk)
    with as_school(world.a.school):
        report = importer.run(buffer.getvalue())
        assert report.ok, report.errors
        rows = list(ExternalCertificate.objects.filter(person__school_class=school_class).order_by("person__name"))
        assert [(r.name, r.level) for r in rows] == [
            ("机械设计工程师(AutoCAD)", ""),
            ("数控技术工程师", "中级"),
        ]  # NFKC
        again = importer.run(buffer.getvalue())
        assert not again.ok and "已登记" in again.errors[0].message
    # another school's people are not found
    with as_school(world.b.school):
        report = ExternalCertificateImporter(owner_id=None, school_id=world.b.school.pk).run(buffer.getvalue())
    assert not report.ok and "没有登记" in report.errors[0].message

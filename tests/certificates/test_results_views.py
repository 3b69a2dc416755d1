"""Results pages: the grid and its JSON row saves, the concurrent edit through two rendered forms,
the admin's state changes and objections, corrections with history, and who sees what."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from certificates.models import Objection, Result, ResultSheet
from tests.certificates.results_helpers import audit_lines, fresh, make_setup, other_teacher, sheet_of

pytestmark = pytest.mark.django_db


def _grid(client, sheet):
    return client.get(reverse("certificates:sheet_grid", kwargs={"sheet_id": sheet.pk}))


def _save(client, sheet, **data):
    return client.post(
        reverse("certificates:result_row_save", kwargs={"sheet_id": sheet.pk}),
        data=json.dumps(data),
        content_type="application/json",
    )


def _rendered_version(html: str, seat_id: int) -> int:
    form = re.search(rf'<form id="row-{seat_id}".*?</form>', html, re.S).group(0)
    return int(re.search(r'name="version" value="(\d+)"', form).group(1))


def test_the_grid_has_one_row_per_seat_with_masked_ids_and_only_the_certificates_parts(client, world):
    setup = make_setup(world.a, has_practical=False)
    client.force_login(setup.teacher)
    response = _grid(client, sheet_of(setup.batch))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-row ") == 3
    assert setup.people[0].masked_id_number in html and setup.people[0].id_number not in html
    assert 'name="theory"' in html and 'name="practical"' not in html
    assert "js/results_grid.js" in html and "onclick" not in html and "<script>" not in html


def test_a_row_is_saved_as_json_and_answers_the_outcome_and_version(client, world):
    setup = make_setup(world.a)
    sheet = sheet_of(setup.batch)
    client.force_login(setup.teacher)
    response = _save(client, sheet, seat=setup.seats[0].pk, version=0, theory="85", practical="59.5", absent=False)
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True and answer["outcome_label"] == "不合格" and answer["version"] == 1
    bad = _save(client, sheet, seat=setup.seats[1].pk, version=0, theory="120", practical="80", absent=False)
    assert bad.status_code == 400 and bad.json()["ok"] is False and "0 到 100" in bad.json()["error"]
    missing = _save(client, sheet, seat=setup.seats[1].pk, version=0, theory="70", practical="", absent=False)
    assert "实操成绩" in missing.json()["error"]
    absent = _save(client, sheet, seat=setup.seats[2].pk, version=0, theory="", practical="", absent=True)
    assert absent.json()["outcome_label"] == "缺考"


def test_the_second_of_two_rendered_forms_is_refused_with_the_newer_value(client, world):
    setup = make_setup(world.a)
    sheet = sheet_of(setup.batch)
    seat = setup.seats[0]
    teacher_client, admin_client = client, client.__class__()
    teacher_client.force_login(setup.teacher)
    admin_client.force_login(setup.admin)
    first_version = _rendered_version(_grid(teacher_client, sheet).content.decode(), seat.pk)
    second_version = _rendered_version(_grid(admin_client, sheet).content.decode(), seat.pk)
    assert first_version == second_version == 0
    ok = _save(teacher_client, sheet, seat=seat.pk, version=first_version, theory="88", practical="77", absent=False)
    assert ok.json()["ok"]
    stale = _save(admin_client, sheet, seat=seat.pk, version=second_version, theory="40", practical="77", absent=False)
    assert stale.status_code == 409
    answer = stale.json()
    assert answer["ok"] is False and answer["stale"] is True
    assert "理论 88" in answer["error"] and answer["theory"] == "88" and answer["version"] == 1
    assert setup.teacher.full_name in answer["error"]  # who saved it
    with scopes_disabled():
        assert Result.objects.get(seat=seat).theory == Decimal("88")


def test_without_javascript_a_row_form_posts_and_redirects_to_the_grid(client, world):
    setup = make_setup(world.a)
    sheet = sheet_of(setup.batch)
    client.force_login(setup.teacher)
    url = reverse("certificates:result_row_save", kwargs={"sheet_id": sheet.pk})
    response = client.post(url, {"seat": setup.seats[0].pk, "version": 0, "theory": "66", "practical": "61"})
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("certificates:sheet_grid", kwargs={"sheet_id": sheet.pk})
    )
    with scopes_disabled():
        assert Result.objects.get(seat=setup.seats[0]).outcome == Result.Outcome.PASS
    assert client.post(url, {}).status_code == 302  # an empty form: a message, no write


def test_a_teacher_of_another_batch_sees_the_grid_read_only_and_cannot_save(client, world):
    setup = make_setup(world.a)
    sheet = sheet_of(setup.batch)
    client.force_login(other_teacher(world.a))
    html = _grid(client, sheet).content.decode()
    assert 'data-testid="grid-readonly"' in html
    response = _save(client, sheet, seat=setup.seats[0].pk, version=0, theory="80", practical="80", absent=False)
    assert response.status_code == 400 and "不是该批次的录入教师" in response.json()["error"]


def test_opening_a_batch_creates_its_sheet_and_goes_to_the_grid(client, world):
    setup = make_setup(world.a, with_sheet=False)
    client.force_login(setup.teacher)
    index = client.get(reverse("certificates:results_index"))
    assert setup.batch.name in index.content.decode()
    response = client.post(reverse("certificates:sheet_open"), {"batch": setup.batch.pk})
    sheet = sheet_of(setup.batch)
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificates:sheet_grid", kwargs={"sheet_id": sheet.pk}
    )


def _enter_everything(client, setup):
    sheet = sheet_of(setup.batch)
    client.force_login(setup.teacher)
    for seat, (t, p) in zip(setup.seats, (("80", "90"), ("50", "70"), ("61", "62")), strict=True):
        assert _save(client, sheet, seat=seat.pk, version=0, theory=t, practical=p, absent=False).json()["ok"]
    return sheet


def test_a_teacher_cannot_publish_and_the_admin_publishes_runs_objections_and_ends(client, world):
    setup = make_setup(world.a)
    sheet = _enter_everything(client, setup)
    publish = reverse("certificates:sheet_publish", kwargs={"sheet_id": sheet.pk})
    assert client.post(publish, {"notice_days": 0}).status_code == 403
    client.force_login(setup.admin)
    assert client.post(publish, {"notice_days": 0}).status_code == 302
    assert sheet_of(setup.batch).status == ResultSheet.Status.NOTICE
    with scopes_disabled():
        result = Result.objects.get(seat=setup.seats[1])
    response = client.post(
        reverse("certificates:objection_create", kwargs={"sheet_id": sheet.pk}),
        {"result": result.pk, "received_on": "2024-06-10", "raised_by": "考生本人", "content": "理论分偏低"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        objection = Objection.objects.get(sheet=sheet)
    end = reverse("certificates:sheet_end", kwargs={"sheet_id": sheet.pk})
    client.post(end)
    assert sheet_of(setup.batch).status == ResultSheet.Status.NOTICE  # an open objection holds the end
    answer = reverse("certificates:objection_answer", kwargs={"objection_id": objection.pk})
    assert client.post(answer, {"answer": "经复核，理论成绩应为 60 分，已更正。"}).status_code == 302
    correct = reverse("certificates:result_correct", kwargs={"result_id": result.pk})
    refused = client.post(correct, {"version": result.version, "theory": "60", "practical": "70"})
    assert refused.status_code == 400 and "更正原因" in refused.content.decode()
    done = client.post(correct, {"version": result.version, "theory": "60", "practical": "70", "reason": "复核更正"})
    assert done.status_code == 302
    client.post(end)
    assert sheet_of(setup.batch).status == ResultSheet.Status.FINAL
    history = client.get(reverse("certificates:result_detail", kwargs={"result_id": result.pk})).content.decode()
    assert "复核更正" in history and "理论 50" in history and "理论 60" in history
    assert [line.action for line in audit_lines(result)] == ["results.result.entered", "results.result.corrected"]


def test_reviewers_see_results_only_from_the_notice_on_and_read_only(client, world):
    setup = make_setup(world.a)
    sheet = _enter_everything(client, setup)
    with scopes_disabled():
        result = Result.objects.get(seat=setup.seats[0])
    reviewer = fresh(world.a.user(Role.REVIEWER))
    client.force_login(reviewer)
    detail = reverse("certificates:sheet_detail", kwargs={"sheet_id": sheet.pk})
    result_url = reverse("certificates:result_detail", kwargs={"result_id": result.pk})
    assert client.get(detail).status_code == 404
    assert client.get(result_url).status_code == 404
    assert setup.batch.name not in client.get(reverse("certificates:results_index")).content.decode()
    client.force_login(setup.admin)
    client.post(reverse("certificates:sheet_publish", kwargs={"sheet_id": sheet.pk}), {"notice_days": 3})
    client.force_login(reviewer)
    page = client.get(detail)
    assert page.status_code == 200 and setup.people[0].name in page.content.decode()
    assert "sheet_publish" not in page.content.decode() and "/grid/" not in page.content.decode()
    result_page = client.get(result_url).content.decode()
    assert "保存更正" not in result_page
    assert "录入成绩" in result_page and "理论 80" in result_page  # the history, shared from the notice on
    assert setup.batch.name in client.get(reverse("certificates:results_index")).content.decode()
    # The other organisation's reviewer never sees it.
    client.force_login(fresh(world.b.user(Role.REVIEWER)))
    assert client.get(detail).status_code == 404

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scopes_disabled

from accounts.models import Membership, StaffQualification
from accounts.roles import Role
from core.scoping import ORGANISATION, PLATFORM, SCHOOL, TenantRef, tenant_scope

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_a_query_without_a_tenant_raises(world):
    with pytest.raises(ScopeError):
        list(StaffQualification.objects.all())
    with pytest.raises(ScopeError):
        StaffQualification.objects.filter(kind="trainer").count()


def test_a_school_sees_only_its_own_rows(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        schools = set(StaffQualification.objects.values_list("school_id", flat=True))
    assert schools == {world.a.school.pk}


def test_an_organisation_sees_nothing_of_a_school_only_model(world):
    with tenant_scope(TenantRef(ORGANISATION, world.a.organisation.pk)):
        assert StaffQualification.objects.count() == 0
        assert set(Membership.objects.values_list("organisation_id", flat=True)) == {world.a.organisation.pk}


def test_the_platform_scope_sees_everything(world):
    with tenant_scope(TenantRef(PLATFORM)):
        schools = set(StaffQualification.objects.values_list("school_id", flat=True))
    assert {world.a.school.pk, world.b.school.pk} <= schools


def test_a_tenant_ref_never_means_no_filter():
    with pytest.raises(ValueError):
        TenantRef(SCHOOL, None)


def test_a_user_of_school_a_guessing_a_url_of_school_b_gets_404(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    job = world.b.objects[f"job:{Role.SCHOOL_ADMIN}"]
    response = client.get(reverse("core:job_detail", args=[job.pk]))
    assert response.status_code == 404
    assert world.b.marker not in response.content.decode()


def test_a_user_with_two_memberships_switches_between_them(client, world):
    user = world.a.user(Role.TEACHER)
    with scopes_disabled():
        second = Membership.objects.create(user=user, organisation=world.a.organisation, role=Role.REVIEWER)
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert "教师工作台" in home
    client.post(reverse("accounts:switch"), {"membership": str(second.pk)})
    assert "培训评价组织工作台" in client.get(reverse("home")).content.decode()
    # Someone else's membership cannot be chosen.
    other = world.b.user(Role.REVIEWER).memberships.model._base_manager.filter(user=world.b.user(Role.REVIEWER)).first()
    client.post(reverse("accounts:switch"), {"membership": str(other.pk)})
    assert "培训评价组织工作台" in client.get(reverse("home")).content.decode()
    assert world.b.organisation.name not in client.get(reverse("home")).content.decode()


def test_a_non_staff_user_is_never_given_the_platform_scope(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    session = client.session
    session["active_membership"] = "platform"
    session.save()
    response = client.get(reverse("home"))
    assert "学校工作台" in response.content.decode()
    assert "平台管理" not in response.content.decode().split("<main")[1]


# bench/ builds its synthetic data like a test fixture does.
ALLOWED_SCOPES_DISABLED = re.compile(r"(^|/)(tests|migrations|management/commands)/|^bench/|^core/admin_site\.py$")


def test_scopes_disabled_appears_only_where_allowed():
    """Only the staff admin, migrations, management commands and tests may switch scoping off."""
    files = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    tracked = files.stdout.split() or [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py") if ".venv" not in p.parts]
    offenders = []
    for path in tracked:
        if ALLOWED_SCOPES_DISABLED.search(path) or not (ROOT / path).exists():
            continue
        text = (ROOT / path).read_text(encoding="utf-8")
        if re.search(r"\b(with_)?scopes_disabled\(", text):
            offenders.append(path)
    assert offenders == []


def test_views_never_filter_by_tenant_by_hand():
    """Views reach tenant data through scoped managers, never with school=/organisation= filters."""
    offenders = []
    views = [*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py")]
    assert len(views) > 10, "the views were not found"
    for path in views:
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.filter\([^)]*\b(school|organisation)(_id)?\s*=\s*request", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []

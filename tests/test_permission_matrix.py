"""Every URL of the project, for every role, a foreign tenant and an anonymous visitor, GET and POST.

- anonymous: a redirect to the login page;
- a role without the view's declared permission: 403;
- an object of the other school or organisation: 404;
- allowed: the page (or the form's own answer: a redirect, 400 for an empty form, 405 for a verb
  the view does not take);
- no response to a user of side A carries side B's marker, and no POST changes side B's rows.

URL arguments come from ``ARGUMENTS``: an argument it does not know fails the suite, so a new URL
cannot slip past. Side A's object is built for the persona; side B's is the foreign one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from tests.world import APPS, MARKER_B, Side, World

# url argument -> (side, role) -> primary key of an object of that side the role may reach
ARGUMENTS: dict[str, Callable[[Side, str], int]] = {
    "job_id": lambda side, role: side.objects[f"job:{role}"].pk,
    "file_id": lambda side, role: side.objects[f"file:{role}"].pk,
}
for _app in APPS:
    for _name, _factory in _app.ARGUMENTS.items():
        assert _name not in ARGUMENTS, f"URL argument {_name} is registered twice"
        ARGUMENTS[_name] = _factory

# Views anyone may reach, logged in or not.
PUBLIC = {"accounts:login", "accounts:logout", "set_language", "certificates:verify", "certificates:verify_token"}

PERSONAS = [Role.SCHOOL_ADMIN, Role.TEACHER, Role.REVIEWER, Role.PLATFORM_ADMIN, "anonymous"]


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = entry.namespace or namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry


def project_urls() -> list[tuple[str, URLPattern]]:
    seen = {}
    for name, pattern in _walk(get_resolver()):
        assert name, f"URL {pattern.pattern} has no name"
        seen[name] = pattern
    return sorted(seen.items())


def declared_permission(pattern: URLPattern):
    view = pattern.callback
    view_class = getattr(view, "view_class", None)
    if view_class is not None and hasattr(view_class, "permission"):
        return view_class.permission
    if hasattr(view, "permission"):
        return view.permission
    raise AssertionError(f"{pattern.lookup_str} declares no permission")


def build_url(name: str, pattern: URLPattern, side: Side, role: str) -> str:
    kwargs = {}
    for argument in pattern.pattern.converters:
        if argument not in ARGUMENTS:
            raise AssertionError(f"URL {name} takes {argument!r}, which the matrix registry does not know")
        kwargs[argument] = ARGUMENTS[argument](side, role)
    return reverse(name, kwargs=kwargs)


def login_as(client, world: World, side: Side, persona: str) -> None:
    if persona == "anonymous":
        return
    user = world.platform_admin if persona == Role.PLATFORM_ADMIN else side.user(persona)
    client.force_login(user)


def permissions_of(persona: str) -> frozenset[str]:
    from accounts.roles import ROLE_PERMISSIONS

    return ROLE_PERMISSIONS.get(persona, frozenset())


def tenant_models():
    return [m for m in apps.get_models() if hasattr(m._default_manager, "tenant_paths")]


_SNAPSHOT_SQL: dict[tuple[int, int], list[tuple[str, tuple]]] = {}


def _snapshot_queries(world: World) -> list[tuple[str, tuple]]:
    """One SELECT per tenant model and tenant path of side B, of every stored column, ordered by pk.

    Compiled once per world: compiling ~70 joined queries on every POST case cost more than running them.
    """
    key = (world.b.school.pk, world.b.organisation.pk)
    if key not in _SNAPSHOT_SQL:
        queries = []
        for model in tenant_models():
            paths = model._default_manager.tenant_paths
            for kind, pk in (("school", world.b.school.pk), ("organisation", world.b.organisation.pk)):
                if paths.get(kind):
                    columns = [f.attname for f in model._meta.concrete_fields]
                    rows = model._base_manager.filter(**{paths[kind]: pk}).order_by("pk").values_list(*columns)
                    queries.append(rows.query.sql_with_params())
        _SNAPSHOT_SQL[key] = queries
    return _SNAPSHOT_SQL[key]


def side_b_snapshot(world: World) -> str:
    """A digest of every row of every tenant model that belongs to side B."""
    digest = hashlib.sha256()
    with scopes_disabled(), connection.cursor() as cursor:
        for sql, params in _snapshot_queries(world):
            cursor.execute(sql, params)
            digest.update(repr((sql, cursor.fetchall())).encode())
    return digest.hexdigest()


URLS = project_urls()
CASES = [(name, persona, method) for name, _ in URLS for persona in PERSONAS for method in ("get", "post")]


@pytest.mark.django_db
def test_the_side_b_snapshot_sees_a_change_to_any_of_side_bs_rows(world):
    """The matrix's "no POST changed side B" check can fail: a changed value of B changes the digest."""
    from funding.models import Spending

    before = side_b_snapshot(world)
    with scopes_disabled():
        Spending.objects.filter(pk=world.b.objects["spending"].pk).update(payee="改过的收款单位")
    assert side_b_snapshot(world) != before


@pytest.mark.django_db
def test_every_tenant_model_has_a_row_on_each_side(world):
    with scopes_disabled():
        for model in tenant_models():
            paths = model._default_manager.tenant_paths
            for side in world.sides():
                if paths.get("school"):
                    has = model._base_manager.filter(**{paths["school"]: side.school.pk}).exists()
                else:
                    has = model._base_manager.filter(**{paths["organisation"]: side.organisation.pk}).exists()
                assert has, f"tests/world.py builds no {model.__name__} for side {side.key}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona", "method"), CASES, ids=[f"{n}-{p}-{m}" for n, p, m in CASES])
def test_matrix(client, world, name, persona, method):
    pattern = dict(URLS)[name]
    before = side_b_snapshot(world) if method == "post" else None
    login_as(client, world, world.a, persona)
    role = persona if persona != "anonymous" else Role.SCHOOL_ADMIN
    url = build_url(name, pattern, world.a, role if role != Role.PLATFORM_ADMIN else Role.SCHOOL_ADMIN)
    response = getattr(client, method)(url)
    status = response.status_code

    if name in PUBLIC:
        assert status in (200, 302, 400, 405), status
    elif persona == "anonymous":
        assert status == 302 and reverse("accounts:login") in response["Location"], status
    else:
        permission = declared_permission(pattern)
        owned = not pattern.pattern.converters or persona != Role.PLATFORM_ADMIN
        if permission is not None and permission not in permissions_of(persona):
            assert status == 403, f"{persona} reached {name} without {permission}: {status}"
        elif owned:
            assert status in (200, 302, 400, 405), f"{persona} could not use {name}: {status}"
            if status == 302:
                assert reverse("accounts:login") not in response["Location"]

    # Platform staff may see every tenant; everyone else must never see side B.
    if persona not in ("anonymous", Role.PLATFORM_ADMIN) and status == 200 and not response.streaming:
        assert MARKER_B not in response.content.decode(), f"{name} showed side B's data to {persona} of side A"
    if method == "post":
        assert side_b_snapshot(world) == before, f"POST {name} as {persona} changed side B"


FOREIGN_CASES = [
    (name, role, method)
    for name, pattern in URLS
    if pattern.pattern.converters and name not in PUBLIC
    for role in (Role.SCHOOL_ADMIN, Role.TEACHER, Role.REVIEWER)
    for method in ("get", "post")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "method"), FOREIGN_CASES, ids=[f"{n}-{r}-{m}" for n, r, m in FOREIGN_CASES])
def test_foreign_objects_answer_404(client, world, name, role, method):
    pattern = dict(URLS)[name]
    permission = declared_permission(pattern)
    before = side_b_snapshot(world)
    client.force_login(world.a.user(role))
    response = getattr(client, method)(build_url(name, pattern, world.b, role))
    if permission is not None and permission not in permissions_of(role):
        assert response.status_code == 403  # refused before any look-up: says nothing about the object
    else:
        # 405 only where the view takes no such verb at all (it answers before any look-up).
        assert response.status_code in (404, 405), f"{role} of A reached B's object at {name}: {response.status_code}"
    assert side_b_snapshot(world) == before


@pytest.mark.django_db
def test_admin_is_for_staff_only(client, world):
    url = reverse("admin:index")
    assert client.get(url).status_code == 302
    for role in (Role.SCHOOL_ADMIN, Role.TEACHER, Role.REVIEWER):
        client.force_login(world.a.user(role))
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(world.platform_admin)
    assert client.get(url).status_code == 200
    changelist = client.get(reverse("admin:accounts_school_changelist"))
    assert changelist.status_code == 200
    assert world.b.school.name in changelist.content.decode()  # staff see every tenant in the admin

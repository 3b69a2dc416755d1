"""What every page tells the browser: a strict Content-Security-Policy, and no caching of personal data."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_page_sends_a_policy_of_its_own_origin_without_inline_code(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    for url in (reverse("accounts:login"), reverse("home"), reverse("accounts:school")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_the_browser_templates_hold_no_inline_script_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "pdf" in path.parts:
            continue  # rendered by WeasyPrint, never by a browser
        text = path.read_text(encoding="utf-8")
        if re.search(r'\sstyle="|<style\b|\son[a-z]+="|<script(?![^>]*\ssrc=)[^>]*>', text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []

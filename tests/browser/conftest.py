import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def shot(page):
    """Save a full-page screenshot into test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from reports.management.commands.seed_demo import DEMO_PASSWORD

    return DEMO_PASSWORD

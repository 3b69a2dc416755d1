"""Sets up Django on a throwaway database, runs the cases and prints the table.

Without ``DATABASE_URL`` the settings would point at the checkout's ``db.sqlite3``; the bench points
them at a temporary folder instead. Either way it then creates a fresh test database
(``create_test_db``: a file in the temporary folder on SQLite, ``test_<name>`` on PostgreSQL) and
destroys it at the end, so a user's own database is never written to. Files go to a temporary
``MEDIA_ROOT``.

``DEBUG`` is switched off for the measured work, as in production: with it on, Django logs every
query, which on SQLite costs an extra query per logged statement. The test-environment template
instrumentation (``setup_test_environment``) is deliberately not installed: it sends a signal on
every template render, which the test ``Client`` then records, and that is not the product's cost.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import django

from bench.measure import Row, table

CASES = ("home", "import", "pdf", "students", "application", "results", "roster", "statistics", "settlement")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="rows of the catalogue import (default 10000)")
    parser.add_argument(
        "--only", action="append", choices=CASES, metavar="NAME", help=f"run only this case ({', '.join(CASES)})"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    args = parser.parse_args(argv)
    if args.size < 1 or args.runs < 1:
        parser.error("--size and --runs must be at least 1")
    return args


def configure_environment(tmpdir: Path) -> None:
    """Environment for ``config.settings``; must run before ``django.setup()``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmpdir / 'bench.sqlite3'}")
    os.environ["MEDIA_ROOT"] = str(tmpdir / "media")


def create_database(tmpdir: Path) -> str:
    """A fresh, migrated test database; returns the name to give back to ``destroy_test_db``."""
    from django.db import connection

    if connection.vendor == "sqlite":  # a file, as in use, rather than Django's in-memory test default
        connection.settings_dict["TEST"]["NAME"] = str(tmpdir / "test-bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    missing = sorted(set(connection.introspection.django_table_names()) - set(connection.introspection.table_names()))
    if missing:  # models without a migration yet: any case that reaches them fails with "no such table"
        print(f"bench: warning: the migrations create no table for {', '.join(missing)}", file=sys.stderr)
    return old_name


def machine_context() -> str:
    import openpyxl
    import weasyprint
    from django.db import connection

    version = ".".join(str(part) for part in connection.get_database_version())
    database = f"{connection.vendor} {version}"
    if connection.vendor == "sqlite":
        database += " (file)"
    return (
        f"python {platform.python_version()} · Django {django.get_version()} · {database} · "
        f"WeasyPrint {weasyprint.__version__} · openpyxl {openpyxl.__version__} · "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )


def busy_warning() -> str | None:
    """A warning when other processes competed for the CPUs during the run (1-minute load average)."""
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load <= cpus * 0.75:
        return None
    return (
        f"warning: the machine was busy (load {load:.1f} on {cpus} CPUs at the end): the figures are slower "
        "than on an idle machine and less repeatable; the ratios suffer less"
    )


def run_cases(names: Sequence[str], *, size: int, runs: int) -> list[Row]:
    from bench import cases, settlement, stats_page

    chosen: dict[str, Callable[[], list[Row]]] = {
        "home": lambda: [cases.home_page(runs=runs)],
        "import": lambda: [cases.catalogue_import(size=size, runs=runs)],
        "pdf": lambda: [cases.table_pdf(runs=runs)],
        "students": lambda: [cases.student_import(size=size, runs=runs)],
        "application": lambda: [cases.application_pdf(runs=runs)],
        "results": lambda: cases.results(runs=runs),
        "roster": lambda: [cases.roster(runs=runs)],
        "statistics": lambda: [stats_page.statistics_page(runs=runs)],
        "settlement": lambda: [settlement.settlement_page(size=size, runs=runs)],
    }
    rows: list[Row] = []
    for name in names:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        rows.extend(chosen[name]())
        print(f"bench: {name} done in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = [name for name in CASES if not args.only or name in args.only]
    with tempfile.TemporaryDirectory(prefix="onex-bench-") as tmp:
        tmpdir = Path(tmp)
        configure_environment(tmpdir)
        # WhiteNoise's complaint about the absent STATIC_ROOT (nothing is collected in development).
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        django.setup()

        from django.conf import settings
        from django.db import connection

        settings.DEBUG = False
        old_name = create_database(tmpdir)
        try:
            context = machine_context()
            rows = run_cases(names, size=args.size, runs=args.runs)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print(context)
    print(
        f"each figure: median of {args.runs} runs; ratio = the figure's speed / the floor's speed (1.00x = the floor)"
    )
    print()
    print(table(rows))
    warning = busy_warning()
    if warning:
        print()
        print(warning)
    return 0

"""Running the same write in several threads at the same moment, for the tests of PostgreSQL row locks."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql" and not os.environ.get("CI"),
    reason="row locks need PostgreSQL (CI runs this on PostgreSQL)",
)


def at_once(work: Callable[[Any], object], inputs: Sequence[Any], scope: Callable[[], AbstractContextManager]) -> list:
    """``work(input)`` for every input, each in a thread of its own inside ``scope()`` (a tenant's),
    all released together. The outcomes, in the order the threads finish: what ``work`` returned, or
    the messages of the ValidationError it raised."""
    barrier = threading.Barrier(len(inputs))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(item: Any) -> None:
        try:
            with scope():
                barrier.wait()
                try:
                    result = work(item)
                except ValidationError as exc:
                    result = " ".join(exc.messages)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(item,)) for item in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes

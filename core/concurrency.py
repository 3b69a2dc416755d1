"""The one optimistic lock: a write names the version its form was rendered with.

A service locks the row (``select_for_update``), calls ``check_version`` and, when it writes,
``bump``. A stale version is refused with ``StaleVersionError``: who saved since, when, and what
they saved, so the user decides again with the other's values in front of them. Views hand the
error to ``refreshed_form``, which shows the user's own input again against the current version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .audit import UNSET, describe, last_entry, who_and_when
from .feedback import errors_to_form


class StaleVersionError(ValidationError):
    """The row changed since the form was rendered.

    ``current_version`` is the row's version now; ``current`` the row itself (for a JSON answer).
    """

    def __init__(self, message: str, *, current_version: int, current: models.Model | None = None) -> None:
        super().__init__(message, code="stale")
        self.current_version = current_version
        self.current = current


def check_version(
    obj: models.Model | None,
    version: int | str | None,
    *,
    current_version: int | None = None,
    saved: str | Callable[[], str] | None = None,
    outcome: str | None = None,
    last: Any = UNSET,
) -> None:
    """Refuse a write built on an older version of ``obj``, saying who saved since, when and what.

    ``version`` None skips the check (imports, which check their own way). ``current_version``
    defaults to ``obj.version`` (0 when there is no row yet). ``saved`` describes the row as it
    is now; by default the details of its newest history line. ``last`` (or a function giving it)
    is that line where it is not ``obj``'s own newest (a row whose history is on its parent).
    """
    if version is None:
        return
    if current_version is None:
        current_version = obj.version if obj is not None else 0
    if int(version) == current_version:
        return
    if last is UNSET:
        last = last_entry(obj) if obj is not None and obj.pk else None
    elif callable(last):
        last = last()
    if callable(saved):
        saved = saved()
    if saved is None:
        line = describe(last) if last is not None else None
        saved = (line.detail or line.label) if line is not None else "—"
    raise StaleVersionError(
        _("在您打开此页之后，%(user)s已将其保存为：%(saved)s。%(outcome)s")
        % {
            "user": who_and_when(last),
            "saved": saved,
            "outcome": outcome or _("您的修改尚未保存；请核对后，如仍需修改，再次保存。"),
        },
        current_version=current_version,
        current=obj,
    )


def bump(obj: models.Model) -> int:
    """Count one more version of a row that is about to be saved (the caller saves it)."""
    obj.version = (obj.version or 0) + 1
    return obj.version


def refreshed_form(
    form_class: type[forms.BaseForm], request: HttpRequest, exc: StaleVersionError, **kwargs: Any
) -> forms.BaseForm:
    """The user's own input again, now against the row's current version, with what the other saved.

    Saving once more is a decision taken after reading the other's values, never a silent overwrite.
    """
    data = request.POST.copy()
    data["version"] = str(exc.current_version)
    form = form_class(data, **kwargs)
    form.is_valid()
    errors_to_form(form, exc)
    return form

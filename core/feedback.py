"""How a view answers a service: its refusal (a ValidationError) on the form or as page messages, its
success as a message; and a long job started from a page.

``run_action`` and ``form_action`` hold the one try/except of a view: each returns what the service
returned (services return what they wrote), or None when the form is invalid or the service refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .jobs import job_create

T = TypeVar("T")
Success = str | Callable[[Any], str] | None  # a text, or the text for what the service returned


def errors_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Every message of ``exc`` as a non-field error of ``form``."""
    for message in exc.messages:
        form.add_error(None, message)


def errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Every message of ``exc`` as an error message on the next page."""
    for message in exc.messages:
        messages.error(request, message)


def _say_done(request: HttpRequest, success: Success, result: Any) -> None:
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)


def run_action(request: HttpRequest, action: Callable[[], T], success: Success = None) -> T | None:
    """Call ``action()``. Refused: every reason as an error message on the next page, and None.
    Done: ``success`` as a success message, and the action's result."""
    try:
        result = action()
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return None
    _say_done(request, success, result)
    return result


def form_action(
    request: HttpRequest, form: forms.BaseForm, action: Callable[[dict[str, Any]], T], success: Success = None
) -> T | None:
    """Validate ``form`` and call ``action(form.cleaned_data)``. Invalid, or refused (the reasons on
    the form; a refusal naming fields goes to those fields): None. Done: ``success`` as a success
    message, and the action's result. An unbound form (``Form(request.POST or None)`` on a GET) is
    never valid, so a page that shows and saves one form calls it whatever the method."""
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    _say_done(request, success, result)
    return result


def job_started(request: HttpRequest, *, task: Any, kind: str, title: str, params: dict | None = None) -> HttpResponse:
    """Start a job for the request's user and tenant, and send the browser to its progress page."""
    job = job_create(owner=request.user, tenant=request.tenant, task=task, kind=kind, title=title, params=params)
    return redirect("core:job_detail", job_id=job.pk)

"""The one flow of a funding project's form pages: form → service → message → back to the project.

New rows, edits, deletes and removals all go through ``form_flow``; a delete or a removal is a POST
from its confirmation page (GET), which says what will happen before it does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.concurrency import StaleVersionError, refreshed_form
from core.feedback import errors_to_form
from funding.models import FundingProject

Page = Callable[..., HttpResponse]  # page(form, status=200)


def to_project(project: FundingProject) -> HttpResponse:
    return redirect("funding:project_detail", project_id=project.pk)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    title: str,
    project: FundingProject | None = None,
    *,
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "title": title, "project": project, "intro": intro}
    return render(request, "funding/form.html", context, status=status)


def confirm_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "funding/confirm.html", context, status=status)


def bound(request: HttpRequest, form_class: type[forms.BaseForm], initial: Any = None, **kwargs: Any) -> Any:
    """The form bound to the POST (and its files), or unbound with ``initial`` on a GET."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(initial=initial, **kwargs)


def form_flow(
    request: HttpRequest,
    *,
    project: FundingProject | None,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    page: Page,
    refresh: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """GET shows ``page(form)``. A POST validates the form and calls ``save(cleaned_data)``: saved, it
    returns to the project (the one ``save`` created, without ``project``) with ``done``; refused,
    the page again (400) with the reason on the form.

    A stale version shows the user's own input again against the current version, with who saved
    what since (``core.concurrency.refreshed_form``; ``refresh`` gives its extra form arguments).
    """
    if request.method != "POST":
        return page(form)
    if form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except StaleVersionError as exc:
            form = refreshed_form(type(form), request, exc, **(refresh() if refresh else {}))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return to_project(project or saved)
    return page(form, status=400)

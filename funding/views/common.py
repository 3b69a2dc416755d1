"""The one flow of a funding project's form pages: form → service → message → back to the project.

New rows, edits, deletes and removals all go through ``form_flow``; a delete or a removal is a POST
from its confirmation page (GET), which says what will happen before it does. ``add_flow`` adds a
row to a project, ``delete_flow`` deletes one at the version its confirmation page showed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.concurrency import StaleVersionError, refreshed_form
from core.feedback import errors_to_form
from funding.forms.common import VersionForm
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
    page: Page | None = None,
    title: str = "",
    refresh: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """GET shows ``page(form)`` (without ``page``: the form page titled ``title``). A POST validates the form and calls ``save(cleaned_data)``: saved, it
    returns to the project (the one ``save`` created, without ``project``) with ``done``; refused,
    the page again (400) with the reason on the form.

    A stale version shows the user's own input again against the current version, with who saved
    what since (``core.concurrency.refreshed_form``; ``refresh`` gives its extra form arguments).
    """
    if page is None:
        page = partial(form_page, request, title=title, project=project)
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


def add_flow(
    request: HttpRequest,
    project: FundingProject,
    form: forms.BaseForm,
    create: Callable[..., Any],
    *,
    title: str,
    done: str,
) -> HttpResponse:
    """A new row of ``project`` on the form page titled ``title``: ``create(project=…, actor=…, **data)``."""
    save = partial(create, project=project, actor=request.user)
    return form_flow(request, project=project, form=form, save=lambda data: save(**data), done=done, title=title)


def delete_flow(
    request: HttpRequest,
    project: FundingProject,
    row: Any,
    *,
    reload: Callable[[], Any],
    delete: Callable[..., Any],
    context: Callable[[Any], dict[str, Any]],
    done: str,
) -> HttpResponse:
    """Delete ``row`` of ``project`` at the version its confirmation page showed: ``delete(version=…)``.
    The page shows ``context(the row as saved now)``, refreshed by ``reload()``."""

    def page(form: forms.BaseForm, status: int = 200) -> HttpResponse:
        return confirm_page(request, {**context(reload()), "form": form}, status)

    return form_flow(
        request,
        project=project,
        form=bound(request, VersionForm, initial={"version": row.version}),
        save=lambda data: delete(version=data["version"]),
        done=done,
        page=page,
    )

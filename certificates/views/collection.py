"""Collection pages (签领): a person's and a class's certificates, who collected them, and external
skill certificates (registered by hand or imported). The class page also holds the roster form
(``rosters.py`` answers it)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.feedback import form_action, run_action
from core.permissions import permission_required
from core.views import ImportView
from students.selectors import person_get

from ..forms.collection import ClassCollectForm, CollectForm, ExternalCertificateForm
from ..forms.rosters import RosterForm
from ..selectors.collection import (
    certificate_classes,
    class_get,
    class_overview,
    external_certificates,
    external_get,
    person_certificates,
)
from ..selectors.issuance import issued_get
from ..selectors.rosters import roster_choices
from ..services.collection import (
    certificate_collect,
    class_collect,
    external_certificate_collect,
    external_certificate_create,
)
from ..spreadsheets.collection import ExternalCertificateImporter

PAGE_SIZE = 100

# --- people and classes -------------------------------------------------------------------------


def _person_page(request: HttpRequest, person_id: int, status: int = 200, **forms: Any) -> HttpResponse:
    person = person_get(person_id=person_id)
    can_manage = request.tenant.has(roles.MANAGE_SCHOOL)
    context = {
        "person": person,
        **person_certificates(person=person),
        "can_manage": can_manage,
        "collect_form": CollectForm() if can_manage else None,
        "external_form": forms.get("external_form") or (ExternalCertificateForm() if can_manage else None),
        "error_form": forms.get("collect_form"),
    }
    return render(request, "certificates/collection/person.html", context, status=status)


@permission_required(roles.VIEW_SCHOOL)
def person_certificates_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every certificate of a person: 1+X and external ones."""
    return _person_page(request, person_id)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def external_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(person_id=person_id)
    form = ExternalCertificateForm(request.POST)
    created = form_action(
        request,
        form,
        lambda data: external_certificate_create(school=current_school(request), person=person, **data),
        _("其他技能证书已登记。"),
    )
    if created is None:
        return _person_page(request, person.pk, status=400, external_form=form)
    return redirect("certificates:person", person_id=person.pk)


def _collect(request: HttpRequest, certificate: Any, collect: Callable[..., Any]) -> HttpResponse:
    """Record who collected one of a person's certificates, then back to the page the form was on
    (a path of this site only)."""
    form = CollectForm(request.POST)
    if not form.is_valid():
        return _person_page(request, certificate.person_id, status=400, collect_form=form)
    data = form.cleaned_data
    run_action(
        request,
        lambda: collect(certificate=certificate, **data),
        _("已登记签领：%(name)s。") % {"name": data["collected_by"]},
    )
    target = request.POST.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = reverse("certificates:person", kwargs={"person_id": certificate.person_id})
    return redirect(target)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def issued_collect(request: HttpRequest, issued_id: int) -> HttpResponse:
    return _collect(request, issued_get(issued_id=issued_id), partial(certificate_collect, actor=request.user))


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def external_collect(request: HttpRequest, external_id: int) -> HttpResponse:
    return _collect(request, external_get(external_id=external_id), external_certificate_collect)


@permission_required(roles.VIEW_SCHOOL)
def class_list(request: HttpRequest) -> HttpResponse:
    return render(request, "certificates/collection/class_list.html", {"classes": certificate_classes()})


def class_page(request: HttpRequest, class_id: int, status: int = 200, **forms: Any) -> HttpResponse:
    """A class's certificates with the collection and roster forms (the roster views answer a bad
    form with it too)."""
    school_class = class_get(class_id=class_id)
    choices = roster_choices(school_class=school_class)
    can_manage = request.tenant.has(roles.MANAGE_SCHOOL)
    context = {
        "school_class": school_class,
        **class_overview(school_class=school_class),
        "can_manage": can_manage,
        "collect_form": forms.get("collect_form")
        or (ClassCollectForm(certificates=choices["certificates"]) if can_manage else None),
        "roster_form": forms.get("roster_form") or RosterForm(choices=choices),
    }
    return render(request, "certificates/collection/class_detail.html", context, status=status)


@permission_required(roles.VIEW_SCHOOL)
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    """A class's certificates: issued, collected, and passed candidates still waiting for one."""
    return class_page(request, class_id)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def class_collect_view(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = class_get(class_id=class_id)
    form = ClassCollectForm(request.POST, certificates=roster_choices(school_class=school_class)["certificates"])
    count = form_action(
        request,
        form,
        lambda data: class_collect(school_class=school_class, actor=request.user, **data),
        lambda count: _("已为 %(n)s 本证书登记签领。") % {"n": count},
    )
    if count is None:
        return class_page(request, school_class.pk, status=400, collect_form=form)
    return redirect("certificates:class_detail", class_id=school_class.pk)


# --- external certificates ----------------------------------------------------------------------


@permission_required(roles.VIEW_SCHOOL)
def external_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(external_certificates(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/collection/external_list.html", {"page": page})


class ExternalImportView(ImportView):
    permission = roles.MANAGE_SCHOOL
    importer_class = ExternalCertificateImporter
    success_url = "certificates:external_list"
    back_url = "certificates:external_list"

    def importer_params(self) -> dict:
        return {"school_id": self.request.tenant.school_id}

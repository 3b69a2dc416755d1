from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.feedback import form_action
from core.permissions import permission_required
from core.views import ExportView, ImportView

from .forms import EnrolClassForm, EnrolPersonForm, MajorForm, PersonForm, PersonSearchForm, SchoolClassForm
from .models import Enrolment, Person
from .selectors import (
    enrolment_pilot,
    enrolments_of,
    majors,
    person_by_id_number,
    person_get,
    person_history,
    persons_search,
)
from .selectors import school_classes as school_classes_list
from .services import (
    enrolment_create,
    enrolment_create_for_class,
    major_create,
    person_create,
    person_update,
    school_class_create,
)
from .spreadsheets.enrolments import EnrolmentExporter, EnrolmentImporter
from .spreadsheets.people import PersonExporter, StudentImporter, TraineeImporter

PAGE_SIZE = 50
PERSON_FIELDS = PersonForm.Meta.fields


# --- people -----------------------------------------------------------------------------------


@permission_required(roles.VIEW_SCHOOL)
def person_list(request: HttpRequest) -> HttpResponse:
    """Search by name, class or exact ID number. ID numbers and phones are always masked here."""
    form = PersonSearchForm(request.GET or None)
    people = persons_search(**form.filters())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "students/person_list.html", {"form": form, "page": page, "query": query.urlencode()})


def _person_form(request: HttpRequest, person: Person | None, save: Callable[..., Person], done: str) -> HttpResponse:
    """A person's form, new or to edit: saved, back to the list; else the form again (400 on a POST)."""
    form = PersonForm(request.POST or None, instance=person)
    saved = form_action(request, form, lambda data: save(**{f: data[f] for f in PERSON_FIELDS}), done)
    if saved is not None:
        return redirect("students:person_list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": person}
    if person is not None:
        context["history"] = person_history(person=person)
    return render(request, "students/person_form.html", context, status=status)


@permission_required(roles.MANAGE_SCHOOL)
def person_create_view(request: HttpRequest) -> HttpResponse:
    def save(**fields: Any) -> Person:
        return person_create(school=current_school(request), actor=request.user, **fields)

    return _person_form(request, None, save, _("学员已登记。"))


@permission_required(roles.MANAGE_SCHOOL)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """The one page that shows the full ID number and phone: the school admin's edit form, with
    the person's history (where ID numbers and phones are masked)."""
    person = person_get(person_id=person_id)
    return _person_form(
        request, person, partial(person_update, person=person, actor=request.user), _("学员信息已保存。")
    )


class StudentImportView(ImportView):
    permission = roles.MANAGE_SCHOOL
    importer_class = StudentImporter
    success_url = "students:person_list"
    back_url = "students:person_list"


class TraineeImportView(StudentImportView):
    importer_class = TraineeImporter


class PersonExportView(ExportView):
    permission = roles.VIEW_SCHOOL
    exporter_class = PersonExporter

    def exporter_params(self) -> dict:
        return PersonSearchForm(self.request.GET or None).filters()


# --- majors and classes -------------------------------------------------------------------------


def _classes_page(request: HttpRequest, status: int = 200, **forms) -> HttpResponse:
    can_manage = request.tenant.has(roles.MANAGE_SCHOOL)
    context = {
        "classes": school_classes_list(),
        "majors": majors(),
        "major_form": forms.get("major_form") or (MajorForm() if can_manage else None),
        "class_form": forms.get("class_form") or (SchoolClassForm() if can_manage else None),
    }
    return render(request, "students/class_list.html", context, status=status)


@permission_required(roles.VIEW_SCHOOL)
def class_list(request: HttpRequest) -> HttpResponse:
    return _classes_page(request)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def major_create_view(request: HttpRequest) -> HttpResponse:
    form = MajorForm(request.POST)
    created = form_action(
        request, form, lambda data: major_create(school=current_school(request), name=data["name"]), _("专业已添加。")
    )
    if created is None:
        return _classes_page(request, status=400, major_form=form)
    return redirect("students:class_list")


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def class_create_view(request: HttpRequest) -> HttpResponse:
    form = SchoolClassForm(request.POST)
    created = form_action(
        request,
        form,
        lambda data: school_class_create(
            school=current_school(request),
            code=data["code"],
            major=data["major"],
            enrolment_year=data["enrolment_year"],
        ),
        _("班级已添加。"),
    )
    if created is None:
        return _classes_page(request, status=400, class_form=form)
    return redirect("students:class_list")


# --- enrolments ---------------------------------------------------------------------------------


def _enrolments_page(request: HttpRequest, pilot_id: int, status: int = 200, **forms) -> HttpResponse:
    pilot = enrolment_pilot(pilot_id=pilot_id)
    can_enrol = request.tenant.has(roles.MANAGE_SCHOOL) and pilot.is_open_for_enrolment
    context = {
        "pilot": pilot,
        "remaining": max((pilot.quota or 0) - pilot.enrolled, 0),
        "enrolments": enrolments_of(pilot_id=pilot.pk),
        "can_enrol": can_enrol,
        "person_form": forms.get("person_form") or (EnrolPersonForm() if can_enrol else None),
        "class_form": forms.get("class_form") or (EnrolClassForm() if can_enrol else None),
    }
    return render(request, "students/enrolment_list.html", context, status=status)


@permission_required(None)
def enrolment_list(request: HttpRequest, pilot_id: int) -> HttpResponse:
    """A pilot's enrolments: its school and its organisation's reviewers (the scoped managers decide)."""
    return _enrolments_page(request, pilot_id)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def enrol_person(request: HttpRequest, pilot_id: int) -> HttpResponse:
    pilot = enrolment_pilot(pilot_id=pilot_id)
    form = EnrolPersonForm(request.POST)

    def enrol(data: dict[str, Any]) -> Enrolment:
        person = person_by_id_number(data["id_number"])
        if person is None:
            raise ValidationError({"id_number": _("本校没有登记该身份证号的学员。")})
        return enrolment_create(pilot_id=pilot.pk, person=person, actor=request.user)

    enrolment = form_action(
        request, form, enrol, lambda enrolment: _("%(name)s 已报名。") % {"name": enrolment.person.name}
    )
    if enrolment is None:
        return _enrolments_page(request, pilot.pk, status=400, person_form=form)
    return redirect("students:enrolment_list", pilot_id=pilot.pk)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def enrol_class(request: HttpRequest, pilot_id: int) -> HttpResponse:
    pilot = enrolment_pilot(pilot_id=pilot_id)
    form = EnrolClassForm(request.POST)
    count = form_action(
        request,
        form,
        lambda data: enrolment_create_for_class(
            pilot_id=pilot.pk, school_class=data["school_class"], actor=request.user
        ),
        lambda count: _("已为整班报名 %(n)s 人。") % {"n": count},
    )
    if count is None:
        return _enrolments_page(request, pilot.pk, status=400, class_form=form)
    return redirect("students:enrolment_list", pilot_id=pilot.pk)


class EnrolmentImportView(ImportView):
    permission = roles.MANAGE_SCHOOL
    importer_class = EnrolmentImporter

    def get(self, request, *args, **kwargs):
        self.pilot = enrolment_pilot(pilot_id=kwargs["pilot_id"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.pilot = enrolment_pilot(pilot_id=kwargs["pilot_id"])
        return super().post(request, *args, **kwargs)

    def importer_params(self) -> dict:
        return {"pilot_id": self.pilot.pk}

    def get_success_url(self) -> str:
        return reverse("students:enrolment_list", kwargs={"pilot_id": self.pilot.pk})

    def render_page(self, importer, form, **extra):
        return super().render_page(importer, form, back_url=self.get_success_url(), **extra)


class EnrolmentExportView(ExportView):
    permission = None  # the scoped managers decide: the pilot's school and organisation

    def post(self, request, *args, **kwargs):
        self.pilot = enrolment_pilot(pilot_id=kwargs["pilot_id"])
        return super().post(request, *args, **kwargs)

    exporter_class = EnrolmentExporter

    def exporter_params(self) -> dict:
        return {"pilot_id": self.pilot.pk}

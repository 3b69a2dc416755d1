from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.permissions import permission_required
from core.views import ExportView, ImportView

from .forms import EnrolClassForm, EnrolPersonForm, MajorForm, PersonForm, PersonSearchForm, SchoolClassForm
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


@permission_required(roles.MANAGE_SCHOOL)
def person_create_view(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_create(
                school=current_school(request),
                actor=request.user,
                **{f: form.cleaned_data[f] for f in PERSON_FIELDS},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("学员已登记。"))
            return redirect("students:person_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "students/person_form.html", {"form": form, "person": None}, status=status)


@permission_required(roles.MANAGE_SCHOOL)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """The one page that shows the full ID number and phone: the school admin's edit form, with
    the person's history (where ID numbers and phones are masked)."""
    person = person_get(person_id=person_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person=person, actor=request.user, **{f: form.cleaned_data[f] for f in PERSON_FIELDS})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("学员信息已保存。"))
            return redirect("students:person_list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": person, "history": person_history(person=person)}
    return render(request, "students/person_form.html", context, status=status)


class StudentImportView(ImportView):
    permission = roles.MANAGE_SCHOOL
    importer_class = StudentImporter
    success_url = "students:person_list"
    back_url = "students:person_list"


class TraineeImportView(ImportView):
    permission = roles.MANAGE_SCHOOL
    importer_class = TraineeImporter
    success_url = "students:person_list"
    back_url = "students:person_list"


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
    if form.is_valid():
        try:
            major_create(school=current_school(request), name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("专业已添加。"))
            return redirect("students:class_list")
    return _classes_page(request, status=400, major_form=form)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def class_create_view(request: HttpRequest) -> HttpResponse:
    form = SchoolClassForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            school_class_create(
                school=current_school(request),
                code=data["code"],
                major=data["major"],
                enrolment_year=data["enrolment_year"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("班级已添加。"))
            return redirect("students:class_list")
    return _classes_page(request, status=400, class_form=form)


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
    if form.is_valid():
        person = person_by_id_number(form.cleaned_data["id_number"])
        if person is None:
            form.add_error("id_number", _("本校没有登记该身份证号的学员。"))
        else:
            try:
                enrolment_create(pilot_id=pilot.pk, person=person, actor=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s 已报名。") % {"name": person.name})
                return redirect("students:enrolment_list", pilot_id=pilot.pk)
    return _enrolments_page(request, pilot.pk, status=400, person_form=form)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def enrol_class(request: HttpRequest, pilot_id: int) -> HttpResponse:
    pilot = enrolment_pilot(pilot_id=pilot_id)
    form = EnrolClassForm(request.POST)
    if form.is_valid():
        try:
            count = enrolment_create_for_class(
                pilot_id=pilot.pk, school_class=form.cleaned_data["school_class"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已为整班报名 %(n)s 人。") % {"n": count})
            return redirect("students:enrolment_list", pilot_id=pilot.pk)
    return _enrolments_page(request, pilot.pk, status=400, class_form=form)


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

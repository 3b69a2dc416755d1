from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.feedback import job_started
from core.permissions import permission_required

from . import roles
from .forms import LoginForm, SchoolForm, StaffQualificationForm
from .models import StaffQualification
from .selectors import SESSION_KEY, current_school, school_members, tenant_choices
from .services import school_update, staff_qualification_create
from .tasks import render_school_profile


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    permission = None  # any logged-in user
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, _("密码已修改。"))
        return super().form_valid(form)


@permission_required(None)
@require_POST
def switch_tenant(request: HttpRequest) -> HttpResponse:
    """Make another of the user's memberships the active one for this session."""
    wanted = request.POST.get("membership", "")
    if wanted in {value for value, _label in tenant_choices(request.user)}:
        request.session[SESSION_KEY] = wanted
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "home")


@permission_required(roles.VIEW_SCHOOL)
def school_detail(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    can_edit = request.tenant.has(roles.MANAGE_SCHOOL)
    form = SchoolForm(instance=school) if can_edit else None
    return render(request, "accounts/school_detail.html", {"school": school, "form": form})


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def school_edit(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    form = SchoolForm(request.POST, instance=school)
    if form.is_valid():
        school_update(school=school, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, _("学校信息已保存。"))
        return redirect("accounts:school")
    school.refresh_from_db()
    return render(request, "accounts/school_detail.html", {"school": school, "form": form}, status=400)


@permission_required(roles.VIEW_SCHOOL)
@require_POST
def school_profile_pdf(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    title = _("学校简介 PDF：%(name)s") % {"name": school.name}
    return job_started(request, task=render_school_profile, kind="school_profile_pdf", title=title)


@permission_required(roles.VIEW_SCHOOL)
def staff_list(request: HttpRequest) -> HttpResponse:
    qualifications = StaffQualification.objects.select_related("user", "certificate").order_by(
        "user__full_name", "kind"
    )
    form = None
    if request.tenant.has(roles.MANAGE_STAFF):
        form = StaffQualificationForm(users=school_members())
    return render(request, "accounts/staff_list.html", {"qualifications": qualifications, "form": form})


@permission_required(roles.MANAGE_STAFF)
@require_POST
def staff_create(request: HttpRequest) -> HttpResponse:
    form = StaffQualificationForm(request.POST, users=school_members())
    if form.is_valid():
        data = form.cleaned_data
        staff_qualification_create(
            school=current_school(request),
            user=data["user"],
            kind=data["kind"],
            certificate_id=data["certificate"].pk,
            obtained_on=data["obtained_on"],
            document_number=data["document_number"],
        )
        messages.success(request, _("师资资格已登记。"))
        return redirect("accounts:staff")
    qualifications = StaffQualification.objects.select_related("user", "certificate")
    return render(request, "accounts/staff_list.html", {"qualifications": qualifications, "form": form}, status=400)

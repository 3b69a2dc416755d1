"""Roles and what each may do. Views declare one of these permissions (core.permissions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SCHOOL_ADMIN = "school_admin", _("学校管理员")
    TEACHER = "teacher", _("教师")
    REVIEWER = "reviewer", _("培训评价组织审核员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


# Permission names, one per kind of act.
VIEW_SCHOOL = "view_school"  # the school's pilots, students, sites (read)
MANAGE_SCHOOL = "manage_school"  # pilots, students, site applications, scheduling
MANAGE_FUNDING = "manage_funding"
ENTER_RESULTS = "enter_results"
VIEW_ORGANISATION = "view_organisation"  # pilots and results of the organisation's certificates
REVIEW = "review"  # pilot and site applications
ISSUE_CERTIFICATES = "issue_certificates"
MANAGE_CATALOGUE = "manage_catalogue"
VIEW_REPORTS = "view_reports"
MANAGE_STAFF = "manage_staff"  # staff qualifications
VIEW_SETTLEMENTS = "view_settlements"  # exam-fee settlement statements: the school's and the organisation's

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SCHOOL_ADMIN: frozenset(
        {
            VIEW_SCHOOL,
            MANAGE_SCHOOL,
            MANAGE_FUNDING,
            VIEW_REPORTS,
            MANAGE_STAFF,
            ISSUE_CERTIFICATES,
            ENTER_RESULTS,  # the school admin enters and corrects results too
            VIEW_SETTLEMENTS,
        }
    ),
    Role.TEACHER: frozenset({VIEW_SCHOOL, ENTER_RESULTS, VIEW_REPORTS}),
    Role.REVIEWER: frozenset({VIEW_ORGANISATION, REVIEW, ISSUE_CERTIFICATES, VIEW_REPORTS, VIEW_SETTLEMENTS}),
    Role.PLATFORM_ADMIN: frozenset({MANAGE_CATALOGUE, VIEW_REPORTS}),
}

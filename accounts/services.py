"""Writes of accounts."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.models import StoredFile
from core.pdf import render_pdf

from .models import Membership, Organisation, School, StaffQualification, User
from .roles import Role


def school_update(*, school: School, **fields) -> School:
    for name, value in fields.items():
        setattr(school, name, value)
    school.full_clean()
    school.save(update_fields=list(fields))
    return school


def school_profile_pdf(*, school_id: int, owner_id: int | None) -> StoredFile:
    """The one-page PDF of a school's profile (runs in the worker)."""
    school = School.objects.get(pk=school_id)
    return render_pdf(
        template_name="accounts/pdf/school_profile.html",
        context={"school": school, "printed_on": timezone.localdate()},
        filename=f"school-profile-{school.pk}.pdf",
        owner_id=owner_id,
    )


def staff_qualification_create(
    *, school: School, user: User, kind: str, certificate_id: int, obtained_on: date, document_number: str = ""
) -> StaffQualification:
    qualification = StaffQualification(
        school=school,
        user=user,
        kind=kind,
        certificate_id=certificate_id,
        obtained_on=obtained_on,
        document_number=document_number,
    )
    qualification.full_clean()
    qualification.save()
    return qualification


@transaction.atomic
def user_with_membership(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    school: School | None = None,
    organisation: Organisation | None = None,
) -> User:
    """Create (or reset) a user acting for one tenant. Used by seed_demo and tests."""
    user, _created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    user.full_name = full_name
    user.is_staff = role == Role.PLATFORM_ADMIN
    user.is_superuser = role == Role.PLATFORM_ADMIN
    user.set_password(password)
    user.save()
    if role != Role.PLATFORM_ADMIN:
        Membership._base_manager.get_or_create(user=user, school=school, organisation=organisation, role=role)
    return user

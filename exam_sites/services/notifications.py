"""Who an application's change of status concerns: the e-mail to the other side, and the rule that only
the certificate organisation's reviewers decide. Recipients belong to another tenant than the actor,
so memberships are read by explicit key, like ``accounts.selectors.memberships_of``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from accounts.roles import Role

from ..models import SiteApplication


def _emails(users: Iterable[User]) -> list[str]:
    return sorted({u.email for u in users if u.email})


def school_admins(application: SiteApplication) -> list[User]:
    ids = Membership._base_manager.filter(
        school_id=application.school_id, role=Role.SCHOOL_ADMIN, is_active=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def reviewers(application: SiteApplication) -> list[User]:
    ids = Membership._base_manager.filter(
        organisation_id=application.certificate.organisation_id, role=Role.REVIEWER, is_active=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def require_reviewer(application: SiteApplication, actor: User) -> None:
    owner_id = application.certificate.organisation_id
    may = Membership._base_manager.filter(
        user=actor, organisation_id=owner_id, role=Role.REVIEWER, is_active=True
    ).exists()
    if not may:
        raise ValidationError(_("只有该证书所属培训评价组织的审核员可以审批此申报。"))


def notify(application: SiteApplication, recipients: list[User], comment: str = "") -> None:
    """E-mail once the change is committed (console backend by default)."""
    to = _emails(recipients)
    if not to:
        return
    subject = _("考点申报「%(name)s」：%(status)s") % {
        "name": application.unit_name or application.school.name,
        "status": application.get_status_display(),
    }
    lines = [
        _("证书：%(certificate)s") % {"certificate": application.certificate.name},
        _("申报类型：%(kind)s") % {"kind": application.get_kind_display()},
        _("状态：%(status)s") % {"status": application.get_status_display()},
    ]
    if comment:
        lines.append(_("意见：%(comment)s") % {"comment": comment})
    body = "\n".join(lines)
    transaction.on_commit(lambda: send_mail(subject, body, None, to, fail_silently=True))

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager

from .roles import Role


class User(AbstractUser):
    """A person who logs in. Tenancy comes from memberships, never from the user row."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username


class School(models.Model):
    class Kind(models.TextChoices):
        PUBLIC_SECONDARY = "public_secondary", _("公办中职")
        PRIVATE_SECONDARY = "private_secondary", _("民办中职")
        HIGHER_VOCATIONAL = "higher_vocational", _("高职")
        TECHNICIAN = "technician", _("技工院校")
        UNDERGRADUATE = "undergraduate", _("应用型本科")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    kind = models.CharField(_("办学类型"), max_length=30, choices=Kind.choices, default=Kind.PUBLIC_SECONDARY)
    founded_year = models.PositiveSmallIntegerField(_("建校年份"), null=True, blank=True)
    profile = models.TextField(_("单位简介"), blank=True)
    is_pilot_school = models.BooleanField(_("是否试点院校"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A training-evaluation organisation (培训评价组织): owns certificates."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # Whether school admins may record certificates for this organisation's certificates.
    schools_may_issue = models.BooleanField(_("允许学校登记证书"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训评价组织")
        verbose_name_plural = _("培训评价组织")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user acting for a school (admin or teacher) or an organisation (reviewer)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户"))
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("学校")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("培训评价组织"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="school", organisation="organisation")

    class Meta:
        verbose_name = _("成员身份")
        verbose_name_plural = _("成员身份")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="membership_school_roles_or_org_reviewer",
                condition=(
                    Q(school__isnull=False, organisation__isnull=True, role__in=["school_admin", "teacher"])
                    | Q(school__isnull=True, organisation__isnull=False, role="reviewer")
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                name="membership_unique_school_role",
                condition=Q(school__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique_organisation",
                condition=Q(organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.tenant_name} · {self.get_role_display()}"

    @property
    def tenant_name(self) -> str:
        return str(self.school or self.organisation)


class StaffQualification(models.Model):
    """A teacher's qualification: trainer (培训师), assessor (考评员) or invigilator (督考)."""

    class Kind(models.TextChoices):
        TRAINER = "trainer", _("培训师")
        ASSESSOR = "assessor", _("考评员")
        INVIGILATOR = "invigilator", _("督考")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("学校"))
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("教师"))
    kind = models.CharField(_("资格类别"), max_length=20, choices=Kind.choices)
    certificate = models.ForeignKey(
        "pilots.Certificate", on_delete=models.PROTECT, related_name="qualifications", verbose_name=_("证书")
    )
    obtained_on = models.DateField(_("取得日期"))
    document_number = models.CharField(_("资格证编号"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="school")

    class Meta:
        verbose_name = _("师资资格")
        verbose_name_plural = _("师资资格")
        ordering = ["-obtained_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user", "kind", "certificate"], name="qualification_unique_per_certificate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.certificate}"

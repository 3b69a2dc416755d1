from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.masking import mask_id_number, mask_phone
from core.scoping import TenantManager

from .validators import validate_id_number, validate_phone


class Major(models.Model):
    """A school's major (专业), e.g. 数控技术应用."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="majors", verbose_name=_("学校")
    )
    name = models.CharField(_("专业名称"), max_length=60)

    objects = TenantManager(school="school")

    class Meta:
        verbose_name = _("专业")
        verbose_name_plural = _("专业")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="major_unique_per_school")]

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """A class (班级) by its code (班号), e.g. "20数控1"."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="classes", verbose_name=_("学校")
    )
    code = models.CharField(_("班号"), max_length=40)
    major = models.ForeignKey(
        Major, null=True, blank=True, on_delete=models.SET_NULL, related_name="classes", verbose_name=_("专业")
    )
    enrolment_year = models.PositiveSmallIntegerField(_("入学年份"), null=True, blank=True)

    objects = TenantManager(school="school")

    class Meta:
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        ordering = ["-enrolment_year", "code"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="school_class_unique_code")]

    def __str__(self) -> str:
        return self.code


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class PersonKind(models.TextChoices):
    STUDENT = "student", _("学生")
    TRAINEE = "trainee", _("社会学员")


class Person(models.Model):
    """A student (学生) or a social trainee (社会学员) of one school.

    ``id_number`` is personal data: it is read by the selectors ``person_by_id_number`` and
    ``persons_by_id_numbers`` only, so that it can be encrypted later without touching callers, and
    shown masked everywhere except the edit form of a school admin.
    """

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="people", verbose_name=_("学校")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=PersonKind.choices, default=PersonKind.STUDENT)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, validators=[validate_id_number])
    # students
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name=_("班级")
    )
    major = models.ForeignKey(
        Major, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name=_("专业")
    )
    enrolment_year = models.PositiveSmallIntegerField(_("入学年份"), null=True, blank=True)
    expected_graduation_year = models.PositiveSmallIntegerField(_("预计毕业年份"), null=True, blank=True)
    # trainees
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True, validators=[validate_phone])
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(school="school", organisation=None)

    class Meta:
        verbose_name = _("学员")
        verbose_name_plural = _("学员")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "id_number"], name="person_unique_id_number_per_school"),
            models.CheckConstraint(name="person_kind_valid", condition=Q(kind__in=["student", "trainee"])),
            models.CheckConstraint(
                name="person_graduation_after_enrolment",
                condition=Q(enrolment_year__isnull=True)
                | Q(expected_graduation_year__isnull=True)
                | Q(expected_graduation_year__gte=models.F("enrolment_year")),
            ),
        ]
        indexes = [models.Index(fields=["school", "name"], name="person_school_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Enrolment(models.Model):
    """A person in a pilot (报名): at most one per person per pilot, never beyond the quota."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("学员"))
    pilot = models.ForeignKey(
        "pilots.Pilot", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("试点")
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager(school="pilot__school", organisation="pilot__certificate__organisation")

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "pilot"], name="enrolment_unique_person_pilot")]

    def __str__(self) -> str:
        return f"{self.person} · {self.pilot}"

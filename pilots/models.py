from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    ELEMENTARY = "elementary", _("初级")
    INTERMEDIATE = "intermediate", _("中级")
    ADVANCED = "advanced", _("高级")


class Certificate(models.Model):
    """A catalogue entry: a vocational skill-level certificate (职业技能等级证书) and its owner.

    The catalogue is platform-wide, not a tenant's: every logged-in user may read it; platform
    admins maintain it.
    """

    name = models.CharField(_("证书名称"), max_length=100, unique=True)
    code = models.CharField(_("证书代码"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("培训评价组织")
    )
    has_theory = models.BooleanField(_("含理论考核"), default=True)
    has_practical = models.BooleanField(_("含实操考核"), default=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("职业技能等级证书")
        verbose_name_plural = _("职业技能等级证书")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CertificateLevel(models.Model):
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="levels", verbose_name=_("证书")
    )
    level = models.CharField(_("等级"), max_length=20, choices=Level.choices)
    pass_mark = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=1, default=60)

    class Meta:
        verbose_name = _("证书等级")
        verbose_name_plural = _("证书等级")
        ordering = ["certificate", "level"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "level"], name="certificate_level_unique"),
            models.CheckConstraint(
                name="certificate_level_pass_mark_range", condition=models.Q(pass_mark__gte=0, pass_mark__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.get_level_display()}"

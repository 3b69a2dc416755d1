"""The exam-fee settlement statement (考核费结算单) between a school and an organisation for a year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager


class Settlement(models.Model):
    """Only its header is stored: the candidates assessed and the amount due are computed from the
    results (``funding.selectors.settlements``), the amount paid from the spendings that name it. The
    school and the organisation read the same rows through their own scope, so both see the same
    statement to the fen.
    """

    school = models.ForeignKey(
        "accounts.School", on_delete=models.PROTECT, related_name="settlements", verbose_name=_("学校")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="settlements", verbose_name=_("培训评价组织")
    )
    year = models.PositiveSmallIntegerField(_("试点年度"))
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="school", organisation="organisation")

    class Meta:
        verbose_name = _("考核费结算单")
        verbose_name_plural = _("考核费结算单")
        ordering = ["-year", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "organisation", "year"], name="settlement_unique_year"),
            models.CheckConstraint(name="settlement_year_plausible", condition=Q(year__gte=2000, year__lte=2100)),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.organisation}"

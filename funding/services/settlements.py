"""Settlement statements (考核费结算单): only their header is stored.

The candidates and the amount due are computed (``funding.selectors.settlements``); a payment is a
spending that names the statement (``funding.services.spending.spending_create(settlement=...)``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, School, User
from funding.history import log_settlement
from funding.models import Settlement
from funding.selectors.projects import GRANTED
from pilots.models import Pilot

MIN_YEAR, MAX_YEAR = 2000, 2100


def _duplicate(organisation: Organisation, year: int) -> ValidationError:
    return ValidationError(
        _("与%(organisation)s的 %(year)s 年度考核费结算单已存在，不能重复生成。")
        % {"organisation": organisation.name, "year": year}
    )


def settlement_create(
    *, school: School, organisation: Organisation, year: int, actor: User | None, note: str = ""
) -> Settlement:
    """Open the statement of a school and an organisation for a year: one per pair and year.

    Only for an organisation whose certificate the school pilots that year (a granted pilot), so a
    school cannot address statements to organisations it has nothing to settle with.
    """
    year = int(year)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("年度须在 %(min)s 到 %(max)s 之间。") % {"min": MIN_YEAR, "max": MAX_YEAR})
    pilots = Pilot.objects.filter(school=school, certificate__organisation=organisation, year=year, status__in=GRANTED)
    if not pilots.exists():
        raise ValidationError(
            _("本校 %(year)s 年度没有%(organisation)s证书的试点，不能生成结算单。")
            % {"organisation": organisation.name, "year": year}
        )
    if Settlement.objects.filter(school=school, organisation=organisation, year=year).exists():
        raise _duplicate(organisation, year)
    settlement = Settlement(school=school, organisation=organisation, year=year, note=note.strip(), created_by=actor)
    try:
        # Two admins clicking at once: the unique constraint keeps one, the other gets the message.
        with transaction.atomic():
            settlement.save()
            data = {"organisation": organisation.name, "year": year, "note": settlement.note}
            log_settlement(settlement, "funding.settlement.created", actor=actor, data=data)
    except IntegrityError as exc:
        raise _duplicate(organisation, year) from exc
    return settlement

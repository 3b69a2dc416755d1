"""The rules of a score: its range, pass or fail from the level's pass mark, and the parts that carry
over to a retake (补考). Reads only; ``services/results.py`` applies them.

- A score is 0–100 with at most one decimal; a part the certificate does not have is refused; an
  absent candidate (缺考) has no score of their own.
- Pass (合格) when every part the certificate has reaches the level's pass mark, else fail.
- Where the certificate has theory and practical, a part passed in an earlier attempt carries over
  while the retake is within ``RESULT_CARRY_OVER_YEARS`` of the day it was sat.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from exam_sites.models import Batch, Seat
from pilots.models import CertificateLevel

from .models import Result

Outcome = Result.Outcome
ONE_DECIMAL = Decimal("0.1")


def pass_mark_for(batch: Batch) -> Decimal:
    """The pass mark of the batch's certificate level (the catalogue)."""
    level = CertificateLevel.objects.filter(certificate_id=batch.pilot.certificate_id, level=batch.pilot.level).first()
    if level is None:
        raise ValidationError(_("证书目录中没有该等级的合格分数线，请联系平台管理员。"))
    return level.pass_mark


def parse_score(value: Any, label: str) -> Decimal | None:
    """A typed score as a Decimal of one place (None when empty), or a ValidationError naming the part."""
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("%(part)s须为数字。") % {"part": label}) from exc
    if not score.is_finite() or score < 0 or score > 100:
        raise ValidationError(_("%(part)s须在 0 到 100 之间。") % {"part": label})
    if score != score.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP):
        raise ValidationError(_("%(part)s最多保留一位小数。") % {"part": label})
    return score.quantize(ONE_DECIMAL)


@dataclass(frozen=True)
class Computed:
    theory: Decimal | None
    practical: Decimal | None
    absent: bool
    outcome: str


def compute(
    *,
    batch: Batch,
    pass_mark: Decimal,
    theory: Any,
    practical: Any,
    absent: bool,
    carried: Result | None = None,
    allow_empty: bool = False,
) -> Computed:
    """Validate one row and compute its outcome. A carried-over part keeps its stored value."""
    certificate = batch.pilot.certificate
    theory_carried = carried is not None and carried.theory_carried
    practical_carried = carried is not None and carried.practical_carried
    theory_value = carried.theory if theory_carried else parse_score(theory, str(_("理论成绩")))
    practical_value = carried.practical if practical_carried else parse_score(practical, str(_("实操成绩")))
    if not certificate.has_theory and theory_value is not None:
        raise ValidationError(_("该证书没有理论考核，不能填写理论成绩。"))
    if not certificate.has_practical and practical_value is not None:
        raise ValidationError(_("该证书没有实操考核，不能填写实操成绩。"))
    if absent:
        if (theory_value is not None and not theory_carried) or (practical_value is not None and not practical_carried):
            raise ValidationError(_("缺考的考生不能填写成绩。"))
        return Computed(theory_value, practical_value, True, Outcome.ABSENT)
    entered = [
        v
        for v, carried_part in ((theory_value, theory_carried), (practical_value, practical_carried))
        if v is not None and not carried_part
    ]
    if allow_empty and not entered:
        return Computed(theory_value, practical_value, False, Outcome.PENDING)
    missing = []
    if certificate.has_theory and theory_value is None:
        missing.append(str(_("理论成绩")))
    if certificate.has_practical and practical_value is None:
        missing.append(str(_("实操成绩")))
    if missing:
        raise ValidationError(_("请填写%(parts)s，或标记缺考。") % {"parts": "、".join(missing)})
    required = [v for v in (theory_value, practical_value) if v is not None]
    outcome = Outcome.PASS if all(v >= pass_mark for v in required) else Outcome.FAIL
    return Computed(theory_value, practical_value, False, outcome)


def years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def carried_parts(seat: Seat, attempts: list[Result]) -> dict[str, tuple[Decimal, datetime.date]]:
    """The parts passed in an earlier attempt, within ``RESULT_CARRY_OVER_YEARS`` of it."""
    certificate = seat.batch.pilot.certificate
    if not (certificate.has_theory and certificate.has_practical):
        return {}
    pass_mark = pass_mark_for(seat.batch)
    years = settings.RESULT_CARRY_OVER_YEARS
    carried: dict[str, tuple[Decimal, datetime.date]] = {}
    for part in ("theory", "practical"):
        for attempt in attempts:
            value = getattr(attempt, part)
            passed_on = attempt.seat.session.date
            if getattr(attempt, f"{part}_carried") or attempt.absent or value is None:
                continue  # only a part actually sat and passed counts, from the day it was sat
            if value >= pass_mark and seat.session.date <= years_later(passed_on, years):
                carried[part] = (value, passed_on)
            break  # the latest sitting of the part decides
    return carried

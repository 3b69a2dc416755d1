"""Writes of announcements and their rounds (the organisation): create, add a round, publish.

Every rule a user can break is answered with a ValidationError that names the rule and the numbers.
Publishing leaves ``scheduling.announcement.published`` in the audit log, seen by the organisation
(and, through ``selectors.announcements``, by the schools that may read the announcement).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from core.audit import record
from pilots.models import Certificate, Level

from ..models import Announcement, Round
from .common import day_text, levels_label


def announcement_create(
    *, organisation: Organisation, certificate: Certificate, year: int, title: str, body: str = ""
) -> Announcement:
    if certificate.organisation_id != organisation.pk:
        raise ValidationError(
            _("只能为本组织的证书发布年度鉴定公告：「%(certificate)s」不属于本组织。")
            % {"certificate": certificate.name}
        )
    if not 2019 <= year <= 2100:
        raise ValidationError(_("年度须在 2019 到 2100 之间，填写的是 %(year)s。") % {"year": year})
    if Announcement.objects.filter(certificate=certificate, year=year).exists():
        raise ValidationError(
            _("「%(certificate)s」%(year)s 年度的鉴定公告已存在，每个证书每年只发一份公告，可在其中增加轮次。")
            % {"certificate": certificate.name, "year": year}
        )
    try:
        with transaction.atomic():
            return Announcement.objects.create(
                organisation=organisation, certificate=certificate, year=year, title=title, body=body
            )
    except IntegrityError as exc:  # the same announcement created at the same moment
        raise ValidationError(
            _("「%(certificate)s」%(year)s 年度的鉴定公告已存在。") % {"certificate": certificate.name, "year": year}
        ) from exc


def _round_errors(
    *, announcement: Announcement, starts_on: date, ends_on: date, registration_closes_on: date, chosen: list[str]
) -> list[str]:
    errors = []
    if ends_on < starts_on:
        errors.append(
            _("考核结束日期（%(end)s）不能早于开始日期（%(start)s）。")
            % {"end": day_text(ends_on), "start": day_text(starts_on)}
        )
    if registration_closes_on > ends_on:
        errors.append(
            _("报名截止日期（%(close)s）不能晚于考核结束日期（%(end)s）。")
            % {"close": day_text(registration_closes_on), "end": day_text(ends_on)}
        )
    if starts_on.year != announcement.year or ends_on.year != announcement.year:
        errors.append(
            _("轮次须在公告年度 %(year)s 年之内，填写的是 %(start)s 至 %(end)s。")
            % {"year": announcement.year, "start": day_text(starts_on), "end": day_text(ends_on)}
        )
    offered = set(announcement.certificate.levels.values_list("level", flat=True))
    if not chosen:
        errors.append(_("请至少选择一个考核等级。"))
    elif not set(chosen) <= offered:
        errors.append(
            _("「%(certificate)s」只设 %(offered)s，不能安排 %(chosen)s。")
            % {
                "certificate": announcement.certificate.name,
                "offered": levels_label(offered),
                "chosen": levels_label(set(chosen) - offered),
            }
        )
    return errors


def round_create(
    *,
    announcement: Announcement,
    name: str,
    starts_on: date,
    ends_on: date,
    registration_closes_on: date,
    levels: list[str],
) -> Round:
    chosen = [v for v in Level.values if v in set(levels)]
    errors = _round_errors(
        announcement=announcement,
        starts_on=starts_on,
        ends_on=ends_on,
        registration_closes_on=registration_closes_on,
        chosen=chosen,
    )
    if errors:
        raise ValidationError(errors)
    return Round.objects.create(
        announcement=announcement,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        registration_closes_on=registration_closes_on,
        levels=chosen,
    )


def announcement_publish(*, announcement: Announcement, actor: User) -> Announcement:
    with transaction.atomic():
        # Lock the row: a round deleted or a second publish at the same moment sees the final state.
        announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if announcement.published_at is not None:
            raise ValidationError(
                _("该公告已于 %(when)s 发布。")
                % {"when": timezone.localtime(announcement.published_at).strftime("%Y-%m-%d %H:%M")}
            )
        rounds = list(Round.objects.filter(announcement=announcement).order_by("starts_on", "id"))
        if not rounds:
            raise ValidationError(_("公告至少要有一个轮次才能发布：当前有 0 个轮次。"))
        # The line first: the publication's time is the line's, so both read the same moment.
        line = record(
            announcement,
            "scheduling.announcement.published",
            actor=actor,
            data={"title": announcement.title, "round_ids": [r.pk for r in rounds], "rounds": [r.name for r in rounds]},
        )
        announcement.published_at = line.at
        announcement.save(update_fields=["published_at"])
    return announcement

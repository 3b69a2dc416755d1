"""Checks of personal identifiers: the national ID number (GB 11643-1999) and phones."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def id_number_check_digit(first17: str) -> str:
    """The 18th character of an ID number whose first 17 digits are given."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CODES[total % 11]


def normalise_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def validate_id_number(value: str) -> None:
    """18 characters, a region code, a plausible birth date and the GB 11643 check digit."""
    text = normalise_id_number(value)
    if len(text) != 18:
        raise ValidationError(_("身份证号须为 18 位。"), code="id_length")
    if not re.fullmatch(r"[1-9]\d{16}[\dX]", text):
        raise ValidationError(_("身份证号前 17 位须为数字，最后一位为数字或 X。"), code="id_chars")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError as exc:
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth") from exc
    today = timezone.localdate()
    if born > today or born.year < today.year - 100:
        raise ValidationError(_("身份证号中的出生日期不合理。"), code="id_birth")
    if id_number_check_digit(text[:17]) != text[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对。"), code="id_check")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").replace("—", "-")


def validate_phone(value: str) -> None:
    """A mainland mobile (1[3-9] and nine digits) or a landline with its area code (020-12345678)."""
    text = normalise_phone(value)
    if not (MOBILE.fullmatch(text) or LANDLINE.fullmatch(text)):
        raise ValidationError(_("电话须为 11 位手机号或带区号的固定电话（如 020-12345678）。"), code="phone")

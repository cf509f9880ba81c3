"""Validators for personal identifiers: the resident ID number and phone numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}$")


def id_check_digit(first17: str) -> str:
    """Return the check character of an 18-character ID number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def validate_id_number(value: str) -> None:
    """Refuse a resident ID number that is not 18 characters, has a bad date or check digit.

    An empty value passes (the field is optional). A lower-case x is refused: the form and the
    importer upper-case it before validating. Raises ValidationError with a Chinese message.
    """
    if not value:
        return
    if not _ID_RE.match(value):
        raise ValidationError(
            "身份证号应为18位：前17位为数字，最后一位为数字或大写X。", code="format"
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        birth = None
    # A birth date in the future is as impossible as 30 February.
    if birth is None or birth > dt.date.today():
        raise ValidationError("身份证号中的出生日期不存在，请核对第7至14位。", code="birth")
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError("身份证号校验位不正确，请核对是否录错。", code="check")


def validate_phone(value: str) -> None:
    """Refuse a phone number that is neither an 11-digit mobile nor a landline (023-12345678)."""
    if not value:
        return
    if not (_MOBILE_RE.match(value) or _LANDLINE_RE.match(value)):
        raise ValidationError("联系电话应为11位手机号或固定电话（如 023-59201234）。", code="phone")

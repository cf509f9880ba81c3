"""Password rules beyond Django's own: characters of at least three of four classes."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
)


def character_classes(password: str) -> int:
    """Return how many of the four classes (upper, lower, digit, other) `password` uses."""
    used = {name for c in password for name, test in CLASSES if c.isascii() and test(c)}
    others = any(not (c.isascii() and c.isalnum()) for c in password)
    return len(used) + (1 if others else 0)


class CharacterClassesValidator:
    """Require characters from at least `min_classes` of: upper case, lower case, digits, others.

    Source: GB/T 22239-2019 8.1.4.1 a (身份鉴别信息具有复杂度要求). Raises ValidationError with
    code "password_too_simple".
    """

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese (Django's zh-hans lacks this plural)."""

    def get_error_message(self) -> str:
        return f"密码长度太短：至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"你的密码必须包含至少 {self.min_length} 个字符。"

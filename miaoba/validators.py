"""Password rules beyond Django's own: three of four character classes; no common password
or common password in disguise."""

from __future__ import annotations

import functools
import re

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


# --- Common passwords and their kin ----------------------------------------------------------

# Letters people swap for look-alike digits and symbols (P@ssw0rd is password).
_LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})  # fmt: skip


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return about 40,000 common passwords, lower case: Django's list and zxcvbn's.

    Both ship inside pinned packages (Django's `common-passwords.txt.gz`, 20,000 entries;
    zxcvbn's `passwords` frequency list, 30,000 from public leaks), so nothing is fetched at
    run time. Read once per process.
    """
    from django.contrib.auth.password_validation import CommonPasswordValidator as Django
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(Django().passwords) | frozenset(FREQUENCY_LISTS["passwords"])


def password_core(password: str) -> str:
    """Return what is left of `password` without its decoration, in lower case.

    Leading and trailing digits and symbols go, then look-alikes are read back as letters:
    "Password123!" → "password", "P@ssw0rd2024" → "password", "!Qwerty" → "qwerty".
    """
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", password.lower())
    return core.translate(_LOOK_ALIKES)


class CommonPasswordValidator:
    """Refuse a common password and its kin: the same word with capitals, look-alike
    characters, or digits and symbols around it (Password123!, P@ssw0rd2024, Admin@123456).

    Also refuse what zxcvbn (Dropbox's estimator, offline dictionaries) judges guessable in
    fewer than 10^8 tries (`min_score` 3 of 0–4): keyboard walks, dates, repeated characters.
    Source: GB/T 22239-2019 8.1.4.1 a (身份鉴别信息具有复杂度要求); NIST SP 800-63B 5.1.1.2
    (refuse values from lists of commonly-used or compromised passwords). Raises
    ValidationError with code "password_too_common" or "password_too_guessable".
    """

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        words = common_passwords()
        lowered = password.lower()
        if lowered in words:
            raise ValidationError("这个密码太常见了。", code="password_too_common")
        core = password_core(password)
        if len(core) >= 3 and core in words:
            raise ValidationError(
                "这个密码太常见了：常见密码换大小写、把字母换成相近的数字或符号、"
                "前后加数字或符号，仍然很容易被猜中。",
                code="password_too_common",
            )
        from zxcvbn import zxcvbn

        inputs = [getattr(user, f, "") or "" for f in ("username", "first_name", "last_name")]
        if zxcvbn(password[:100], user_inputs=[i for i in inputs if i])["score"] < self.min_score:
            raise ValidationError(
                "这个密码容易被猜中（如键盘上相邻的键、重复的字符、日期或常见词语），"
                "请换一个更难猜的密码。",
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return "不能是常见密码，也不能是常见密码加上数字、符号或大小写变化。"

"""Passwords: at least 12 characters of 3 of 4 classes, not common, not like the username;
stored as Argon2 hashes."""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

import miaoba.settings as project_settings
from miaoba.models import User
from miaoba.validators import character_classes


def _errors(password: str, user=None) -> list[str]:
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return [str(m) for m in exc.messages]
    return []


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefghijkl", 1), ("abcdef123456", 2), ("Abcdef123456", 3), ("Abc#ef123456", 4)],
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


@pytest.mark.django_db
def test_a_strong_password_passes():
    assert _errors("Miaoba#Clerk2020") == []


@pytest.mark.django_db
def test_eleven_characters_are_too_few():
    assert _errors("Mb#Clerk202") == ["密码长度太短：至少需要 12 个字符。"]


@pytest.mark.django_db
def test_two_character_classes_are_too_few():
    assert _errors("qwmnbvzxpo472") == ["密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"]


@pytest.mark.django_db
def test_common_password_is_refused():
    assert "这个密码太常见了。" in _errors("password123")


DISGUISED = (
    "这个密码太常见了：常见密码换大小写、把字母换成相近的数字或符号、前后加数字或符号，"
    "仍然很容易被猜中。"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    [
        "Password123!",
        "Password1234!",
        "P@ssw0rd123!",
        "Passw0rd!2024",
        "Welcome2024!",
        "Qwerty123456!",
        "Admin@123456",
        "Woaini1314!!",
        "!!Iloveyou2020",
    ],
)
def test_a_common_password_in_disguise_is_refused(password):
    """Each has 12+ characters of 3+ classes: only the common-password rule stops it."""
    assert _errors(password) == [DISGUISED]


@pytest.mark.django_db
def test_a_repeated_run_of_digits_is_refused_as_guessable():
    assert _errors("Ab!123123123") == [
        "这个密码容易被猜中（如键盘上相邻的键、重复的字符、日期或常见词语），请换一个更难猜的密码。"
    ]


def test_the_common_password_list_is_large_and_offline():
    from miaoba.validators import common_passwords

    words = common_passwords()
    assert len(words) > 40_000
    assert {"password", "woaini1314", "admin", "qwerty"} <= words


@pytest.mark.django_db
def test_changing_to_password123_is_refused_on_the_page(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Test#Passw0rd-2020",
            "new_password1": "Password123!",
            "new_password2": "Password123!",
        },
    )
    assert response.status_code == 200
    assert DISGUISED in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password("Test#Passw0rd-2020")


@pytest.mark.django_db
def test_password_like_the_username_is_refused():
    user = User(username="zhangwenjing")
    assert "密码跟 用户名 太相似了。" in _errors("Zhangwenjing1", user)


def test_minimum_length_is_a_setting():
    lengths = [
        v["OPTIONS"]["min_length"]
        for v in project_settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"] == "miaoba.validators.MinimumLengthValidator"
    ]
    assert lengths == [12]


@pytest.mark.django_db
def test_password_change_page_refuses_a_simple_password(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Test#Passw0rd-2020",
            "new_password1": "qwmnbvzxpo4721",
            "new_password2": "qwmnbvzxpo4721",
        },
    )
    assert response.status_code == 200
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。" in response.content.decode()


def test_project_hashes_with_argon2_first():
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_argon2_hash_is_made_with_the_project_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("Miaoba#Clerk2020").startswith("argon2$argon2id$")

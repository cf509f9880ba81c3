"""Petitioners and parties (信访人/当事人): ID numbers, phones, masking, reuse and repeats."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disputes.models import Person, mask_id_number, mask_phone
from disputes.services import find_repeats, person_resolve
from disputes.tests.builders import register_dispute, register_petition, someone
from disputes.validators import id_check_digit, validate_id_number, validate_phone
from miaoba.models import Village

VALID_ID = "50022919850312456" + id_check_digit("50022919850312456")
ID_ENDING_X = "50022919800107123X"


# --- ID numbers ------------------------------------------------------------------------------


def test_id_number_with_the_right_check_digit_is_valid():
    assert VALID_ID == "500229198503124565"

    validate_id_number(VALID_ID)


def test_id_number_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number("500229198503124566")

    assert excinfo.value.code == "check"
    assert excinfo.value.messages == ["身份证号校验位不正确，请核对是否录错。"]


def test_id_number_with_a_birth_date_that_does_not_exist_is_refused():
    first17 = "50022919900230123"  # 30 February 1990
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(first17 + id_check_digit(first17))

    assert excinfo.value.code == "birth"


def test_id_number_with_a_birth_date_in_the_future_is_refused():
    first17 = f"500229{dt.date.today().year + 1}0101123"
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(first17 + id_check_digit(first17))

    assert excinfo.value.code == "birth"


def test_id_number_of_wrong_length_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number("50022919850312456")

    assert excinfo.value.code == "format"


def test_id_number_ending_in_x_checks_out():
    assert id_check_digit(ID_ENDING_X[:17]) == "X"

    validate_id_number(ID_ENDING_X)


@pytest.mark.django_db
def test_person_save_upper_cases_a_lower_case_x():
    person = Person.objects.create(name="张三", id_number=ID_ENDING_X.lower())

    person.refresh_from_db()
    assert person.id_number == ID_ENDING_X


@pytest.mark.django_db
def test_person_resolve_upper_cases_a_lower_case_x():
    person = person_resolve(someone(id_number=" " + ID_ENDING_X.lower()))

    assert person.id_number == ID_ENDING_X


@pytest.mark.django_db
def test_person_resolve_refuses_a_bad_id_number():
    with pytest.raises(ValidationError) as excinfo:
        person_resolve(someone(id_number="500229198503124566"))

    assert "id_number" in excinfo.value.message_dict
    assert not Person.objects.exists()


# --- Phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["13800138000", "023-59201234", "02359201234"])
def test_mobile_and_landline_numbers_are_valid(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "12800138000", "138001380001"])
def test_malformed_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError) as excinfo:
        validate_phone(phone)

    assert excinfo.value.messages == ["联系电话应为11位手机号或固定电话（如 023-59201234）。"]


# --- Masking ---------------------------------------------------------------------------------


def test_masking_keeps_the_first_three_and_last_four_characters():
    person = Person(name="张三", id_number=ID_ENDING_X, phone="13800138000")

    assert person.masked_id_number == "500***********123X"
    assert person.masked_phone == "138****8000"
    assert mask_phone("023-59201234") == "023*****1234"
    assert mask_id_number("") == ""


# --- Reuse and repeats -----------------------------------------------------------------------


@pytest.mark.django_db
def test_person_resolve_reuses_a_person_by_id_number_and_fills_blanks():
    first = person_resolve(someone("张三", id_number=ID_ENDING_X))

    again = person_resolve(someone("张 三", id_number=ID_ENDING_X.lower(), phone="13800138000"))

    assert again.pk == first.pk
    assert again.name == "张三"
    assert again.phone == "13800138000"
    assert Person.objects.count() == 1


@pytest.fixture
def village(db) -> Village:
    return Village.objects.create(name="庙坝村")


@pytest.fixture
def earlier(clerk, justice_office, village):
    """A petition of 张三 (ID, phone and village known) received on 1 March 2020."""
    return register_petition(
        by=clerk,
        unit=justice_office,
        received_on=dt.date(2020, 3, 1),
        petitioners=[
            someone("张三", id_number=VALID_ID, phone="13800138000", village_id=village.pk)
        ],
    )


@pytest.mark.django_db
def test_repeat_is_found_by_id_number(earlier):
    petitions, disputes = find_repeats(
        [someone("张叁", id_number=VALID_ID)], on=dt.date(2021, 2, 1)
    )

    assert petitions == [earlier]
    assert disputes == []


@pytest.mark.django_db
def test_repeat_is_found_by_phone_without_an_id_number(earlier):
    petitions, _ = find_repeats([someone("张叁", phone="13800138000")], on=dt.date(2021, 2, 1))

    assert petitions == [earlier]


@pytest.mark.django_db
def test_repeat_is_found_by_name_and_village_without_id_or_phone(earlier, village):
    petitions, _ = find_repeats([someone("张三", village_id=village.pk)], on=dt.date(2021, 2, 1))
    others, _ = find_repeats([someone("李四", village_id=village.pk)], on=dt.date(2021, 2, 1))

    assert petitions == [earlier]
    assert others == []


@pytest.mark.django_db
def test_petition_exactly_twelve_months_earlier_is_a_repeat(earlier):
    petitions, _ = find_repeats([someone("张三", id_number=VALID_ID)], on=dt.date(2021, 3, 1))

    assert petitions == [earlier]


@pytest.mark.django_db
def test_twelve_months_across_29_february_still_count_as_a_year(clerk, justice_office):
    # 2019-03-01 to 2020-03-01 is 366 days
    earlier = register_petition(
        by=clerk,
        unit=justice_office,
        received_on=dt.date(2019, 3, 1),
        petitioners=[someone("张三", id_number=VALID_ID)],
    )

    petitions, _ = find_repeats([someone("张三", id_number=VALID_ID)], on=dt.date(2020, 3, 1))

    assert petitions == [earlier]


@pytest.mark.django_db
def test_petition_thirteen_months_earlier_is_not_a_repeat(earlier):
    petitions, disputes = find_repeats(
        [someone("张三", id_number=VALID_ID)], on=dt.date(2021, 4, 1)
    )

    assert petitions == []
    assert disputes == []


@pytest.mark.django_db
def test_repeats_exclude_the_case_being_registered_and_include_disputes(
    earlier, clerk, justice_office
):
    dispute = register_dispute(
        by=clerk,
        unit=justice_office,
        received_on=dt.date(2020, 6, 1),
        parties=[(someone("张三", id_number=VALID_ID), "申请方"), (someone("李四"), "被申请方")],
    )

    petitions, disputes = find_repeats(
        [someone("张三", id_number=VALID_ID)], on=dt.date(2020, 6, 1), exclude_dispute=dispute
    )

    assert petitions == [earlier]
    assert disputes == []
    _, disputes = find_repeats([someone("张三", id_number=VALID_ID)], on=dt.date(2020, 7, 1))
    assert disputes == [dispute]

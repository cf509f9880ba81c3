"""A person is the same person however their name or number was typed (issue 12 §5).

Names: spaces and full-width spaces are ignored, NFKC applied. Mobiles: +86, 0086, spaces,
hyphens and full-width digits reduce to 13800138000. ID numbers: full-width digits and a
lower-case x are accepted. The same rules hold on the form, in the import, in the list search
and in repeat detection.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from disputes import services as s
from disputes.models import Category, Person, Petition
from disputes.resources import PetitionResource, import_ledger
from disputes.tests.builders import register_petition
from disputes.tests.ledger_data import make_id, petition_row, village
from miaoba.cleaning import name_key, normalise_id_number, normalise_name, normalise_phone
from miaoba.tests.ledger_files import csv_text

HEADERS = PetitionResource.headers()


@pytest.mark.parametrize(
    "typed",
    [
        "+86 138-0013-8000",
        "0086 13800138000",
        "138 0013 8000",
        "１３８００１３８０００",
        "86-13800138000",
    ],
)
def test_every_common_way_of_writing_a_mobile_reduces_to_eleven_digits(typed):
    assert normalise_phone(typed) == "13800138000"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("023 59201234", "023-59201234"),
        ("(023)59201234", "023-59201234"),
        ("02359201234", "023-59201234"),
        ("0551-1234567", "0551-1234567"),
        ("59201234", "59201234"),
    ],
)
def test_a_landline_keeps_its_area_code_apart(typed, stored):
    assert normalise_phone(typed) == stored


def test_names_lose_the_spaces_typed_between_chinese_characters():
    assert [normalise_name(n) for n in ("胡　芳", "冉 芳", " 张三 ", "Zhang  San", "阿依古丽 · 买买提")] == [
        "胡芳", "冉芳", "张三", "Zhang San", "阿依古丽·买买提"
    ]  # fmt: skip
    assert name_key("胡　芳") == name_key("胡芳") == name_key("胡 芳")


def test_an_id_number_in_full_width_digits_with_a_lower_case_x_is_read():
    assert (
        normalise_id_number("５００２２９１９６０１１０１００１ｘ")
        == "500229196011010010X"[:17] + "X"
    )


@pytest.mark.django_db
def test_names_with_spaces_and_known_phones_join_the_people_already_registered(
    clerk, justice_office
):
    for name, phone in (("胡芳", "13800138000"), ("冉芳", "13900139000")):
        register_petition(
            by=clerk,
            received_on=dt.date(2021, 3, 1),
            unit=justice_office,
            summary=f"{name}反映邻居占用通道",
            petitioners=[s.PersonData(name=name, phone=phone)],
        )
    rows = [
        HEADERS,
        petition_row(信访人姓名="胡　芳", 联系电话="+86 138-0013-8000", 主要内容="再次反映"),
        petition_row(信访人姓名="冉 芳", 联系电话="0086 13900139000", 主要内容="再次反映"),
    ]

    plan = import_ledger("petitions", csv_text(rows).encode(), "台账.csv", user=clerk)

    assert plan.errors == []
    assert sorted(Person.objects.values_list("name", "phone")) == [
        ("冉芳", "13900139000"),
        ("胡芳", "13800138000"),
    ]


@pytest.mark.django_db
def test_the_import_accepts_spaced_phones_and_full_width_id_numbers(clerk):
    id_number = make_id(3)[:17] + "X" if make_id(3).endswith("X") else make_id(3)
    wide = id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    rows = [HEADERS, petition_row(联系电话="138 0013 8000", 身份证号=wide)]

    plan = import_ledger("petitions", csv_text(rows).encode(), "台账.csv", user=clerk)

    assert plan.errors == []
    assert Person.objects.values_list("phone", "id_number").get() == ("13800138000", id_number)


@pytest.mark.django_db
def test_the_form_accepts_a_phone_with_country_code_and_stores_eleven_digits(
    client, clerk, justice_office
):
    client.force_login(clerk)
    client.post(
        reverse("disputes:petition_create"),
        {
            "received_on": "2021-03-05",
            "channel": "来访",
            "category": Category.objects.get(name="邻里").pk,
            "unit": justice_office.pk,
            "summary": "反映邻居占用通道",
            "form_token": "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5c",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-name": "胡　芳",
            "people-0-phone": "+86 138-0013-8000",
            "people-0-id_number": make_id(5).lower(),
            "confirm_repeat": "1",
        },
    )

    person = Petition.objects.get().petitioners.get()
    assert (person.name, person.phone, person.id_number) == ("胡芳", "13800138000", make_id(5))


@pytest.mark.django_db
def test_the_list_search_finds_a_person_however_the_name_or_phone_is_typed(
    client, clerk, justice_office
):
    petition = register_petition(
        by=clerk,
        received_on=dt.date(2021, 3, 1),
        unit=justice_office,
        summary="反映邻居占用通道",
        petitioners=[s.PersonData(name="胡芳", phone="13800138000")],
    )
    client.force_login(clerk)

    for typed in ("胡　芳", "胡 芳", "138 0013 8000"):
        page = client.get(reverse("disputes:petition_list"), {"q": typed})
        assert petition.number in page.content.decode(), typed


@pytest.mark.django_db
def test_repeat_detection_knows_a_name_typed_with_a_space(clerk, justice_office):
    home = village("庙坝村")
    # Stored the old way (before names were normalised on the way in).
    earlier = register_petition(
        by=clerk,
        received_on=dt.date(2021, 3, 1),
        unit=justice_office,
        summary="反映邻居占用通道",
        petitioners=[s.PersonData(name="胡芳", village_id=home.pk)],
    )
    Person.objects.update(name="胡 芳")

    petitions, _ = s.find_repeats(
        [s.PersonData(name="胡　芳", village_id=home.pk)], on=dt.date(2021, 6, 1)
    )

    assert petitions == [earlier]

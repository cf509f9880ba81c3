"""A clerk learns nothing of another unit's people but that a possible repeat exists and which
unit to contact (issue 14 point 1; 《个人信息保护法》第六条 最小必要, 第十条).

Each path is walked from both sides. 司法所 (the clerk) registered 张桂兰 with her ID number,
mobile and address; 党政办公室 (the outsider, a clerk of another unit) then meets the same
person: the repeat warning, the ID-number check on the form and on import, and the details of
their own new case (page, full view, ledger) must hold nothing 司法所 entered.
"""

import datetime as dt

import pytest

from disputes import services as s
from disputes.models import Category, Person, Petition
from disputes.resources import import_ledger
from disputes.tests.builders import register_petition
from disputes.tests.ledger_data import make_id, petition_row, village
from disputes.tests.test_pages import _people_post, _petition_post
from miaoba.tests.ledger_files import xlsx_bytes

pytestmark = pytest.mark.django_db

ID = make_id(7)
PHONE = "13812345678"
ADDRESS = "庙坝镇石兴村3组12号"
SUMMARY = "反映承包地被邻居占用修建圈舍"
TAKEN = "该身份证号已有登记，请核对身份证号与姓名是否填写正确。"


@pytest.fixture
def registered(clerk, justice_office) -> Petition:
    """司法所's petition of 张桂兰, with everything about her."""
    return s.petition_register(
        by=clerk,
        received_on=dt.date.today() - dt.timedelta(days=30),
        channel="来访",
        category=Category.objects.get(name="土地征收与承包"),
        unit=justice_office,
        summary=SUMMARY,
        petitioners=[
            s.PersonData(
                name="张桂兰",
                gender="女",
                id_number=ID,
                phone=PHONE,
                address=ADDRESS,
                village_id=village("石兴村").pk,
            )
        ],
    )


def _post(unit, person: dict, **extra) -> dict:
    today = dt.date.today().isoformat()
    return _petition_post(unit, [person], received_on=today, summary="反映村道破损", **extra)


def _leaks(text: str, registered: Petition, *, form: bool = False) -> list[str]:
    """Return what of 司法所's case or person `text` holds (nothing, for another unit).

    A registration form lists every village to choose from, so there the village is no leak.
    """
    masked_phone = PHONE[:3] + "****" + PHONE[-4:]
    found = [ID, PHONE, masked_phone, ADDRESS, SUMMARY, registered.number]
    found += [] if form else ["石兴村"]
    return [x for x in found if x in text]


# --- The repeat warning ------------------------------------------------------------------------


def test_another_unit_learns_only_that_a_repeat_may_exist_and_whom_to_ask(
    client, outsider, party_office, registered
):
    client.force_login(outsider)

    response = client.post(
        "/disputes/petitions/new/", _post(party_office, {"name": "张桂兰", "phone": PHONE})
    )

    text = response.content.decode()
    assert "发现同一人近12个月内的登记记录" in text
    assert (
        "司法所近12个月内也登记过可能为同一人的记录。如需核实是否为同一事项，请联系该单位。" in text
    )
    # The phone appears once, in the form: it was typed by this clerk.
    assert _leaks(text.replace(PHONE, "", 1), registered, form=True) == []
    assert 'type="radio" name="repeat_of"' not in text
    assert Petition.objects.count() == 1


def test_the_unit_that_holds_the_case_sees_it_in_the_warning(
    client, clerk, justice_office, registered
):
    client.force_login(clerk)

    text = client.post(
        "/disputes/petitions/new/", _post(justice_office, {"name": "张桂兰", "phone": PHONE})
    ).content.decode()

    assert registered.number in text and SUMMARY[:20] in text
    assert f'type="radio" name="repeat_of" value="{registered.pk}"' in text
    assert "请联系该单位" not in text


def test_another_unit_cannot_mark_its_case_a_repeat_of_a_case_it_may_not_see(
    client, outsider, party_office, registered
):
    client.force_login(outsider)
    data = _post(
        party_office,
        {"name": "张桂兰", "phone": PHONE},
        confirm_repeat="1",
        is_repeat="on",
        repeat_of=str(registered.pk),
    )

    client.post("/disputes/petitions/new/", data)

    mine = Petition.objects.get(unit=party_office)
    assert mine.repeat_of is None


# --- The ID-number check -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "clerk"])
def test_an_id_number_on_file_under_another_name_says_so_without_the_name(
    client, request, registered, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    unit = user.units.get()

    text = client.post(
        "/disputes/petitions/new/",
        _post(unit, {"name": "王二", "id_number": ID}, confirm_repeat="1"),
    ).content.decode()

    assert TAKEN in text
    assert "张桂兰" not in text
    assert Petition.objects.count() == 1


def test_the_import_says_the_same_without_the_name(outsider, registered):
    from disputes.resources import PetitionResource

    rows = [
        PetitionResource.headers(),
        petition_row(信访人姓名="王二", 身份证号=ID, 承办单位="党政办公室"),
    ]

    plan = import_ledger("petitions", xlsx_bytes(rows), "台账.xlsx", user=outsider)

    assert [e.message for e in plan.errors] == [f"身份证号{ID[:3]}***********{ID[-4:]}：{TAKEN}"]
    assert Petition.objects.count() == 1


# --- A person's details on one's own case ------------------------------------------------------


@pytest.fixture
def outsiders_case(client, outsider, party_office, registered) -> Petition:
    """党政办公室 registers the same 张桂兰 by her ID number alone (the same person row)."""
    client.force_login(outsider)
    response = client.post(
        "/disputes/petitions/new/",
        _post(party_office, {"name": "张桂兰", "id_number": ID}, confirm_repeat="1"),
    )
    assert response.status_code == 302
    mine = Petition.objects.get(unit=party_office)
    assert mine.petitioners.get() == registered.petitioners.get()  # one person, two cases
    return mine


def test_another_units_case_of_the_same_person_shows_none_of_the_first_units_details(
    client, outsiders_case, registered
):
    page = client.get(f"/disputes/petitions/{outsiders_case.pk}/?full=1").content.decode()
    export = client.get("/ledger/petitions/export/?format=csv").content.decode("utf-8-sig")

    assert ID in page  # typed by this unit
    assert _leaks(page.replace(ID, ""), registered) == []
    assert ID in export and _leaks(export.replace(ID, ""), registered) == []


def test_the_first_unit_still_sees_what_it_entered(client, clerk, outsiders_case, registered):
    client.force_login(clerk)
    page = client.get(f"/disputes/petitions/{registered.pk}/?full=1").content.decode()
    export = client.get("/ledger/petitions/export/?format=csv").content.decode("utf-8-sig")

    for text in (page, export):
        assert ID in text and PHONE in text and ADDRESS in text
    assert "石兴村" in page
    assert outsiders_case.number not in export  # and nothing of the other unit's case


def test_a_dispute_party_shows_only_what_its_unit_entered(
    client, outsider, party_office, registered
):
    client.force_login(outsider)
    data = _people_post(
        "parties",
        [
            {"name": "张桂兰", "side": "申请方", "id_number": ID},
            {"name": "赵六", "side": "被申请方"},
        ],
        {
            "received_on": dt.date.today().isoformat(),
            "source": "当事人申请",
            "type": "邻里",
            "unit": str(party_office.pk),
            "summary": "排水沟纠纷",
            "body": "镇人民调解委员会",
            "confirm_repeat": "1",
        },
    )
    assert client.post("/disputes/cases/new/", data).status_code == 302
    dispute = party_office.dispute_set.get()

    page = client.get(f"/disputes/cases/{dispute.pk}/?full=1").content.decode()
    export = client.get("/ledger/disputes/export/?format=csv").content.decode("utf-8-sig")

    assert ID in page and _leaks(page.replace(ID, ""), registered) == []
    assert _leaks(export.replace(ID, ""), registered) == []


def test_the_migration_gives_existing_details_to_the_first_unit_only(
    clerk, outsider, justice_office, party_office
):
    """Before this change details lived on the shared person row; the migration hands them to
    the unit of the person's first case (taken to have typed them)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("disputes.migrations.0008_details_as_entered")
    first = register_petition(
        by=clerk,
        received_on=dt.date(2021, 3, 1),
        unit=justice_office,
        summary="甲",
        petitioners=[s.PersonData(name="张桂兰", id_number=ID)],
    )
    later = register_petition(
        by=outsider,
        received_on=dt.date(2021, 4, 1),
        unit=party_office,
        summary="乙",
        petitioners=[s.PersonData(name="张桂兰", id_number=ID)],
    )
    Person.objects.update(phone=PHONE, address=ADDRESS)
    first.petitioner_links.update(id_number="", phone="", address="")
    later.petitioner_links.update(id_number="", phone="", address="")

    migration.copy_to_first_unit(apps, None)

    assert list(first.petitioner_links.values_list("id_number", "phone", "address")) == [
        (ID, PHONE, ADDRESS)
    ]
    assert list(later.petitioner_links.values_list("id_number", "phone", "address")) == [
        ("", "", "")
    ]

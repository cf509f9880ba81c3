"""The petition and dispute pages as a clerk, a leader and an outsider meet them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disputes import services as s
from disputes.models import Category, Dispute, Party, Petition
from disputes.tests.builders import register_petition
from disputes.validators import id_check_digit

pytestmark = pytest.mark.django_db


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


ID_A = _id("50022919800101123")
ID_B = _id("50022919850202456")


def _petition(clerk, unit, *, on=dt.date(2020, 3, 2), id_number=ID_A, name="张三") -> Petition:
    return register_petition(
        by=clerk,
        received_on=on,
        channel="来信",
        unit=unit,
        summary="反映邻居占用承包地",
        petitioners=[s.PersonData(name=name, id_number=id_number, phone="13800138000")],
    )


def _people_post(prefix: str, rows: list[dict], extra: dict | None = None) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    data.update(extra or {})
    return data


def _petition_post(unit, rows, **extra) -> dict:
    return _people_post(
        "people",
        rows,
        {
            "received_on": "2020-09-16",
            "channel": "来访",
            "category": str(Category.objects.get(name="村务").pk),
            "unit": str(unit.pk),
            "summary": "反映村务公开不及时",
            **extra,
        },
    )


def test_clerk_registers_a_petition_with_two_petitioners(client, clerk, justice_office):
    client.force_login(clerk)
    response = client.post(
        "/disputes/petitions/new/",
        _petition_post(
            justice_office,
            [
                {"name": "张三", "id_number": ID_A.lower()},
                {"name": "李四", "phone": "023-59201234"},
            ],
        ),
        follow=True,
    )
    petition = Petition.objects.get()
    assert petition.number == "信〔2020〕1号"
    assert [p.name for p in petition.petitioners.order_by("petitioner_links__order")] == [
        "张三",
        "李四",
    ]
    assert petition.petitioners.get(name="张三").id_number == ID_A  # x upper-cased
    text = response.content.decode()
    assert "已登记，编号 信〔2020〕1号" in text
    # acceptance clock: 2020-09-16 + 15 days = 10-01, 国庆中秋 → 10-09
    assert "2020年10月9日" in text
    assert "顺延至2020年10月9日" in text


def test_bad_id_number_is_refused_and_what_was_typed_stays(client, clerk, justice_office):
    client.force_login(clerk)
    bad = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
    response = client.post(
        "/disputes/petitions/new/",
        _petition_post(justice_office, [{"name": "张三", "id_number": bad}]),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "身份证号校验位不正确" in text
    assert "反映村务公开不及时" in text
    assert f'value="{bad}"' in text
    assert Petition.objects.count() == 0


def test_petition_without_petitioner_is_refused(client, clerk, justice_office):
    client.force_login(clerk)
    response = client.post(
        "/disputes/petitions/new/", _petition_post(justice_office, [{"name": ""}])
    )
    assert "至少登记一名信访人" in response.content.decode()
    assert Petition.objects.count() == 0


def test_same_person_within_12_months_is_shown_and_can_be_marked_repeat(
    client, clerk, justice_office
):
    earlier = _petition(clerk, justice_office, on=dt.date(2020, 3, 2))
    client.force_login(clerk)
    data = _petition_post(justice_office, [{"name": "张三", "id_number": ID_A}])
    first = client.post("/disputes/petitions/new/", data)
    text = first.content.decode()
    assert "发现同一人近12个月内的登记记录" in text
    assert earlier.number in text
    assert Petition.objects.count() == 1
    data.update({"confirm_repeat": "1", "is_repeat": "on", "repeat_of": str(earlier.pk)})
    client.post("/disputes/petitions/new/", data)
    new = Petition.objects.get(serial=2)
    assert new.is_repeat and new.repeat_of == earlier


def test_outsider_gets_404_for_another_units_petition(client, clerk, outsider, justice_office):
    petition = _petition(clerk, justice_office)
    client.force_login(outsider)
    assert client.get(f"/disputes/petitions/{petition.pk}/").status_code == 404
    assert client.get(f"/disputes/petitions/{petition.pk}/accept/").status_code == 404
    assert petition.number not in client.get("/disputes/petitions/").content.decode()


def test_leader_reads_all_units_but_cannot_register_or_act(client, clerk, leader, justice_office):
    petition = _petition(clerk, justice_office)
    client.force_login(leader)
    assert client.get(f"/disputes/petitions/{petition.pk}/").status_code == 200
    assert client.get("/disputes/petitions/new/").status_code == 403
    assert (
        client.post(
            f"/disputes/petitions/{petition.pk}/accept/", {"decided_on": "2020-03-03"}
        ).status_code
        == 403
    )


def test_advisor_cannot_open_the_petition_register(client, advisor):
    client.force_login(advisor)
    assert client.get("/disputes/petitions/").status_code == 403


def test_id_and_phone_are_masked_for_the_leader_and_full_for_the_clerk_on_request(
    client, clerk, leader, justice_office
):
    petition = _petition(clerk, justice_office)
    client.force_login(leader)
    text = client.get(f"/disputes/petitions/{petition.pk}/").content.decode()
    assert "500***********" + ID_A[-4:] in text
    assert "138****8000" in text
    assert ID_A not in text
    # The leader may not see it in full even by asking.
    assert ID_A not in client.get(f"/disputes/petitions/{petition.pk}/?full=1").content.decode()
    client.force_login(clerk)
    text = client.get(f"/disputes/petitions/{petition.pk}/").content.decode()
    assert ID_A not in text
    assert "显示完整信息" in text
    assert ID_A in client.get(f"/disputes/petitions/{petition.pk}/?full=1").content.decode()


def test_extension_of_31_days_is_refused_on_the_page(client, clerk, leader, justice_office):
    petition = _petition(clerk, justice_office)
    s.petition_accept(petition, by=clerk, on=dt.date(2020, 3, 5))
    client.force_login(clerk)
    response = client.post(
        f"/disputes/petitions/{petition.pk}/extend/",
        {
            "extended_on": "2020-04-20",
            "extension_days": "31",
            "extension_reason": "情况复杂",
            "extension_approved_by": str(leader.pk),
        },
    )
    text = response.content.decode()
    assert "延期不得超过30日" in text
    assert "情况复杂" in text
    petition.refresh_from_db()
    assert petition.extension_days is None


def test_reply_before_acceptance_is_refused_on_the_page(client, clerk, justice_office):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    response = client.post(
        f"/disputes/petitions/{petition.pk}/reply/",
        {"replied_on": "2020-03-10", "reply_form": "书面送达", "version": "1"},
    )
    assert "尚未受理，不能答复" in response.content.decode()


def test_accepting_on_the_page_writes_the_timeline(client, clerk, justice_office):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    response = client.post(
        f"/disputes/petitions/{petition.pk}/accept/",
        {"decided_on": "2020-03-05", "version": "1"},
        follow=True,
    )
    text = response.content.decode()
    assert "已受理" in text
    assert "办结期限" in text
    # 2020-03-05 + 60 days = 2020-05-04, inside 劳动节 (5月1日至5日) → 2020-05-06
    assert "2020年5月6日" in text
    assert [e.action for e in petition.events.all()] == ["登记", "受理"]


def _dispute(clerk, unit, on=dt.date(2021, 1, 5)) -> Dispute:
    return s.dispute_register(
        by=clerk,
        received_on=on,
        source="当事人申请",
        type="邻里",
        unit=unit,
        summary="宅旁排水沟纠纷",
        parties=[
            (s.PersonData(name="王五", id_number=ID_A), Party.Side.APPLICANT),
            (s.PersonData(name="赵六", id_number=ID_B), Party.Side.RESPONDENT),
        ],
    )


def test_clerk_registers_a_dispute_and_records_an_oral_agreement(client, clerk, justice_office):
    client.force_login(clerk)
    data = _people_post(
        "parties",
        [
            {"name": "王五", "side": "申请方", "id_number": ID_A},
            {"name": "赵六", "side": "被申请方"},
        ],
        {
            "received_on": "2021-01-11",
            "source": "主动排查发现",
            "type": "邻里",
            "unit": str(justice_office.pk),
            "summary": "宅旁排水沟纠纷",
            "body": "镇人民调解委员会",
            "amount": "1200.50",
        },
    )
    client.post("/disputes/cases/new/", data)
    dispute = Dispute.objects.get()
    assert dispute.number == "纠〔2021〕1号"
    assert str(dispute.amount) == "1200.50"
    client.post(
        f"/disputes/cases/{dispute.pk}/accept/", {"decided_on": "2021-01-12", "version": "1"}
    )
    text = client.get(f"/disputes/cases/{dispute.pk}/").content.decode()
    assert "顺延至2021年2月18日" in text  # 一个月 crosses 2021 春节
    response = client.post(
        f"/disputes/cases/{dispute.pk}/conclude/",
        {
            "concluded_on": "2021-01-20",
            "result": "succeeded",
            "agreement_form": "口头",
            "agreement_text": "赵六疏通排水沟",
            "version": "2",
        },
        follow=True,
    )
    dispute.refresh_from_db()
    assert dispute.status == "succeeded" and dispute.agreement_form == "口头"
    assert "调解成功（口头协议）" in response.content.decode()


def test_dispute_with_one_party_is_refused_on_the_page(client, clerk, justice_office):
    client.force_login(clerk)
    data = _people_post(
        "parties",
        [{"name": "王五", "side": "申请方"}],
        {
            "received_on": "2021-01-11",
            "source": "主动排查发现",
            "type": "邻里",
            "unit": str(justice_office.pk),
            "summary": "纠纷",
            "body": "镇人民调解委员会",
        },
    )
    response = client.post("/disputes/cases/new/", data)
    assert "矛盾纠纷至少有两方当事人" in response.content.decode()


def test_attachment_of_wrong_type_is_refused_and_download_is_guarded(
    client, clerk, outsider, justice_office
):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    client.post(
        f"/disputes/files/petition/{petition.pk}/upload/",
        {"title": "来信", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert petition.attachments.count() == 0
    client.post(
        f"/disputes/files/petition/{petition.pk}/upload/",
        {"title": "来信扫描件", "file": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 test")},
    )
    attachment = petition.attachments.get()
    assert client.get(f"/disputes/files/{attachment.pk}/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/disputes/files/{attachment.pk}/").status_code == 404


def _bulk_petitions(n, clerk, unit):
    cat = Category.objects.get(name="邻里")
    Petition.objects.bulk_create(
        Petition(
            number=f"信〔2019〕{i}号", year=2019, serial=i, received_on=dt.date(2019, 1, 1) + dt.timedelta(days=i % 300),
            channel="来信", category=cat, unit=unit, summary="批量", created_by=clerk,
            status="accepted" if i % 2 else "registered", decided_on=dt.date(2019, 12, 1) if i % 2 else None,
        )
        for i in range(1, n + 1)
    )  # fmt: skip


@pytest.mark.parametrize("n", [5, 500])
def test_petition_list_runs_the_same_queries_for_5_and_500(
    client, clerk, justice_office, list_page, n
):
    _bulk_petitions(n, clerk, justice_office)
    client.force_login(clerk)
    list_page("/disputes/petitions/?year=2019&overdue=")
    list_page("/disputes/petitions/?overdue=1")


@pytest.mark.parametrize("n", [5, 500])
def test_dispute_list_runs_the_same_queries_for_5_and_500(
    client, clerk, justice_office, list_page, n
):
    for _ in range(n if n == 5 else 0):
        _dispute(clerk, justice_office)
    if n == 500:
        Dispute.objects.bulk_create(
            Dispute(number=f"纠〔2019〕{i}号", year=2019, serial=i, received_on=dt.date(2019, 3, 1), source="当事人申请", type="邻里", unit=justice_office, summary="批量", created_by=clerk)
            for i in range(1, n + 1)
        )  # fmt: skip
    client.force_login(clerk)
    list_page("/disputes/cases/")


def test_blank_party_rows_are_ignored(client, clerk, justice_office):
    client.force_login(clerk)
    data = _people_post(
        "parties",
        [{"name": "王五", "side": "申请方"}, {"name": "赵六", "side": "被申请方"}, {"name": "", "side": ""}],
        {"received_on": "2021-01-11", "source": "主动排查发现", "type": "邻里", "unit": str(justice_office.pk), "summary": "纠纷", "body": "镇人民调解委员会"},
    )  # fmt: skip
    client.post("/disputes/cases/new/", data)
    assert Dispute.objects.get().parties.count() == 2


def test_year_1900_and_huge_headcount_are_refused(client, clerk, justice_office):
    client.force_login(clerk)
    rows = [{"name": "张三"}]
    text = client.post(
        "/disputes/petitions/new/", _petition_post(justice_office, rows, received_on="1900-01-01")
    ).content.decode()
    assert "早于2000年" in text
    text = client.post(
        "/disputes/petitions/new/", _petition_post(justice_office, rows, headcount="99999999999")
    ).content.decode()
    assert "10000" in text
    assert Petition.objects.count() == 0


def test_registering_a_known_id_number_under_another_name_is_refused(client, clerk, justice_office):
    _petition(clerk, justice_office, id_number=ID_A, name="张三")
    client.force_login(clerk)
    response = client.post(
        "/disputes/petitions/new/",
        _petition_post(justice_office, [{"name": "王二", "id_number": ID_A}], confirm_repeat="1"),
    )
    text = response.content.decode()
    assert "该身份证号已有登记，请核对身份证号与姓名是否填写正确。" in text
    assert "张三" not in text  # the name on file is not told
    assert Petition.objects.count() == 1


def test_renamed_executable_is_refused_as_pdf(client, clerk, justice_office):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    response = client.post(
        f"/disputes/files/petition/{petition.pk}/upload/",
        {"title": "来信", "file": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00binary")},
        follow=True,
    )
    assert "文件内容与扩展名.pdf不符" in response.content.decode()
    assert petition.attachments.count() == 0


def test_opening_a_step_that_is_no_longer_possible_returns_to_the_case(
    client, clerk, justice_office
):
    petition = _petition(clerk, justice_office)
    s.petition_accept(petition, by=clerk, on=dt.date(2020, 3, 3))
    client.force_login(clerk)
    response = client.get(f"/disputes/petitions/{petition.pk}/accept/", follow=True)
    assert response.redirect_chain[-1][0] == f"/disputes/petitions/{petition.pk}/"
    assert "当前为“办理中”，不能办理“受理”" in response.content.decode()


def test_list_filters_a_span_of_years_as_dashboard_links_do(client, clerk, justice_office):
    for year in (2018, 2019, 2020, 2021):
        _petition(clerk, justice_office, on=dt.date(year, 3, 2), id_number="", name=f"人{year}")
    client.force_login(clerk)
    text = client.get("/disputes/petitions/?year=2019-2020").content.decode()
    assert "信〔2019〕1号" in text and "信〔2020〕1号" in text
    assert "信〔2018〕1号" not in text and "信〔2021〕1号" not in text
    assert "共 2 条" in text


def test_open_deadlines_list_overdue_and_due_soon_cases_of_the_users_units(
    clerk, outsider, justice_office
):
    from disputes.selectors import open_deadlines_for

    overdue = _petition(clerk, justice_office, on=dt.date(2020, 3, 2), id_number="", name="甲")
    _petition(clerk, justice_office, on=dt.date(2020, 3, 20), id_number="", name="乙")
    items = open_deadlines_for(clerk, today=dt.date(2020, 3, 30))
    # 甲: 3-02 + 15 = 3-17 → 13 days overdue; 乙: 3-20 + 15 = 4-04 (清明) → 4-07, 8 days left
    assert [(i["title"], i["days_left"], i["light"]) for i in items] == [
        (f"{overdue.number} 受理期限", -13, "red")
    ]
    assert open_deadlines_for(outsider, today=dt.date(2020, 3, 30)) == []

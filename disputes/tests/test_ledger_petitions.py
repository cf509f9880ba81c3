"""The petition ledger (信访件台账): export, import, round trip and the rules of DOMAIN.md §10."""

import datetime as dt

import pytest
from django.urls import reverse

from disputes import services as s
from disputes.models import Event, Person, Petition, Petitioner
from disputes.resources import PetitionResource, export_dataset, import_ledger
from disputes.tests.builders import register_petition
from disputes.tests.ledger_data import (
    make_id,
    petition_row,
    petition_snapshot,
    petitions_in_every_state,
    village,
)
from miaoba.ledger import RowError, render_xlsx
from miaoba.models import NumberSequence
from miaoba.tests.ledger_files import csv_text, read_xlsx, xlsx_bytes

HEADERS = PetitionResource.headers()


def _import(data: bytes, name: str, user, **kwargs):
    return import_ledger("petitions", data, name, user=user, **kwargs)


def test_ledger_columns_are_the_chinese_headers_in_order():
    assert HEADERS == [
        "编号", "登记日期", "来源渠道", "信访形式类别", "问题分类", "村（社区）", "信访人姓名",
        "性别", "身份证号", "联系电话", "住址", "信访人数", "主要内容", "诉求", "承办单位",
        "重复件", "状态", "受理决定日期", "不予受理理由", "告知其向何处提出", "延长天数",
        "延期理由", "办结日期", "处理意见", "答复日期", "答复方式", "满意度",
    ]  # fmt: skip


@pytest.mark.django_db
def test_xlsx_of_200_petitions_round_trips_to_the_same_records(clerk, leader, justice_office):
    petitions_in_every_state(200, clerk=clerk, leader=leader, unit=justice_office)
    before = petition_snapshot()
    data = render_xlsx(export_dataset("petitions", Petition.objects.all()))

    Event.objects.all().delete()
    Petition.objects.all().delete()
    Person.objects.all().delete()
    NumberSequence.objects.all().delete()
    plan = _import(data, "台账.xlsx", clerk)

    assert plan.errors == []
    assert (plan.created, plan.updated) == (200, 0)
    assert petition_snapshot() == before
    assert Petition.objects.filter(created_by=clerk).count() == 200
    assert NumberSequence.objects.get(register="petition", year=2020).last == 200
    first = Petition.objects.get(number="信〔2020〕10号")  # i=9: replied, not extended
    assert list(first.events.values_list("action", flat=True)) == [
        "导入", "登记", "受理", "办结", "答复",
    ]  # fmt: skip


@pytest.mark.django_db
def test_reimporting_the_same_export_creates_no_duplicates(clerk, leader, justice_office):
    petitions_in_every_state(30, clerk=clerk, leader=leader, unit=justice_office)
    before = petition_snapshot()
    data = render_xlsx(export_dataset("petitions", Petition.objects.all()))
    people = Person.objects.count()
    events = Event.objects.count()

    plan = _import(data, "台账.xlsx", clerk)

    assert (plan.created, plan.updated, plan.unchanged) == (0, 30, 30)
    assert Petition.objects.count() == 30
    assert Person.objects.count() == people
    assert Event.objects.count() == events
    assert petition_snapshot() == before


@pytest.mark.django_db
def test_export_xlsx_has_dates_as_dates_numbers_as_numbers_ids_as_text(
    clerk, leader, justice_office
):
    petitions_in_every_state(5, clerk=clerk, leader=leader, unit=justice_office)
    rows = read_xlsx(render_xlsx(export_dataset("petitions", Petition.objects.all())))
    header, row = rows[0], rows[5]  # 信〔2020〕5号, replied
    cell = dict(zip(header, row, strict=True))

    assert cell["编号"] == "信〔2020〕5号"
    assert cell["登记日期"] == dt.datetime(2020, 1, 5)
    assert cell["信访人数"] == 1
    assert cell["身份证号"] == make_id(4)
    assert cell["联系电话"] == "13800000004"
    assert cell["状态"] == "已答复"
    assert cell["来源渠道"] == "传真"
    assert rows[2][2] == "来访（走访）"


@pytest.mark.django_db
def test_csv_saved_as_gbk_by_chinese_excel_imports(clerk, justice_office):
    text = csv_text([HEADERS, petition_row(信访人姓名="王五", 性别="男", 住址="庙坝镇石梁村")])

    plan = _import(text.encode("gbk"), "台账.csv", clerk)

    assert plan.errors == []
    p = Petition.objects.get()
    assert p.number == "信〔2021〕1号"
    assert [x.name for x in p.petitioners.all()] == ["王五"]
    assert p.petitioners.get().address == "庙坝镇石梁村"


@pytest.mark.django_db
def test_csv_in_utf8_with_bom_imports_with_every_date_form(clerk, justice_office):
    rows = [HEADERS]
    for i, day in enumerate(["2021-03-05", "2021/3/6", "2021年3月7日", "20210308"]):
        rows.append(petition_row(登记日期=day, 信访人姓名=f"赵{i}", 主要内容=f"事项{i}"))

    plan = _import(csv_text(rows).encode("utf-8-sig"), "台账.csv", clerk)

    assert plan.errors == []
    assert sorted(Petition.objects.values_list("received_on", flat=True)) == [
        dt.date(2021, 3, 5),
        dt.date(2021, 3, 6),
        dt.date(2021, 3, 7),
        dt.date(2021, 3, 8),
    ]


@pytest.mark.django_db
def test_xlsx_with_numeric_id_cell_fails_that_row_asking_for_a_text_column(clerk, justice_office):
    good = make_id(1)
    rows = [
        HEADERS,
        petition_row(身份证号=good, 联系电话=13800138000),
        petition_row(信访人姓名="李四", 身份证号=5.00101199001011e17),
    ]

    plan = _import(xlsx_bytes(rows), "台账.xlsx", clerk)

    assert [(e.row, e.column) for e in plan.errors] == [(3, "身份证号")]
    assert "文本" in plan.errors[0].message
    assert Petition.objects.count() == 0


@pytest.mark.django_db
def test_integer_phone_cell_is_read_as_its_digits(clerk, justice_office):
    rows = [HEADERS, petition_row(联系电话=13800138000, 身份证号=make_id(2))]

    plan = _import(xlsx_bytes(rows), "台账.xlsx", clerk)

    assert plan.errors == []
    person = Petition.objects.get().petitioners.get()
    assert (person.phone, person.id_number) == ("13800138000", make_id(2))


@pytest.mark.django_db
def test_file_with_one_bad_row_changes_no_row_and_names_row_and_column(clerk, justice_office):
    existing = register_petition(
        by=clerk,
        received_on=dt.date(2021, 3, 1),
        channel="来信",
        unit=justice_office,
        summary="原内容",
        petitioners=[s.PersonData(name="张三")],
    )
    rows = [
        HEADERS,
        petition_row(编号=existing.number, 登记日期="2021-03-01", 主要内容="改过的内容"),
        petition_row(信访人姓名="新人"),
        petition_row(登记日期="2021-02-30", 信访人姓名="错行"),
    ]

    plan = _import(xlsx_bytes(rows), "台账.xlsx", clerk)

    assert plan.errors == [RowError(4, "登记日期", "日期“2021-02-30”不存在。")]
    existing.refresh_from_db()
    assert existing.summary == "原内容"
    assert Petition.objects.count() == 1


@pytest.mark.django_db
def test_every_error_of_every_row_is_reported(clerk, justice_office):
    rows = [
        HEADERS,
        petition_row(来源渠道="微信", 问题分类="不存在的分类"),
        petition_row(状态="办理中", 身份证号="500229198001010010"),
        petition_row(状态="办理中", 受理决定日期="2021-03-08", 延长天数=45, 延期理由="复杂"),
        petition_row(承办单位="派出所"),
        petition_row(状态="已答复", 受理决定日期="2021-03-01"),
    ]

    plan = _import(xlsx_bytes(rows), "台账.xlsx", clerk)

    assert [(e.row, e.column) for e in plan.errors] == [
        (2, "来源渠道"),
        (2, "问题分类"),
        (3, "身份证号"),
        (3, "受理决定日期"),
        (4, "延长天数"),
        (5, "承办单位"),
        (6, "办结日期"),
        (6, "处理意见"),
        (6, "答复日期"),
        (6, "答复方式"),
        (6, "受理决定日期"),
    ]
    assert "延期不得超过30日" in plan.errors[4].message
    assert Petition.objects.count() == 0


@pytest.mark.django_db
def test_rows_without_number_are_matched_on_reimport(clerk, justice_office):
    data = xlsx_bytes([HEADERS, petition_row(), petition_row(信访人姓名="李四")])

    first = _import(data, "台账.xlsx", clerk)
    second = _import(data, "台账.xlsx", clerk)

    assert (first.created, second.created, second.updated) == (2, 0, 2)
    assert Petition.objects.count() == 2


@pytest.mark.django_db
def test_imported_numbers_move_the_counter_so_registration_continues(clerk, justice_office):
    rows = [HEADERS, petition_row(编号="信〔2019〕37号", 登记日期="2019-06-01")]

    _import(xlsx_bytes(rows), "台账.xlsx", clerk)
    later = s.petition_register(
        by=clerk,
        received_on=dt.date(2019, 7, 1),
        channel="来信",
        category=Petition.objects.get().category,
        unit=justice_office,
        summary="新登记",
        petitioners=[s.PersonData(name="钱七")],
    )

    assert later.number == "信〔2019〕38号"


@pytest.mark.django_db
def test_several_petitioners_are_aligned_by_position(clerk, justice_office):
    village("石梁村")
    rows = [
        HEADERS,
        petition_row(
            信访人姓名="张三、李四、王五",
            性别="男、、女",
            身份证号=f"{make_id(1)}、、{make_id(3)}",
            联系电话="、13900000002、",
            信访人数=6,
            **{"村（社区）": "石梁村"},
        ),
    ]

    plan = _import(xlsx_bytes(rows), "台账.xlsx", clerk)

    assert plan.errors == []
    p = Petition.objects.get()
    people = [link.person for link in Petitioner.objects.filter(petition=p)]
    assert [(x.name, x.gender, x.id_number, x.phone) for x in people] == [
        ("张三", "男", make_id(1), ""),
        ("李四", "", "", "13900000002"),
        ("王五", "女", make_id(3), ""),
    ]
    assert (p.headcount, p.is_collective, p.village.name) == (6, True, "石梁村")


@pytest.mark.django_db
def test_misaligned_people_columns_are_refused(clerk, justice_office):
    rows = [HEADERS, petition_row(信访人姓名="张三、李四", 身份证号=make_id(1))]

    plan = _import(xlsx_bytes(rows), "台账.xlsx", clerk)

    assert [(e.row, e.column) for e in plan.errors] == [(2, "身份证号")]
    assert "共有2人，本列却有1项" in plan.errors[0].message


@pytest.mark.django_db
def test_clerk_cannot_import_cases_of_another_unit(outsider, justice_office):
    plan = _import(xlsx_bytes([HEADERS, petition_row()]), "台账.xlsx", outsider)

    assert [(e.row, e.column) for e in plan.errors] == [(2, "承办单位")]
    assert Petition.objects.count() == 0


@pytest.mark.django_db
def test_missing_columns_are_reported_on_the_header_row(clerk, justice_office):
    plan = _import(
        xlsx_bytes([HEADERS[:5], ["", "2021-03-05", "来信", "", "邻里"]]), "a.xlsx", clerk
    )

    assert plan.errors[0].row == 1
    assert "缺少列「村（社区）」" in plan.errors[0].message


# --- Pages -----------------------------------------------------------------------------------


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.django_db
def test_import_page_shows_every_error_and_writes_nothing(client, clerk, justice_office):
    client.force_login(clerk)
    data = xlsx_bytes([HEADERS, petition_row(), petition_row(登记日期="2021-13-01")])

    response = client.post(
        reverse("ledger_import", args=["petitions"]), {"file": _upload("a.xlsx", data)}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "未导入任何数据" in html
    assert '<td class="num">3</td><td>登记日期</td><td>日期“2021-13-01”不存在。</td>' in html
    assert Petition.objects.count() == 0


@pytest.mark.django_db
def test_import_page_previews_then_imports_on_confirmation(client, clerk, justice_office):
    client.force_login(clerk)
    url = reverse("ledger_import", args=["petitions"])
    data = xlsx_bytes([HEADERS, petition_row(), petition_row(信访人姓名="李四")])

    preview = client.post(url, {"file": _upload("a.xlsx", data)})
    assert "确认导入" in preview.content.decode()
    assert Petition.objects.count() == 0

    token = preview.context["token"]
    response = client.post(url, {"confirm": "1", "token": token}, follow=True)

    assert response.redirect_chain[0][0] == reverse("disputes:petition_list")
    assert "已导入 2 件（新增 2，更新 0）" in response.content.decode()
    assert Petition.objects.count() == 2
    again = client.post(url, {"confirm": "1", "token": token})
    assert again.status_code == 302
    assert Petition.objects.count() == 2


@pytest.mark.django_db
def test_import_page_refuses_a_forged_token(client, clerk, justice_office):
    client.force_login(clerk)
    url = reverse("ledger_import", args=["petitions"])

    response = client.post(url, {"confirm": "1", "token": "../../etc/passwd"}, follow=True)

    assert "上传的文件已失效" in response.content.decode()


@pytest.mark.django_db
def test_import_page_offers_the_upload_form_and_the_template(client, clerk):
    client.force_login(clerk)

    response = client.get(reverse("ledger_import", args=["petitions"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert "/ledger/petitions/export/?template=1&amp;format=xlsx" in html
    assert "下载导入模板" in html


@pytest.mark.django_db
def test_import_page_refuses_another_file_type(client, clerk):
    client.force_login(clerk)

    response = client.post(
        reverse("ledger_import", args=["petitions"]),
        {"file": _upload("台账.xls", b"\xd0\xcf\x11\xe0")},
    )

    assert "只能导入 .xlsx 或 .csv 格式的台账文件。" in response.content.decode()


@pytest.mark.django_db
def test_leader_and_administrator_cannot_import(client, leader, administrator):
    url = reverse("ledger_import", args=["petitions"])
    for user in (leader, administrator):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_import_page_of_unknown_ledger_is_404(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("ledger_import", args=["nonexistent"])).status_code == 404


@pytest.mark.django_db
def test_export_holds_what_the_filters_show_within_the_users_units(
    client, clerk, outsider, leader, justice_office, party_office
):
    petitions_in_every_state(10, clerk=clerk, leader=leader, unit=justice_office)
    petitions_in_every_state(2, clerk=outsider, leader=leader, unit=party_office)
    url = reverse("ledger_export", args=["petitions"])

    client.force_login(clerk)
    mine = read_xlsx(client.get(url).content)
    accepted = read_xlsx(client.get(url, {"status": "accepted"}).content)
    client.force_login(leader)
    everything = read_xlsx(client.get(url).content)

    assert len(mine) == 1 + 10
    assert {r[14] for r in mine[1:]} == {"司法所"}
    assert [r[0] for r in accepted[1:]] == ["信〔2020〕2号", "信〔2020〕7号"]
    assert len(everything) == 1 + 12


@pytest.mark.django_db
def test_export_response_names_the_file_in_chinese(client, clerk, justice_office):
    client.force_login(clerk)

    response = client.get(reverse("ledger_export", args=["petitions"]), {"format": "csv"})

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "%E4%BF%A1%E8%AE%BF%E4%BB%B6%E5%8F%B0%E8%B4%A6" in disposition  # 信访件台账
    assert response.content.startswith("\ufeff编号,登记日期".encode())


@pytest.mark.django_db
def test_leader_export_masks_personal_data(client, clerk, leader, justice_office):
    petitions_in_every_state(1, clerk=clerk, leader=leader, unit=justice_office)
    client.force_login(leader)

    rows = read_xlsx(client.get(reverse("ledger_export", args=["petitions"])).content)

    assert rows[1][8] == "500***********0008、500***********5009"
    assert rows[1][9] == "138****0000、"  # the second petitioner has no phone


@pytest.mark.django_db
def test_import_template_has_only_the_headers(client, clerk):
    client.force_login(clerk)

    response = client.get(reverse("ledger_export", args=["petitions"]), {"template": "1"})

    assert read_xlsx(response.content)[0] == HEADERS
    assert all(not any(r) for r in read_xlsx(response.content)[1:])


def test_id_number_on_file_under_another_name_is_refused_and_nothing_changes(clerk, justice_office):
    holder = register_petition(
        by=clerk,
        received_on=dt.date(2021, 3, 1),
        channel="来信",
        unit=justice_office,
        summary="原件",
        petitioners=[s.PersonData(name="张三", id_number=make_id(1))],
    )
    village("石兴村")
    rows = [
        HEADERS,
        petition_row(信访人姓名="导入甲", 身份证号=make_id(1), **{"村（社区）": "石兴村"}),
    ]

    plan = _import(xlsx_bytes(rows), "台账.xlsx", clerk)

    assert [(e.row, e.column) for e in plan.errors] == [(2, "身份证号")]
    # The name on file is another registration's, not the importer's to learn (PIPL §6).
    assert plan.errors[0].message.endswith(
        "：该身份证号已有登记，请核对身份证号与姓名是否填写正确。"
    )
    assert "张三" not in plan.errors[0].message
    assert make_id(1) not in plan.errors[0].message  # masked in the report
    assert Petition.objects.count() == 1
    assert holder.petitioners.get().village is None


def test_one_id_number_with_two_names_in_the_same_file_is_refused(clerk, justice_office):
    rows = [
        HEADERS,
        petition_row(信访人姓名="李四", 身份证号=make_id(2)),
        petition_row(信访人姓名="李五", 身份证号=make_id(2), 主要内容="另一件"),
    ]

    plan = _import(xlsx_bytes(rows), "台账.xlsx", clerk)

    assert [(e.row, e.column) for e in plan.errors] == [(3, "身份证号")]
    assert "在第2行的姓名是“李四”" in plan.errors[0].message
    assert Petition.objects.count() == 0


def test_csv_export_quotes_a_formula_and_reimport_restores_the_text(clerk, justice_office):
    from miaoba.ledger import open_ledger, render_csv

    formula = '=HYPERLINK("http://example.invalid","点我")'
    register_petition(
        by=clerk,
        received_on=dt.date(2021, 3, 1),
        channel="来信",
        unit=justice_office,
        summary=formula,
        petitioners=[s.PersonData(name="张三")],
    )
    data = render_csv(export_dataset("petitions", Petition.objects.all()))

    assert "'=HYPERLINK(" in data.decode("utf-8-sig")
    rows = list(open_ledger(data, "台账.csv", PetitionResource.headers()))
    assert rows[0].raw["主要内容"] == formula

"""Work records and year figures: entering, listing, ledgers in and out."""

import datetime as dt

import pytest

from miaoba.ledger import render_xlsx
from miaoba.tests.ledger_files import xlsx_bytes
from reports.ledgers import check_records, register  # noqa: F401 - registered in ready()
from reports.models import WorkRecord, WorkRecordKind, YearFigure

pytestmark = pytest.mark.django_db


HEADERS = ["日期", "类别", "名称", "场次", "人次", "宣传资料（份）", "承办单位", "说明"]


def test_clerk_enters_a_training_and_sees_it_listed(client, clerk, justice_office):
    client.force_login(clerk)
    kind = WorkRecordKind.objects.get(name="法治培训")
    response = client.post(
        "/reports/records/new/",
        {
            "on": "2020-06-18",
            "kind": kind.pk,
            "title": "民法典专题培训",
            "sessions": 1,
            "participants": 60,
            "unit": justice_office.pk,
        },
        follow=True,
    )
    assert "已登记工作记录：民法典专题培训" in response.content.decode()
    assert WorkRecord.objects.get().participants == 60


def test_future_date_is_refused_and_typed_values_stay(client, clerk, justice_office):
    client.force_login(clerk)
    kind = WorkRecordKind.objects.get(name="普法活动")
    response = client.post(
        "/reports/records/new/",
        {
            "on": "2099-01-01",
            "kind": kind.pk,
            "title": "宪法日宣传",
            "sessions": 1,
            "unit": justice_office.pk,
        },
    )
    text = response.content.decode()
    assert "日期晚于今天" in text and "宪法日宣传" in text
    assert WorkRecord.objects.count() == 0


def test_outsider_cannot_see_or_edit_another_units_record(client, clerk, outsider, justice_office):
    record = WorkRecord.objects.create(
        on=dt.date(2020, 5, 1),
        kind=WorkRecordKind.objects.get(name="集体学法"),
        title="学法",
        unit=justice_office,
        created_by=clerk,
    )
    client.force_login(outsider)
    assert client.get(f"/reports/records/{record.pk}/").status_code == 404
    assert "民法典学习会" not in client.get("/reports/records/").content.decode()


def test_work_record_ledger_round_trips_and_reimport_changes_nothing(client, clerk, justice_office):
    data = xlsx_bytes(
        [
            HEADERS,
            ["2020/3/5", "普法活动", "三月法治宣传", 2, 300, 500, "司法所", ""],
            ["2020年4月1日", "集体学法", "四月学法", "", 25, "", "司法所", "学习民法典"],
        ]
    )
    client.force_login(clerk)
    from miaoba.ledger import LEDGERS

    plan = LEDGERS["records"].import_file(data, "台账.xlsx", user=clerk)
    assert plan.is_valid and plan.created == 2
    record = WorkRecord.objects.get(title="四月学法")
    assert (record.on, record.sessions, record.participants) == (dt.date(2020, 4, 1), 1, 25)
    again = LEDGERS["records"].import_file(data, "台账.xlsx", user=clerk)
    assert (again.created, again.updated, again.unchanged) == (0, 2, 2)
    assert WorkRecord.objects.count() == 2
    exported = render_xlsx(LEDGERS["records"].export())
    third = LEDGERS["records"].import_file(exported, "导出.xlsx", user=clerk)
    assert third.is_valid and third.created == 0 and WorkRecord.objects.count() == 2


def test_bad_row_names_row_and_column_and_writes_nothing(clerk, justice_office):
    from miaoba.ledger import LEDGERS

    data = xlsx_bytes(
        [
            HEADERS,
            ["2020-03-05", "普法活动", "好行", 1, "", "", "司法所", ""],
            ["2020-02-30", "跳舞", "坏行", "两场", "", "", "不存在所", ""],
        ]
    )
    plan = LEDGERS["records"].import_file(data, "台账.xlsx", user=clerk)
    assert [(e.row, e.column) for e in plan.errors] == [
        (3, "日期"),
        (3, "类别"),
        (3, "场次"),
        (3, "承办单位"),
    ]
    assert WorkRecord.objects.count() == 0


def test_year_figures_are_entered_for_a_year_and_checked(client, clerk):
    client.force_login(clerk)
    response = client.post(
        "/reports/figures/?year=2020",
        {
            "service_windows__value": "8",
            "service_windows__source": "便民服务中心",
            "on_time_rate__value": "101",
        },
    )
    assert "确保该值小于或等于100" in response.content.decode()
    client.post(
        "/reports/figures/?year=2020", {"service_windows__value": "8", "on_time_rate__value": "100"}
    )
    assert {f.key: int(f.value) for f in YearFigure.objects.filter(year=2020)} == {
        "service_windows": 8,
        "on_time_rate": 100,
    }


def test_leader_reads_year_figures_but_cannot_change_them(client, leader):
    client.force_login(leader)
    assert client.get("/reports/figures/?year=2020").status_code == 200
    assert (
        client.post("/reports/figures/?year=2020", {"service_windows__value": "9"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_a_work_record_dated_after_today_is_refused_and_one_before_2000_too(clerk):
    import time_machine

    from miaoba.ledger import RowError

    rows = "日期,类别,名称,场次,人次,宣传资料（份）,承办单位,说明\n"
    rows += "2021-03-25,普法活动,三月普法赶场,1,300,500,司法所,\n"
    rows += "1921-03-05,普法活动,年份写错,1,300,500,司法所,\n"
    with time_machine.travel("2021-03-24 10:00 +0800", tick=False):
        plan = check_records(rows.encode("utf-8"), "记录.csv", user=clerk)

    assert plan.errors == [
        RowError(2, "日期", "日期2021-03-25晚于今天（已发生的事项不能填写将来的日期）。"),
        RowError(3, "日期", "日期1921-03-05早于2000年，请核对年份。"),
    ]

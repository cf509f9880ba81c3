"""The ledger import writes through the batched services, as forms do (issue 12 §6).

Numbers come as a block, people are resolved together, records, links, timelines and history
rows are inserted in bulk: a file of 40 rows costs the same number of queries as one of 10.
History rows hold no full ID number or mobile, and an update by import names the clerk.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disputes import services as s
from disputes.models import Event, Person, Petition
from disputes.resources import PetitionResource, import_ledger
from disputes.tests.builders import register_petition
from disputes.tests.ledger_data import make_id, petition_row
from miaoba.tests.ledger_files import csv_text

HEADERS = PetitionResource.headers()
pytestmark = pytest.mark.django_db


def _file(count: int, start: int = 0) -> bytes:
    rows = [HEADERS]
    for i in range(start, start + count):
        rows.append(
            petition_row(
                信访人姓名=f"信访人{i}",
                身份证号=make_id(i),
                联系电话=f"139{i:08d}",
                主要内容=f"第{i}件：排水沟堵塞",
                状态="已答复",
                受理决定日期="2021-03-06",
                办结日期="2021-03-20",
                处理意见="解释说明",
                答复日期="2021-03-22",
                答复方式="书面答复",
            )
        )
    return csv_text(rows).encode()


def _queries(data: bytes, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        plan = import_ledger("petitions", data, "台账.csv", user=user)
    assert plan.errors == []
    return len(ctx.captured_queries)


def test_forty_rows_cost_about_the_queries_of_ten(clerk):
    ten = _queries(_file(10), clerk)
    forty = _queries(_file(40, start=100), clerk)

    # 30 more rows add no query of their own: only SQLite's insert batches (it takes fewer
    # rows per INSERT than PostgreSQL) may add one statement per table.
    assert forty - ten <= 6, (ten, forty)
    assert ten <= 25
    assert Petition.objects.count() == 50


def test_numbers_come_as_one_block_after_those_on_file(clerk, justice_office):
    register_petition(
        by=clerk,
        received_on=dt.date(2021, 3, 1),
        unit=justice_office,
        summary="先登记的一件",
        petitioners=[s.PersonData(name="张三")],
    )

    import_ledger("petitions", _file(3), "台账.csv", user=clerk)

    assert list(Petition.objects.order_by("serial").values_list("number", flat=True)) == [
        "信〔2021〕1号", "信〔2021〕2号", "信〔2021〕3号", "信〔2021〕4号",
    ]  # fmt: skip


def test_imported_steps_are_on_the_timeline_as_the_flow_declares_them(clerk):
    import_ledger("petitions", _file(1), "台账.csv", user=clerk)

    petition = Petition.objects.get()
    assert list(petition.events.values_list("action", "on")) == [
        ("导入", dt.date.today()),
        ("登记", dt.date(2021, 3, 5)),
        ("受理", dt.date(2021, 3, 6)),
        ("办结", dt.date(2021, 3, 20)),
        ("答复", dt.date(2021, 3, 22)),
    ]
    assert Event.objects.filter(by=clerk).count() == 5


def test_history_rows_of_imported_people_hold_no_full_id_or_mobile(clerk):
    import_ledger("petitions", _file(2), "台账.csv", user=clerk)

    history = list(Person.history.values_list("name", "id_number", "phone", "history_user"))
    assert sorted(history) == [
        ("信访人0", make_id(0)[:3] + "*" * 11 + make_id(0)[-4:], "139****0000", clerk.pk),
        ("信访人1", make_id(1)[:3] + "*" * 11 + make_id(1)[-4:], "139****0001", clerk.pk),
    ]
    assert Petition.history.filter(history_type="+", history_user=clerk).count() == 2


def test_an_update_by_import_writes_a_history_row_naming_the_importing_clerk(clerk, leader):
    import_ledger("petitions", _file(1), "台账.csv", user=clerk)
    number = Petition.objects.get().number
    rows = [HEADERS, petition_row(编号=number, 信访人姓名="信访人0", 身份证号=make_id(0),
                                  联系电话="13900000000", 主要内容="第0件：排水沟堵塞（补充）",
                                  状态="已答复", 受理决定日期="2021-03-06", 办结日期="2021-03-20",
                                  处理意见="解释说明", 答复日期="2021-03-22", 答复方式="书面答复")]  # fmt: skip

    plan = import_ledger("petitions", csv_text(rows).encode(), "补充.csv", user=clerk)

    assert (plan.created, plan.updated) == (0, 1)
    change = Petition.history.filter(history_type="~").get()
    assert (change.summary, change.history_user) == ("第0件：排水沟堵塞（补充）", clerk)

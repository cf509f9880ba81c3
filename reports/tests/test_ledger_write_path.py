"""The work-record and year-figure ledgers write through the services their forms use.

Issue 12 §6: a row imported and the same row entered by its form give the same record and the
same history rows; an update by import names the clerk; an import failing midway leaves
nothing; checking and importing cost the same queries for 10 rows as for 100.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from miaoba.ledger import LEDGERS, render_csv
from miaoba.tests.write_path import history_state, record_state, round_trips
from reports.models import WorkRecord, WorkRecordKind, YearFigure

pytestmark = pytest.mark.django_db
RECORD_HEADERS = ["日期", "类别", "名称", "场次", "人次", "宣传资料（份）", "承办单位", "说明"]


class _Rows(list):
    headers = RECORD_HEADERS


def _records_file(rows, headers=RECORD_HEADERS) -> bytes:
    dataset = _Rows(rows)
    dataset.headers = headers
    return render_csv(dataset)


def _record_row(title: str, unit) -> list:
    return [dt.date(2020, 6, 18), "法治培训", title, 1, 60, 200, unit.name, "以案释法"]


def test_a_work_record_imported_is_the_record_its_form_enters(client, clerk, justice_office):
    client.force_login(clerk)
    client.post(
        "/reports/records/new/",
        {
            "on": "2020-06-18",
            "kind": WorkRecordKind.objects.get(name="法治培训").pk,
            "title": "民法典专题培训",
            "sessions": 1,
            "participants": 60,
            "materials": 200,
            "unit": justice_office.pk,
            "note": "以案释法",
        },
    )
    data = _records_file([_record_row("宪法专题培训", justice_office)])

    plan = LEDGERS["records"].import_file(data, "台账.csv", user=clerk)

    assert plan.created == 1
    by_form = WorkRecord.objects.get(title="民法典专题培训")
    by_import = WorkRecord.objects.get(title="宪法专题培训")
    assert record_state(by_import, skip={"title"}) == record_state(by_form, skip={"title"})
    assert history_state(by_import, skip={"title"}) == history_state(by_form, skip={"title"})
    assert history_state(by_import)[0]["history_user_id"] == clerk.pk


def test_a_year_figure_imported_is_the_figure_its_form_saves(client, clerk):
    client.force_login(clerk)
    client.post(
        "/reports/figures/?year=2020",
        {"service_windows__value": "8", "service_windows__source": "便民服务中心"},
    )
    dataset = _Rows([[2021, "服务窗口数", 8, "便民服务中心"]])
    dataset.headers = ["年度", "指标", "数值", "数据来源"]

    LEDGERS["year_figures"].import_file(render_csv(dataset), "指标.csv", user=clerk)

    by_form = YearFigure.objects.get(year=2020)
    by_import = YearFigure.objects.get(year=2021)
    assert record_state(by_import, skip={"year"}) == record_state(by_form, skip={"year"})
    assert history_state(by_import, skip={"year"}) == history_state(by_form, skip={"year"})


def test_an_update_by_import_leaves_a_history_row_naming_the_importing_clerk(
    clerk, leader, justice_office
):
    YearFigure.objects.create(year=2020, key="service_windows", value=6, entered_by=leader)
    dataset = _Rows([[2020, "服务窗口数", 8, "便民服务中心"]])
    dataset.headers = ["年度", "指标", "数值", "数据来源"]

    plan = LEDGERS["year_figures"].import_file(render_csv(dataset), "指标.csv", user=clerk)

    assert plan.updated == 1
    figure = YearFigure.objects.get()
    assert (figure.value, figure.entered_by) == (Decimal("8.0"), clerk)
    change = YearFigure.history.filter(history_type="~").get()
    assert (change.value, change.history_user) == (Decimal("8.0"), clerk)


def test_a_work_record_import_failing_midway_writes_no_row(clerk, justice_office, monkeypatch):
    rows = [_record_row(f"培训{i}", justice_office) for i in range(3)]

    # The records are in when their history rows' insert fails: the transaction takes them back.
    def failing_bulk_create(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(WorkRecord.history.model.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        LEDGERS["records"].import_file(_records_file(rows), "台账.csv", user=clerk)
    assert WorkRecord.objects.count() == 0


@pytest.mark.parametrize("kind", ["records", "year_figures"])
def test_checking_and_importing_cost_the_same_queries_for_10_rows_as_for_100(
    kind, clerk, justice_office
):
    def data(count: int, start: int) -> bytes:
        if kind == "records":
            return _records_file(
                [_record_row(f"培训{i}", justice_office) for i in range(start, start + count)]
            )
        keys = YearFigure.Key.labels
        dataset = _Rows(
            [
                [2000 + i // len(keys), keys[i % len(keys)], i % 90, "统计"]
                for i in range(start, start + count)
            ]
        )
        dataset.headers = ["年度", "指标", "数值", "数据来源"]
        return render_csv(dataset)

    ledger = LEDGERS[kind]
    small, large = data(10, 0), data(100, 10)
    ledger.check_file(small, "f.csv", user=clerk)  # the user's permissions, cached once

    checks = [
        round_trips(lambda d=d: ledger.check_file(d, "f.csv", user=clerk)) for d in (small, large)
    ]
    imports = [
        round_trips(lambda d=d: ledger.import_file(d, "f.csv", user=clerk)) for d in (small, large)
    ]

    assert (WorkRecord if kind == "records" else YearFigure).objects.count() == 110
    assert checks[0] == checks[1]
    assert imports[0] == imports[1]

"""The register and review ledgers write through the services the step forms use (issue 12 §6).

A document imported has the record and the timeline its steps write (the steps' wording comes
from `normative_docs.flows`); an update by import names the clerk in the history and adds the
steps the row newly implies; an import failing midway leaves nothing; checking and importing
cost the same queries for 10 rows as for 100.
"""

from __future__ import annotations

import datetime as dt

import pytest
import tablib

from miaoba.ledger import render_csv
from miaoba.tests.write_path import history_state, record_state, round_trips, timeline
from normative_docs import services as s
from normative_docs.models import Document, Event, LegalReview
from normative_docs.resources import (
    DocumentResource,
    ReviewResource,
    export_dataset,
    import_ledger,
    plan_import,
)
from normative_docs.tests.builders import make_advisor, published

d = dt.date
pytestmark = pytest.mark.django_db
NUMBERS = ("number", "serial", "register_number", "register_serial")


def _csv(headers: list[str], rows: list[dict]) -> bytes:
    return render_csv(
        tablib.Dataset(*([r.get(h, "") for h in headers] for r in rows), headers=headers)
    )


def _document_row(i: int) -> dict:
    return {"发文字号": f"庙坝府发〔2020〕{i}号", "文件名称": f"庙坝镇管理办法（{i}）",
            "起草单位": "司法所", "印发日期": "2020-03-05"}  # fmt: skip


def _review_row(i: int) -> dict:
    return {"审查类别": "合同", "审查事项": f"村道硬化工程施工合同（{i}）", "送审单位": "司法所",
            "法律顾问": "陈律师", "送审日期": "2020-09-25", "完成日期": "2020-10-09",
            "审查结论": "通过", "建议意见": "1. 增加质量保证金条款", "采纳情况": "是"}  # fmt: skip


def test_a_document_imported_has_the_record_and_timeline_its_steps_write(clerk, justice_office):
    by_steps = published(clerk, justice_office, on=d(2020, 3, 14))
    s.document_file(by_steps, by=clerk, filed_on=d(2020, 3, 30), filed_to="城口县人民政府")
    exported = export_dataset("documents", Document.objects.all()).dict[0]
    row = {**exported, "发文字号": "庙坝府发〔2020〕5号", "登记号": "庙坝规登〔2020〕5号"}

    plan = import_ledger(
        "documents", _csv(DocumentResource.headers(), [row]), "登记簿.csv", user=clerk
    )

    assert plan.errors == [] and plan.created == 1
    by_import = Document.objects.get(number="庙坝府发〔2020〕5号")
    skip = {*NUMBERS, "version"}
    assert record_state(by_import, skip=skip) == record_state(by_steps, skip=skip)
    renumbered = [
        (a, on, by, note.replace("〔2020〕1号", "〔2020〕5号"))
        for a, on, by, note in timeline(by_steps)
    ]
    assert timeline(by_import) == renumbered
    assert [a for a, *_ in renumbered] == [
        "起草",
        "合法性审核",
        "集体讨论",
        "签发",
        "登记编号",
        "印发",
        "报备",
    ]
    # One history row for the import, holding what the steps' last row holds.
    (created,) = history_state(by_import, skip=skip)
    last = history_state(by_steps, skip=skip)[-1]
    assert created.pop("history_type") == "+" and last.pop("history_type") == "~"
    assert created.pop("history_user_id") == clerk.pk
    last.pop("history_user_id")  # the services were called without a request here
    assert created == last


def test_an_update_by_import_names_the_clerk_and_adds_the_steps_it_implies(clerk, justice_office):
    document = published(clerk, justice_office, on=d(2020, 3, 14))
    row = {**export_dataset("documents", Document.objects.all()).dict[0],
           "报备日期": d(2020, 3, 30), "报备机关": "城口县人民政府", "状态": ""}  # fmt: skip

    plan = import_ledger(
        "documents", _csv(DocumentResource.headers(), [row]), "补报.csv", user=clerk
    )

    assert plan.updated == 1
    document.refresh_from_db()
    assert document.status == Document.Status.FILED
    change = Document.history.filter(history_type="~").order_by("history_date").last()
    assert (change.filed_on, change.history_user) == (d(2020, 3, 30), clerk)
    assert timeline(document)[-1] == ("报备", d(2020, 3, 30), clerk.pk, "报城口县人民政府备案")
    assert (
        document.events.filter(action="导入")
        .get()
        .note.startswith("按登记簿“补报.csv”第2行更新：报备日期")
    )


def test_a_register_import_failing_midway_writes_no_row(clerk, justice_office, monkeypatch):
    data = _csv(DocumentResource.headers(), [_document_row(i) for i in (1, 2, 3)])

    # Documents and their history rows are in when the timelines' insert fails.
    def failing_bulk_create(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(Event.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        import_ledger("documents", data, "登记簿.csv", user=clerk)
    assert Document.objects.count() == 0 and Document.history.count() == 0


@pytest.mark.parametrize("kind", ["documents", "reviews"])
def test_checking_and_importing_cost_the_same_queries_for_10_rows_as_for_100(
    kind, clerk, advisor, justice_office
):
    make_advisor(advisor)
    resource, make = (
        (DocumentResource, _document_row) if kind == "documents" else (ReviewResource, _review_row)
    )
    small = _csv(resource.headers(), [make(i) for i in range(1, 11)])
    large = _csv(resource.headers(), [make(i) for i in range(11, 111)])
    plan_import(kind, small, "f.csv", user=clerk)  # the user's permissions, cached once

    checks = [
        round_trips(lambda x=x: plan_import(kind, x, "f.csv", user=clerk)) for x in (small, large)
    ]
    imports = [
        round_trips(lambda x=x: import_ledger(kind, x, "f.csv", user=clerk)) for x in (small, large)
    ]

    assert (Document if kind == "documents" else LegalReview).objects.count() == 110
    assert checks[0] == checks[1]
    assert imports[0] == imports[1]

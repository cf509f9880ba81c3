"""A row that passes the preview is written, on SQLite and PostgreSQL alike (issue 12 §3).

The limits come from the model fields (length, integer range, digits, choices), checked the
same on both databases; messages name row and column and list labels, never stored codes;
plain words a clerk writes (继续有效, 失效, 废止, 保留, 是, 否) are understood.
"""

from __future__ import annotations

import csv
import io

import pytest

from miaoba.ledger import LEDGERS, RowError

pytestmark = pytest.mark.django_db


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _import(kind: str, rows: list[list], user):
    ledger = LEDGERS[kind]
    return ledger.import_file(_csv([ledger.headers(), *rows]), f"{kind}.csv", user=user)


def test_a_year_figure_with_a_too_long_source_or_a_too_large_value_is_refused_in_the_preview(
    clerk,
):
    from reports.models import YearFigure

    plan = _import(
        "year_figures",
        [
            [2020, "服务窗口数", 8, "来" * 120],
            [2020, "窗口工作人员数", 500000000000, "人事台账"],
        ],
        clerk,
    )

    assert plan.errors == [
        RowError(2, "数据来源", "最多100个字，现有120个字。"),
        RowError(3, "数值", "数值500000000000过大：最多11位整数、1位小数，请核对单位。"),
    ]
    assert YearFigure.objects.count() == 0


def test_a_work_record_with_more_people_than_a_column_holds_is_refused(clerk):
    plan = _import(
        "records",
        [["2020-06-05", "普法活动", "赶场天普法", 1, 3000000000, "", "司法所", ""]],
        clerk,
    )

    assert plan.errors == [RowError(2, "人次", "数值3000000000超出范围：最大为2147483647。")]


def test_a_wrong_state_lists_the_states_a_clerk_writes_not_internal_codes(clerk):
    from disputes.tests.ledger_data import petition_row

    plan = _import("petitions", [petition_row(状态="处理中")], clerk)

    assert plan.errors == [
        RowError(
            2, "状态", "“处理中”不是可选的值。可选：待受理、办理中、不予受理、已办结、已答复。"
        )
    ]
    assert "registered" not in str(plan.errors)


def test_clean_up_words_are_understood_as_document_states(clerk, justice_office):
    from normative_docs.models import Document
    from normative_docs.resources import DocumentResource

    headers = DocumentResource.headers()

    def row(number, status, **more):
        values = dict.fromkeys(headers, "")
        values.update(
            发文字号=number,
            文件名称=f"文件{number}",
            起草单位="司法所",
            印发日期="2019-03-05",
            报备日期="2019-03-20",
            状态=status,
            **more,
        )
        return [values[h] for h in headers]

    plan = _import(
        "documents",
        [
            row("庙坝府发〔2019〕1号", "继续有效"),
            row("庙坝府发〔2019〕2号", "保留"),
            row("庙坝府发〔2019〕3号", "失效", **{"失去效力或撤回日期": "2021-03-05"}),
            row("庙坝府发〔2019〕4号", "废止", **{"失去效力或撤回日期": "2021-03-05"}),
        ],
        clerk,
    )

    assert plan.errors == []
    assert dict(Document.objects.values_list("number", "status")) == {
        "庙坝府发〔2019〕1号": "filed",
        "庙坝府发〔2019〕2号": "filed",
        "庙坝府发〔2019〕3号": "expired",
        "庙坝府发〔2019〕4号": "repealed",
    }


def test_an_unknown_document_state_lists_labels_only(clerk, justice_office):
    from normative_docs.resources import DocumentResource

    headers = DocumentResource.headers()
    values = dict.fromkeys(headers, "")
    values.update(发文字号="庙坝府发〔2019〕1号", 文件名称="甲", 起草单位="司法所", 状态="暂停")

    plan = _import("documents", [[values[h] for h in headers]], clerk)

    (error,) = plan.errors
    assert error.column == "状态"
    assert error.message.startswith(
        "“暂停”不是可选的值。可选：已编号待印发、已印发待报备、有效（已报备）"
    )
    assert "filed" not in error.message and "withdrawn" not in error.message

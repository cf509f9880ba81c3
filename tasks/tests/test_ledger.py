"""The 整改台账: xlsx/csv round trip, checking the whole file first, and the commands."""

import datetime as dt
import io

import pytest
import tablib
from django.core.management import CommandError, call_command

from miaoba.ledger import LEDGERS, render_csv, render_xlsx
from tasks import services as s
from tasks.models import Problem, Progress, Task
from tasks.resources import TaskResource, export_dataset, import_ledger
from tasks.tests.builders import pdf, problem, task

pytestmark = pytest.mark.django_db


def _tasks_in_every_state(clerk, leader, unit):
    p = problem(
        clerk, document="2020年法治政府建设工作情况报告", category="思想认识", aspect="重视程度"
    )
    task(clerk, unit=unit, leader=leader, the_problem=p, measures="未开始的")
    going = task(clerk, unit=unit, leader=leader, the_problem=p, measures="整改中的")
    s.task_add_progress(going, by=clerk, on=dt.date(2021, 3, 5), text="开展集体学法")
    done = task(clerk, unit=unit, leader=leader, the_problem=p, measures="已销号的")
    s.task_complete(done, by=clerk, on=dt.date(2021, 6, 1), text="制度已印发", files=[pdf()])
    s.task_verify(done, by=leader, on=dt.date(2021, 6, 3), passed=True, comment="到位")
    task(
        clerk,
        unit=unit,
        leader=leader,
        the_problem=p,
        measures="长期的",
        is_long_term=True,
        milestones=[("季度学法", dt.date(2021, 3, 31))],
    )


def _xlsx(rows: list[list]) -> bytes:
    data = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        data.append(row)
    data.title = "整改台账"
    return render_xlsx(data)


def _row(**values) -> list:
    base = {
        "编号": "", "问题来源": "督察", "年度": 2021, "来源文件": "督察反馈意见", "大类": "依法行政", "方面": "执法规范",
        "问题": "行政执法案卷不规范", "整改措施": "开展执法案卷评查", "牵头单位": "司法所", "配合单位": "党政办公室",
        "责任人": "李文静", "分管领导": "王镇长", "交办日期": "2021-03-05", "整改时限": "2021年6月30日", "状态": "",
        "整改进展": "", "完成日期": "", "销号": "否", "销号日期": "", "销号领导": "", "销号意见": "",
    }  # fmt: skip
    base.update(values)
    return [base[h] for h in TaskResource.headers()]


def test_headers_hold_the_required_columns():
    headers = TaskResource.headers()
    for column in ("问题", "整改措施", "牵头单位", "责任人", "整改时限", "整改进展", "销号"):
        assert column in headers
    assert LEDGERS["tasks"].title == "整改台账"


def test_xlsx_round_trip_changes_and_duplicates_nothing(clerk, leader, justice_office):
    _tasks_in_every_state(clerk, leader, justice_office)
    data = render_xlsx(export_dataset(Task.objects.all()))
    before = (Task.objects.count(), Problem.objects.count(), Progress.objects.count())

    plan = import_ledger(data, "整改台账.xlsx", user=clerk)

    assert plan.errors == []
    assert (plan.created, plan.updated, plan.unchanged) == (0, 4, 4)
    assert (Task.objects.count(), Problem.objects.count(), Progress.objects.count()) == before


def test_export_writes_dates_as_dates_and_long_term_as_text(clerk, leader, justice_office):
    _tasks_in_every_state(clerk, leader, justice_office)
    dataset = export_dataset(Task.objects.all())
    rows = {
        r[TaskResource.headers().index("整改措施")]: dict(zip(dataset.headers, r, strict=True))
        for r in dataset
    }
    assert rows["未开始的"]["整改时限"] == dt.date(2021, 6, 30)
    assert rows["长期的"]["整改时限"] == "长期坚持"
    assert rows["整改中的"]["整改进展"] == "2021-03-05：开展集体学法"
    assert (
        rows["已销号的"]["销号"],
        rows["已销号的"]["销号日期"],
        rows["已销号的"]["销号领导"],
    ) == ("是", dt.date(2021, 6, 3), "王镇长")
    assert render_csv(dataset).startswith("\ufeff编号,问题来源".encode())


def test_import_creates_problem_and_task_and_reimport_creates_nothing(
    clerk, leader, justice_office, party_office
):
    data = _xlsx(
        [
            TaskResource.headers(),
            _row(),
            _row(整改措施="规范执法文书", 整改进展="2021-04-01：完成案卷评查\n制定整改清单"),
        ]
    )
    plan = import_ledger(data, "督察整改.xlsx", user=clerk)
    assert plan.errors == []
    assert Problem.objects.get().source == "督察"
    made = Task.objects.order_by("serial")
    assert [t.number for t in made] == ["整改〔2021〕1号", "整改〔2021〕2号"]
    assert [t.status for t in made] == ["not_started", "in_progress"]
    assert made[0].co_units.get() == party_office
    assert [p.text for p in made[1].progress.all()] == ["完成案卷评查", "制定整改清单"]

    again = import_ledger(data, "督察整改.xlsx", user=clerk)
    assert (again.created, again.unchanged) == (0, 2)
    assert Task.objects.count() == 2
    assert Progress.objects.count() == 2


def test_a_file_with_any_bad_row_writes_nothing_and_names_row_and_column(
    clerk, leader, justice_office
):
    data = _xlsx([
        TaskResource.headers(),
        _row(),
        _row(整改措施="其二", 整改时限="下个月", 责任人="张三"),
        _row(整改措施="其三", 状态="已销号", 销号="是"),
        _row(整改措施="其四", 分管领导="李文静", 牵头单位="不存在的办"),
    ])  # fmt: skip
    plan = import_ledger(data, "台账.xlsx", user=clerk)
    found = {(e.row, e.column) for e in plan.errors}
    assert {(3, "整改时限"), (3, "责任人"), (4, "状态"), (5, "分管领导"), (5, "牵头单位")} <= found
    assert "系统中没有在岗用户“张三”" in str(plan.errors[1]) or any(
        "张三" in e.message for e in plan.errors
    )
    assert Task.objects.count() == 0
    assert Problem.objects.count() == 0


def test_import_may_not_change_a_deadline_or_a_closed_task(clerk, leader, justice_office):
    _tasks_in_every_state(clerk, leader, justice_office)
    dataset = export_dataset(Task.objects.all())
    headers = dataset.headers
    rows = [dict(zip(headers, r, strict=True)) for r in dataset]
    for r in rows:
        if r["整改措施"] == "未开始的":
            r["整改时限"] = dt.date(2021, 12, 31)
        if r["整改措施"] == "已销号的":
            r["责任人"] = "王镇长"
    plan = import_ledger(
        _xlsx([headers] + [[r[h] for h in headers] for r in rows]), "台账.xlsx", user=clerk
    )
    messages = [e.message for e in plan.errors]
    assert any("请在系统中办理“延期”" in m for m in messages)
    assert any("已销号，不能修改" in m for m in messages)
    assert Task.objects.get(measures="未开始的").due_on == dt.date(2021, 6, 30)


def test_commands_export_and_import_with_dry_run(tmp_path, clerk, leader, justice_office):
    _tasks_in_every_state(clerk, leader, justice_office)
    path = tmp_path / "整改台账.xlsx"
    out = io.StringIO()
    call_command("export_ledger", "tasks", str(path), stdout=out)
    assert "已导出整改台账 4 件" in out.getvalue()
    Task.objects.filter(measures="未开始的").update(measures="被改过的")
    call_command("import_ledger", "tasks", str(path), "--dry-run", "--user", "clerk", stdout=out)
    assert "检查通过（未写入）" in out.getvalue()
    assert Task.objects.filter(measures="被改过的").exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        render_csv(tablib.Dataset(_row(交办日期="2021-13-01"), headers=TaskResource.headers()))
    )
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command(
            "import_ledger", "tasks", str(bad), "--user", "clerk", stdout=out, stderr=io.StringIO()
        )


def test_an_import_filling_a_problems_blank_writes_a_history_row_naming_the_clerk(
    clerk, leader, justice_office, party_office
):
    Problem.objects.create(
        source="督察", year=2021, title="行政执法案卷不规范", document="", created_by=leader
    )

    plan = import_ledger(_xlsx([TaskResource.headers(), _row()]), "整改台账.xlsx", user=clerk)

    assert plan.errors == []
    problem = Problem.objects.get()
    assert problem.document == "督察反馈意见"
    change = problem.history.filter(history_type="~").get()
    assert (change.document, change.history_user) == ("督察反馈意见", clerk)

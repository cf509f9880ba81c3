"""The 行政复议应诉案件台账: export, and import through the same services as the forms."""

import datetime as dt

import pytest

from miaoba.ledger import LEDGERS, render_csv, render_xlsx
from reconsideration import services as s
from reconsideration.models import Case
from reconsideration.tests.builders import register_case

pytestmark = pytest.mark.django_db
d = dt.date
LEDGER = "reconsideration"
HEAD = (
    "案件类型,案号,复议机关或人民法院,收到副本日期,申请人（原告）,被申请复议或被诉的行政行为,"
    "行政行为类别,行政行为文号,请求事项,承办单位,答复（答辩）日期,答复（答辩）要点,"
    "开庭（听证）日期,出庭（听证）人员身份,出庭（听证）人员,负责人未能出庭的原因,"
    "决定（判决）日期,结果,送达日期,决定（判决）要点,上诉日期,上诉人,纠正日期,纠正情况\n"
)


def _csv(*rows: str) -> bytes:
    return (HEAD + "".join(r + "\n" for r in rows)).encode("utf-8-sig")


ROW = (
    "行政诉讼,（2024）渝0154行初9号,城口县人民法院,2024/3/4,谭玉梅、谭国平,未依申请查处违法建筑,"
    "不履行法定职责,,,司法所,2024年3月20日,,2024-04-23,委托工作人员出庭,李文静,{reason},"
    "2024-05-30,责令履行 / 判决履行,2024-06-03,,,,,"
)


def test_import_writes_each_step_through_the_services(clerk, justice_office):
    ledger = LEDGERS[LEDGER]
    data = _csv(ROW.format(reason="镇长参加防汛会议"))
    plan = ledger.import_file(data, "台账.csv", user=clerk)
    assert plan.errors == []
    case = Case.objects.get(case_number="（2024）渝0154行初9号")
    assert [link.name for link in case.applicant_links.all()] == ["谭玉梅", "谭国平"]
    assert case.status == Case.Status.DECIDED and case.outcome == "责令履行"
    assert [e.action for e in case.events.all()] == ["登记", "提交答辩状", "开庭", "判决（裁定）"]
    again = ledger.check_file(data, "台账.csv", user=clerk)
    assert (again.created, again.unchanged) == (0, 1)


def test_a_rule_the_services_enforce_is_an_error_at_its_row_and_column(clerk, justice_office):
    plan = LEDGERS[LEDGER].import_file(_csv(ROW.format(reason="")), "台账.csv", user=clerk)
    assert [str(e) for e in plan.errors] == [
        f"行 2，列「负责人未能出庭的原因」：{s.ENTRUST_REQUIRED}"
    ]
    assert not Case.objects.exists()


def test_a_recorded_step_is_not_overwritten_by_a_ledger(clerk, justice_office):
    case = register_case(
        by=clerk, unit=justice_office, received_on=d(2024, 3, 4), case_number="（2024）渝0154行初9号",
        body="城口县人民法院", act="未依申请查处违法建筑", act_kind="不履行法定职责",
        applicants=[s.PersonData(name="谭玉梅")],
    )  # fmt: skip
    s.case_answer(case, by=clerk, on=d(2024, 3, 18))
    plan = LEDGERS[LEDGER].check_file(_csv(ROW.format(reason="会议")), "台账.csv", user=clerk)
    assert [str(e) for e in plan.errors] == [
        "行 2，列「答复（答辩）日期」：答复答辩已登记为“2024-03-18”，不能由台账改写；如有错误请在系统中更正。"
    ]


def test_export_round_trips_in_xlsx_and_csv(clerk, justice_office):
    case = register_case(by=clerk, unit=justice_office, received_on=d(2024, 9, 25))
    s.case_answer(case, by=clerk, on=d(2024, 10, 8))
    s.case_hearing(case, by=clerk, on=d(2024, 11, 5), appearance="正职负责人", name="王明")
    ledger = LEDGERS[LEDGER]
    dataset = ledger.export()
    assert dataset.headers == ledger.headers()
    assert dataset[0][dataset.headers.index("出庭（听证）人员身份")] == "正职负责人出庭"
    for render, name in ((render_xlsx, "a.xlsx"), (render_csv, "a.csv")):
        plan = ledger.check_file(render(dataset), name, user=clerk)
        assert plan.errors == [] and (plan.created, plan.unchanged) == (0, 1)

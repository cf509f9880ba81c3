"""The demo data rebuild the 2020 report of 庙坝镇 from records (shared/seed-report-2020.txt)."""

import datetime as dt

from reports import services
from reports.models import AnnualReport

SEED_FIGURES = [
    "服务窗口8个，工作人员8名，纳入窗口受理、办理的行政审批、服务事项共8项，按时办结率达100%",
    "2016—2020年全镇共印发规范性文件35件",
    "2016—2020年共提出建议意见15条，审查规范性文件、合同、参与重大事件处理等17件",
    "2016—2020年全镇共受理信访案件218起、受理各类矛盾纠纷案件615起，已经全部按照要求回复",
    "四、对确保2021年我镇基本建成法治政府提出意见建议",
]


def _text(report) -> str:
    data = services.rendered(report)
    return "\n".join(s["heading"] + s["text"] for s in data["sections"])


def test_demo_data_rebuild_every_figure_of_the_2020_report(demo):
    from miaoba.models import User

    clerk = User.objects.get(username="clerk")
    report = AnnualReport.objects.get(year=2020)
    text = _text(report)
    for sentence in SEED_FIGURES:
        assert sentence in text
    assert services.rendered(report)["unknown"] == []

    from disputes import services as ds
    from disputes.models import Category
    from miaoba.models import Unit

    ds.petition_register(
        by=clerk,
        received_on=dt.date(2019, 6, 3),
        channel="来信",
        category=Category.objects.get(name="邻里"),
        unit=Unit.objects.get(name="信访办"),
        summary="补登的一件",
        petitioners=[ds.PersonData(name="补登人")],
    )
    assert "共受理信访案件219起" in _text(AnnualReport.objects.get(year=2020))

"""Demo 行政复议/行政应诉 cases for `load_demo`: a few over 2021–2025, written through the services.

A township has few such cases: none before 2021 (the 2020 report, `shared/seed-report-2020.txt`,
counts none, and its figures must stay as they are), none in 2023 (its report says
"全年未发生行政复议、行政诉讼案件"), and one or two in the other years — a judgment for the
township with its head in court, a 复议 decision against it and the act corrected, a late 答辩状
and an entrusted staff member, a withdrawal. People are invented. Skipped when cases exist.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from disputes.services import PersonData
from miaoba.models import Unit, User
from reconsideration import services as s
from reconsideration.models import Case

d = dt.date
LIT, RECON = Case.Kind.LITIGATION, Case.Kind.RECONSIDERATION
COURT, COUNTY = "城口县人民法院", "城口县人民政府"


def _register(clerk, unit, kind, number, received_on, act, act_kind, who, **extra) -> Case:
    return s.case_register(
        by=clerk,
        kind=kind,
        case_number=number,
        body=COURT if kind == LIT else COUNTY,
        received_on=received_on,
        act=act,
        act_kind=act_kind,
        unit=unit,
        applicants=[PersonData(name=name, phone=phone) for name, phone in who],
        **extra,
    )


@transaction.atomic
def load_demo_records() -> str:
    """Create the demo cases; return a one-line summary, or "" when cases already exist."""
    if Case.objects.exists():
        return ""
    clerk = User.objects.get(username="clerk")
    unit = Unit.objects.get(name="司法所")

    # 2021: a suit over a demolition order; the head (镇长) in court; the claim dismissed.
    c = _register(
        clerk, unit, LIT, "（2021）渝0154行初27号", d(2021, 6, 7),
        "对违法占地建房作出的限期拆除决定", Case.ActKind.PENALTY,
        [("向德华", "13908231456")], act_number="庙坝府罚决〔2021〕3号",
        claims="请求撤销限期拆除决定",
    )  # fmt: skip
    s.case_answer(c, by=clerk, on=d(2021, 6, 18), note="违法事实清楚，证据确凿，程序合法")
    s.case_hearing(c, by=clerk, on=d(2021, 7, 20), appearance="正职负责人", name="王明 镇长")
    s.case_decide(c, by=clerk, on=d(2021, 8, 16), outcome="驳回诉讼请求", served_on=d(2021, 8, 19))

    # 2022: a 复议 on an information-disclosure reply; revoked, and the reply made again.
    c = _register(
        clerk, unit, RECON, "城府复〔2022〕14号", d(2022, 9, 21),
        "政府信息公开申请答复（征地补偿标准）", Case.ActKind.DISCLOSURE,
        [("冉光荣", "13996402318")], claims="请求撤销答复，公开征地补偿标准",
    )  # fmt: skip
    s.case_answer(c, by=clerk, on=d(2022, 10, 8), note="已按规定答复，部分信息不属于本机关公开范围")
    s.case_decide(c, by=clerk, on=d(2022, 11, 18), outcome="撤销", served_on=d(2022, 11, 21))
    s.case_correct(c, by=clerk, on=d(2022, 12, 2), note="重新作出答复，公开征地补偿标准文件")

    # 2024: a suit for failing to act, answered a day late; a staff member entrusted; lost,
    # appealed; and a 复议 on a coercive measure, upheld.
    c = _register(
        clerk, unit, LIT, "（2024）渝0154行初9号", d(2024, 3, 4),
        "未依申请查处相邻方违法建筑", Case.ActKind.INACTION,
        [("谭玉梅", "13452318870"), ("谭国平", "")], claims="请求判令被告履行查处职责",
    )  # fmt: skip
    s.case_answer(c, by=clerk, on=d(2024, 3, 20), note="已受理举报并调查，正在依法处理")
    s.case_hearing(
        c, by=clerk, on=d(2024, 4, 23), appearance="委托工作人员", name="李文静 司法所干部",
        reason="镇长参加全县防汛紧急调度会议，分管副镇长在外学习",
    )  # fmt: skip
    s.case_decide(c, by=clerk, on=d(2024, 5, 30), outcome="责令履行", served_on=d(2024, 6, 3))
    s.case_appeal(c, by=clerk, on=d(2024, 6, 14), appellant="本机关")
    s.case_correct(c, by=clerk, on=d(2024, 7, 10), note="依法作出责令限期拆除决定并送达")
    c = _register(
        clerk, unit, RECON, "城府复〔2024〕31号", d(2024, 9, 25),
        "查封违法经营场所", Case.ActKind.COERCION, [("林永福", "15123067742")],
    )  # fmt: skip
    s.case_answer(c, by=clerk, on=d(2024, 10, 12), note="查封措施依法作出，期限适当")
    s.case_decide(c, by=clerk, on=d(2024, 12, 6), outcome="维持", served_on=d(2024, 12, 9))

    # 2025: a suit over a licence, the deputy head in court; withdrawn after explanation.
    c = _register(
        clerk, unit, LIT, "（2025）渝0154行初4号", d(2025, 1, 9),
        "不予办理乡村建设规划许可", Case.ActKind.LICENCE, [("郭春燕", "18723190065")],
    )  # fmt: skip
    s.case_answer(c, by=clerk, on=d(2025, 1, 20), note="申请材料不齐且用地不符合村庄规划")
    s.case_hearing(c, by=clerk, on=d(2025, 3, 11), appearance="副职负责人", name="胡志强 副镇长")
    s.case_decide(c, by=clerk, on=d(2025, 3, 25), outcome="撤诉", served_on=d(2025, 3, 27))
    return f"演示行政复议、行政诉讼案件 {Case.objects.count()} 件（2021—2025年）已载入。"

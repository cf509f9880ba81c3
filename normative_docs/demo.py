"""Demo register of 庙坝镇 for `load_demo`: 2016–2020 as the 2020 report tells it, and today.

- 35 documents issued 2016–2020 under 三统一 (the report: 2016-2020年全镇共印发规范性文件35件);
- one legal advisor whose reviews of 2016–2020 total 17 (8 规范性文件, 6 合同, 3 重大事件处置)
  with 15 opinions (建议意见);
- a clean-up in 2019, major decisions (2021, 2023, 2024) with all five steps;
- 2021–2025: documents (none in 2023), contracts and decisions, all sent to the advisor;
- this year: a draft awaiting the advisor's review, a document published and awaiting filing,
  and a 暂行 document whose validity ends within 90 days.

Titles and people are illustrative. Made through the services, so every record has its
timeline. Deterministic; skipped when the register already holds documents (idempotent).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from miaoba.models import Unit, User
from normative_docs import services as s
from normative_docs.models import Advisor, Document, Issuer, LegalReview

TITLES = {
    2016: [
        "庙坝镇农村集体“三资”管理办法",
        "庙坝镇政府信息公开工作制度",
        "庙坝镇防汛抗旱应急预案",
        "庙坝镇场镇环境卫生管理办法",
        "庙坝镇村级财务管理实施细则",
        "庙坝镇机关工作人员考勤管理制度",
    ],
    2017: [
        "庙坝镇农村危房改造实施办法",
        "庙坝镇矛盾纠纷排查调处工作制度",
        "庙坝镇森林防火管理办法",
        "庙坝镇重大行政决策程序规定",
        "庙坝镇安全生产网格化管理办法",
        "庙坝镇农村低保评审工作规程",
        "庙坝镇政府法律顾问工作规则",
    ],
    2018: [
        "庙坝镇农村人居环境整治实施方案",
        "庙坝镇扶贫项目资金管理办法",
        "庙坝镇场镇占道经营管理规定",
        "庙坝镇行政执法公示制度",
        "庙坝镇行政执法全过程记录制度",
        "庙坝镇重大执法决定法制审核制度",
        "庙坝镇地质灾害防治工作方案",
    ],
    2019: [
        "庙坝镇规范性文件管理办法",
        "庙坝镇农村公路养护管理办法",
        "庙坝镇河长制工作实施细则",
        "庙坝镇村（社区）干部考核办法",
        "庙坝镇集体经济组织收益分配办法",
        "庙坝镇政务服务“一窗综办”工作制度",
        "庙坝镇饮用水水源保护管理办法",
        "庙坝镇产业发展扶持资金管理暂行办法",
    ],
    2020: [
        "庙坝镇新冠肺炎疫情防控工作制度",
        "庙坝镇农村宅基地管理办法",
        "庙坝镇法治政府建设实施方案",
        "庙坝镇村规民约备案审查办法",
        "庙坝镇公共法律服务工作制度",
        "庙坝镇高标准农田建设管护办法",
        "庙坝镇应急物资储备管理办法",
    ],
}
UNITS = ["党政办公室", "司法所", "综治办", "经济发展办公室", "社会事务办公室",
         "规划建设管理环保办公室", "农业服务中心"]  # fmt: skip
# The advisor's opinions on the documents they reviewed (2 + 1 + 2 + 0 + 1 + 2 + 1 + 0 = 9).
DOCUMENT_OPINIONS = [
    ["第五条“罚款”超出乡镇政府权限，建议删除", "建议明确资产处置须经村民会议讨论"],
    ["建议增加权利救济途径的告知条款"],
    ["第八条与《森林防火条例》表述不一致，建议修改", "建议删除“一律不予补助”的表述"],
    [],
    ["建议补充执法文书送达的时限要求"],
    ["建议明确审核机构和审核时限", "建议增加未经审核不得提交讨论的规定"],
    ["建议补充收益分配方案公示环节"],
    [],
]
CONTRACTS = [
    ("庙坝镇场镇污水处理站运营委托合同", ["建议明确运营方的违约责任"]),
    ("庙坝镇村道硬化工程施工合同", ["建议增加质量保证金条款"]),
    ("庙坝镇政府办公楼维修工程合同", []),
    ("庙坝镇农产品交易市场租赁合同", ["租期超过20年部分无效，建议调整", "建议明确租金调整机制"]),
    ("庙坝镇垃圾清运服务采购合同", []),
    ("庙坝镇高标准农田建设项目监理合同", ["建议补充监理人员到岗要求"]),
]
INCIDENTS = [
    ("石兴村“7·12”山洪灾害群众安置处置", ["建议依法制作紧急征用财产清单并及时返还或补偿"]),
    ("罗江村土地承包经营权群体性纠纷处置", []),
    ("场镇自建房垮塌事件善后处置", []),
]


# 2021 on: every document goes to the legal advisor first (年份: [(title, opinions)]). 2023
# issued none: the report of that year says so.
LATER_TITLES = {
    2021: [
        ("庙坝镇行政执法公示实施办法", ["建议明确公示信息的撤下时限"]),
        ("庙坝镇村级小微权力清单管理办法", []),
        ("庙坝镇农村人居环境长效管护办法", ["建议删除“罚款”条款，乡镇无此设定权"]),
    ],
    2022: [
        ("庙坝镇信访工作责任制实施细则", ["建议与《信访工作条例》第二十三条期限表述一致"]),
        ("庙坝镇防汛抗旱应急预案（2022年修订）", []),
    ],
    2024: [
        ("庙坝镇农村宅基地审批管理办法", ["建议补充公示期满无异议方可审批的规定"]),
        ("庙坝镇“法律明白人”培养管理办法", []),
        ("庙坝镇重大行政决策目录管理办法", ["建议明确目录调整的程序"]),
        ("庙坝镇政府合同管理办法", ["建议增加合同履行情况的跟踪条款", "建议明确合法性审查为签约前置程序"]),
    ],
    2025: [
        ("庙坝镇公共法律服务工作站管理办法", []),
        ("庙坝镇森林防火管理办法（2025年修订）", ["建议与新修订的《森林防火条例》相衔接"]),
    ],
}  # fmt: skip
LATER_CONTRACTS = {
    2021: [("庙坝镇场镇污水管网改造工程施工合同", ["建议明确工期延误的违约责任"]),
           ("庙坝镇便民服务中心物业服务合同", [])],
    2022: [("庙坝镇农村饮水安全巩固提升工程合同", ["建议增加质保期条款"]),
           ("庙坝镇场镇垃圾清运服务合同（续签）", []),
           ("石兴村集体经济组织土地流转合同", ["租赁期限超过承包期剩余期限部分无效，建议调整"])],
    2023: [("庙坝镇农贸市场迁建工程设计合同", ["建议明确设计变更的费用承担"]),
           ("庙坝镇政府采购办公设备合同", [])],
    2024: [("庙坝镇场镇停车场委托经营合同", ["建议明确收费标准须经价格主管部门核定"])],
    2025: [("庙坝镇应急物资储备库租赁合同", []),
           ("庙坝镇高标准农田建设工程监理合同", ["建议补充监理人员到岗考勤条款"])],
}  # fmt: skip
# Major decisions after 2021's: (title, unit, started, meeting, summary).
LATER_DECISIONS = [
    ("庙坝镇农贸市场迁建实施方案", "经济发展办公室", dt.date(2023, 4, 3), dt.date(2023, 6, 16),
     "将场镇农贸市场迁至滨河路，新建摊位120个。"),
    ("庙坝镇场镇停车管理方案", "规划建设管理环保办公室", dt.date(2024, 3, 4), dt.date(2024, 5, 20),
     "划定场镇停车泊位260个，实行分时段管理。"),
]  # fmt: skip


def _add_working(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _issue(doc: Document, *, by, meeting_on: dt.date, filed_after: int, leader_name: str):
    s.document_discuss(
        doc, by=by, meeting_name="镇政府常务会议", meeting_on=meeting_on, passed=True
    )
    s.document_sign(doc, by=by, signed_by=leader_name, signed_on=meeting_on + dt.timedelta(days=1))
    s.document_register(doc, by=by, registered_on=meeting_on + dt.timedelta(days=2))
    s.document_publish(doc, by=by, published_on=meeting_on + dt.timedelta(days=3))
    if filed_after is not None:
        s.document_file(
            doc,
            by=by,
            filed_on=doc.published_on + dt.timedelta(days=filed_after),
            filed_to="城口县人民政府",
        )
    return doc


def load_demo_records() -> str:
    """Create the demo register, reviews, clean-up and decision; return a line saying so.

    Returns "" when the register already holds documents.
    """
    if Document.objects.exists() or Advisor.objects.exists():
        return ""
    today = timezone.localdate()
    keeper = User.objects.get(username="clerk2")
    advisor_user = User.objects.get(username="advisor")
    leader = User.objects.get(username="leader")
    leader_name = leader.display_name
    units = {u.name: u for u in Unit.objects.filter(name__in=UNITS)}
    advisor = Advisor.objects.create(
        name="陈律师",
        law_firm="重庆渝东北律师事务所",
        licence_number="15002201610123456",
        phone="023-59221234",
        contract_from=dt.date(2016, 1, 1),
        contract_to=dt.date(today.year, 12, 31),
        user=advisor_user,
    )
    documents = []
    advisor_reviews = 0
    n = 0
    for year, titles in TITLES.items():
        for i, title in enumerate(titles):
            drafted = dt.date(year, 1, 15) + dt.timedelta(days=35 * i)
            unit = units[UNITS[n % len(UNITS)]]
            issuer = Issuer.OFFICE if n % 3 == 2 else Issuer.GOVERNMENT
            doc = s.document_draft(
                by=keeper,
                title=title,
                issuer=issuer,
                drafting_unit=unit,
                drafter="周建国",
                drafted_on=drafted,
                summary=f"为规范{title.removeprefix('庙坝镇')[:-2]}工作，结合本镇实际，制定本文件。",
            )
            s.document_consult(
                doc,
                by=keeper,
                comment_from=drafted + dt.timedelta(days=3),
                comment_to=drafted + dt.timedelta(days=17),
                note="在镇村公示栏和“庙坝微发布”公开征求意见。",
            )
            sent = drafted + dt.timedelta(days=18)
            if n % 4 == 1 and advisor_reviews < len(DOCUMENT_OPINIONS):
                opinions = DOCUMENT_OPINIONS[advisor_reviews]
                review = s.document_send_for_review(
                    doc, by=keeper, advisor=advisor, submitted_on=sent
                )
                done = _add_working(sent, 6 + advisor_reviews % 5)
                s.review_complete(
                    review,
                    by=advisor_user,
                    completed_on=done,
                    conclusion="修改后通过" if opinions else "通过",
                    summary="经审查，该文件制定主体、程序合法，内容未发现与上位法相抵触。",
                    opinions=opinions,
                )
                s.review_record_adoption(
                    review, by=keeper, adopted={o.pk: True for o in review.opinions.all()}
                )
                advisor_reviews += 1
            else:
                done = _add_working(sent, 5)
                s.document_record_review(
                    doc, by=keeper, reviewed_on=done, reviewer="司法所", conclusion="通过"
                )
            doc.refresh_from_db()
            documents.append(
                _issue(
                    doc,
                    by=keeper,
                    meeting_on=done + dt.timedelta(days=4),
                    filed_after=41 if n == 9 else 12 + n % 10,
                    leader_name=leader_name,
                )
            )
            n += 1

    # Contracts and incidents reviewed by the advisor, 2016–2020.
    reviews = advisor_reviews
    for j, (title, opinions) in enumerate(CONTRACTS + INCIDENTS):
        kind = LegalReview.Kind.CONTRACT if j < len(CONTRACTS) else LegalReview.Kind.INCIDENT
        sent = dt.date(2016 + j % 5, 4 + j % 7, 6 + j)
        review = s.review_send(
            by=keeper, kind=kind, advisor=advisor, unit=units["党政办公室"], title=title,
            submitted_on=sent, material="合同文本及相关附件" if kind == "合同" else "处置方案",
        )  # fmt: skip
        s.review_complete(
            review,
            by=advisor_user,
            completed_on=_add_working(sent, 4 + j % 6),
            conclusion="修改后通过" if opinions else "通过",
            summary="经审查，提出意见如下。" if opinions else "经审查，未发现法律风险。",
            opinions=opinions,
        )
        s.review_record_adoption(
            review,
            by=keeper,
            adopted={o.pk: not (j == 3 and o.order == 2) for o in review.opinions.all()},
        )
        reviews += 1

    # 2021 on: documents, contracts and decisions of each year (2023 issued no document).
    later_reviews = 0
    for year, items in LATER_TITLES.items():
        for i, (title, opinions) in enumerate(items):
            drafted = dt.date(year, 2, 20) + dt.timedelta(days=70 * i)
            doc = s.document_draft(
                by=keeper, title=title, issuer=Issuer.GOVERNMENT,
                drafting_unit=units[UNITS[(n + i) % len(UNITS)]], drafter="周建国",
                drafted_on=drafted, summary="结合本镇实际，制定本文件。",
            )  # fmt: skip
            s.document_consult(
                doc, by=keeper, comment_from=drafted + dt.timedelta(days=3),
                comment_to=drafted + dt.timedelta(days=33), note="在“庙坝微发布”公开征求意见。",
            )  # fmt: skip
            sent = drafted + dt.timedelta(days=35)
            review = s.document_send_for_review(doc, by=keeper, advisor=advisor, submitted_on=sent)
            done = _add_working(sent, 7)
            s.review_complete(
                review, by=advisor_user, completed_on=done,
                conclusion="修改后通过" if opinions else "通过",
                summary="经审查，该文件制定主体、程序合法。", opinions=opinions,
            )  # fmt: skip
            s.review_record_adoption(
                review, by=keeper, adopted={o.pk: True for o in review.opinions.all()}
            )
            later_reviews += 1
            doc.refresh_from_db()
            _issue(doc, by=keeper, meeting_on=done + dt.timedelta(days=5),
                   filed_after=10 + i * 9, leader_name=leader_name)  # fmt: skip
    for year, items in LATER_CONTRACTS.items():
        for i, (title, opinions) in enumerate(items):
            sent = dt.date(year, 3 + 3 * i, 12)
            review = s.review_send(
                by=keeper, kind=LegalReview.Kind.CONTRACT, advisor=advisor,
                unit=units["党政办公室"], title=title, submitted_on=sent, material="合同文本",
            )  # fmt: skip
            s.review_complete(
                review, by=advisor_user, completed_on=_add_working(sent, 5),
                conclusion="修改后通过" if opinions else "通过",
                summary="经审查，提出意见如下。" if opinions else "经审查，未发现法律风险。",
                opinions=opinions,
            )  # fmt: skip
            s.review_record_adoption(
                review, by=keeper,
                adopted={o.pk: not (year == 2022 and o.order == 1) for o in review.opinions.all()},
            )  # fmt: skip
            later_reviews += 1
    for title, unit, started, meeting, summary in LATER_DECISIONS:
        _decide(s, keeper, advisor, advisor_user, title=title, unit=units[unit], started=started,
                meeting=meeting, summary=summary)  # fmt: skip
        later_reviews += 1

    # The 2019 clean-up of the documents issued 2016–2018.
    covered = [d for d in documents if d.published_on.year <= 2018]
    campaign = s.cleanup_start(
        by=keeper,
        title="2019年规范性文件集中清理",
        started_on=dt.date(2019, 9, 2),
        documents=covered,
        scope="2016年至2018年以镇政府、镇政府办公室名义印发的现行有效规范性文件",
    )
    special = {
        3: ("修改", "与新修订的上位法不一致，已修改"),
        9: ("废止", "已被新文件替代"),
        12: ("修改", "执法主体表述需调整"),
        14: ("废止", "扶贫资金管理已统一按县级办法执行"),
        5: ("宣布失效", "调整对象已消失"),
    }
    s.cleanup_record(
        campaign,
        outcomes={
            item.pk: special.get(covered.index(item.document), ("继续有效", ""))
            for item in campaign.items.select_related("document")
        },
    )
    s.cleanup_finish(campaign, by=keeper, finished_on=dt.date(2019, 11, 29))

    # Documents whose validity has since ended are marked expired on the following day.
    for doc in Document.objects.filter(status__in=Document.IN_FORCE, expires_on__lt=today):
        s.document_end(
            doc,
            by=keeper,
            outcome="expired",
            on=doc.expires_on + dt.timedelta(days=1),
            reason="有效期届满自动失效",
        )

    # One major decision, with all five steps (2021).
    decision = s.decision_start(
        by=keeper,
        title="庙坝镇场镇污水管网改造项目实施方案",
        unit=units["规划建设管理环保办公室"],
        started_on=dt.date(2021, 3, 1),
        summary="改造场镇主次干道污水管网约6.2公里，总投资约1800万元。",
    )
    s.decision_record_participation(
        decision,
        by=keeper,
        participation_from=dt.date(2021, 3, 8),
        participation_to=dt.date(2021, 4, 8),
        form="公示、座谈会",
        note="收到意见12条，采纳9条。",
    )
    s.decision_record_expert(
        decision,
        by=keeper,
        required=True,
        on=dt.date(2021, 4, 15),
        note="邀请3名市政专家论证，方案可行。",
    )
    s.decision_record_risk(
        decision,
        by=keeper,
        required=True,
        on=dt.date(2021, 4, 20),
        note="社会稳定风险等级为低风险。",
    )
    review = s.decision_send_for_review(
        decision, by=keeper, advisor=advisor, submitted_on=dt.date(2021, 4, 21)
    )
    s.review_complete(
        review,
        by=advisor_user,
        completed_on=dt.date(2021, 4, 30),
        conclusion="修改后通过",
        summary="决策程序合法，建议完善征地补偿内容。",
        opinions=["建议补充临时占地补偿标准", "建议明确施工期间交通管制的公告程序"],
    )
    s.review_record_adoption(review, by=keeper, adopted={o.pk: True for o in review.opinions.all()})
    s.decision_discuss(
        decision, by=keeper, meeting_name="镇政府常务会议", meeting_on=dt.date(2021, 5, 10),
        result="会议同意实施方案，由规划建设管理环保办公室组织实施。",
    )  # fmt: skip
    s.decision_publish(decision, by=keeper, published_on=dt.date(2021, 5, 14))
    s.decision_archive(decision, by=keeper, archived_on=dt.date(2021, 6, 30))

    # A 暂行 document whose two-year validity ends in 45 days.
    ends = today + dt.timedelta(days=46)
    effective = ends.replace(year=ends.year - 2, day=min(ends.day, 28))
    meeting = effective - dt.timedelta(days=33)
    provisional = s.document_draft(
        by=keeper, title="庙坝镇农村建房审批管理暂行办法", issuer=Issuer.GOVERNMENT,
        drafting_unit=units["规划建设管理环保办公室"], drafter="周建国",
        drafted_on=meeting - dt.timedelta(days=30),
    )  # fmt: skip
    s.document_record_review(
        provisional, by=keeper, reviewed_on=meeting - dt.timedelta(days=5), reviewer="司法所",
        conclusion="通过",
    )  # fmt: skip
    _issue(provisional, by=keeper, meeting_on=meeting, filed_after=15, leader_name=leader_name)

    # This year: published and awaiting filing (due within days) ...
    pending = s.document_draft(
        by=keeper, title="庙坝镇农村集体经营性建设用地入市管理办法", issuer=Issuer.GOVERNMENT,
        drafting_unit=units["党政办公室"], drafter="周建国", drafted_on=today - dt.timedelta(days=70),
    )  # fmt: skip
    s.document_record_review(
        pending, by=keeper, reviewed_on=today - dt.timedelta(days=40), reviewer="司法所",
        conclusion="通过",
    )  # fmt: skip
    _issue(
        pending,
        by=keeper,
        meeting_on=today - dt.timedelta(days=29),
        filed_after=None,
        leader_name=leader_name,
    )
    # ... and a draft awaiting the advisor's review.
    draft = s.document_draft(
        by=keeper, title="庙坝镇公益性岗位管理办法", issuer=Issuer.OFFICE,
        drafting_unit=units["党政办公室"], drafter="周建国", drafted_on=today - dt.timedelta(days=40),
    )  # fmt: skip
    s.document_consult(
        draft,
        by=keeper,
        comment_from=today - dt.timedelta(days=37),
        comment_to=today - dt.timedelta(days=16),
    )
    s.document_send_for_review(
        draft, by=keeper, advisor=advisor, submitted_on=today - dt.timedelta(days=14)
    )
    return (
        f"演示规范性文件 {Document.objects.count()} 件（2016—2020年 {len(documents)} 件）、"
        f"法律顾问审查 {LegalReview.objects.count()} 件（2016—2020年 {reviews} 件）、"
        f"重大行政决策 {1 + len(LATER_DECISIONS)} 项、文件清理 1 次已载入。"
    )


def _decide(s, keeper, advisor, advisor_user, *, title, unit, started, meeting, summary):
    """Take a major decision through its five steps, reviewed by the advisor, to its meeting."""
    decision = s.decision_start(
        by=keeper, title=title, unit=unit, started_on=started, summary=summary
    )
    s.decision_record_participation(
        decision, by=keeper, participation_from=started + dt.timedelta(days=5),
        participation_to=started + dt.timedelta(days=36), form="公示、村民代表座谈会",
        note="收到意见8条，采纳5条。",
    )  # fmt: skip
    s.decision_record_expert(
        decision, by=keeper, required=True, on=started + dt.timedelta(days=40),
        note="邀请专家论证，方案可行。",
    )  # fmt: skip
    s.decision_record_risk(
        decision, by=keeper, required=True, on=started + dt.timedelta(days=44),
        note="社会稳定风险等级为低风险。",
    )  # fmt: skip
    review = s.decision_send_for_review(
        decision, by=keeper, advisor=advisor, submitted_on=started + dt.timedelta(days=45)
    )
    s.review_complete(
        review, by=advisor_user, completed_on=started + dt.timedelta(days=52),
        conclusion="通过", summary="决策程序合法。", opinions=[],
    )  # fmt: skip
    s.decision_discuss(
        decision, by=keeper, meeting_name="镇政府常务会议", meeting_on=meeting,
        result="会议同意该方案。",
    )  # fmt: skip
    s.decision_publish(decision, by=keeper, published_on=meeting + dt.timedelta(days=4))
    return decision

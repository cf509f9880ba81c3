"""Demo problems and rectification tasks for `load_demo`: the 2020 report's six problems.

The six problems of 二、存在的主要问题 of the 2020 report (`seed-report-2020.txt`) become
problems of source 年度报告 2020 with a grouping, and the four lines of 三、下步整改思路 become
tasks in every state: one 已销号, one 已完成 waiting for verification, one 长期坚持 with
milestones, one overdue, one due within 7 days, one extended. Made through the services, so
every task has its timeline; dates are set around today so the lights show. Idempotent: skipped
when the 2020 report's problems exist.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from miaoba.models import Unit, User
from tasks import services as s
from tasks.models import Problem

REPORT_YEAR = 2020
REPORT_TITLE = "城口县庙坝镇人民政府2020年法治政府建设工作情况报告"

# (order, 大类, 方面, 问题, 具体表现) from 二、存在的主要问题 of the 2020 report.
PROBLEMS = [
    (1, "思想认识", "重视程度", "对法治建设工作重视不够、认识不足",
     "少数党员干部对法治建设工作仍然不够重视，法律意识和法制观念较为淡薄，对法治建设存在“说起来重要，做起来次要，忙起来不要”的错误思想。"),
    (2, "工作推进", "推进深度", "法治创建推进还不够深入",
     "目前法治建设仍停留在组织推进层面上，尚未有效深入到法治建设的核心领域和核心要求。"),
    (3, "工作推进", "协调联动", "法治创建整体合力形成不够",
     "各科室（站所）、各驻镇单位法治建设工作开展仍然有较大差距，指导监督、工作机制、考评体系等还需要进一步健全和完善。"),
    (4, "法治氛围", "学法用法与普法", "尊重法律、学法守法的社会氛围仍不够浓厚",
     "一些干部学法用法的表率作用发挥的还不够，法制宣传还不同程度地存有盲区，基层群众、弱势群体的法律意识还不强。"),
    (5, "保障机制", "人财物保障", "法治建设的组织保障力度还不够",
     "对法治建设的人财物的投入力度还不够，组织机构不健全，人员队伍素质与要求不适应。"),
    (6, "保障机制", "工作载体", "法治建设工作面广、量大，协调指导难度大",
     "目前开展工作缺乏有效的载体和手段，基层法治工作人员及广大干部群众存在畏难情绪。"),
]  # fmt: skip

_PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _file(name: str) -> ContentFile:
    return ContentFile(_PDF, name=name)


# Problems found in later years and their tasks: (year, source, order, 大类, 方面, 问题, 具体表现,
# measures, lead unit, assigned, due, completed or None, closed or None).
LATER = [
    (2021, "督察", 1, "行政执法", "执法规范", "行政执法全过程记录执行不到位",
     "部分执法案卷缺少现场执法记录，执法记录仪使用登记不全。",
     "配齐执法记录仪并建立使用登记，每季度抽查执法案卷。", "综治办",
     dt.date(2021, 10, 15), dt.date(2022, 3, 31), dt.date(2022, 3, 20), dt.date(2022, 4, 2)),
    (2021, "自查", 2, "制度建设", "规范性文件", "规范性文件备案审查意识不强",
     "个别规范性文件印发后未在30日内报送备案。",
     "建立规范性文件报备台账，印发后15日内报县政府备案。", "党政办公室",
     dt.date(2021, 11, 8), dt.date(2022, 6, 30), dt.date(2022, 5, 10), dt.date(2022, 5, 20)),
    (2021, "年度报告", 3, "法治能力", "学法用法", "干部运用法治思维解决问题的能力不足",
     "处理征地拆迁、信访问题时依法办事意识不强，习惯用行政命令解决问题。",
     "每季度开展一次案例式法治培训，将学法情况纳入干部年度考核。", "党政办公室",
     dt.date(2021, 12, 10), dt.date(2022, 12, 31), dt.date(2022, 12, 15), dt.date(2023, 1, 10)),
    (2022, "巡察", 1, "权力监督", "政务公开", "政务公开不及时、不全面",
     "重大行政决策、财政预决算等信息未按规定时限公开。",
     "修订政务公开目录，对法定公开事项实行清单管理。", "党政办公室",
     dt.date(2022, 9, 20), dt.date(2023, 3, 31), dt.date(2023, 3, 25), dt.date(2023, 4, 6)),
    (2022, "自查", 2, "矛盾化解", "信访办理", "信访件办理质量不高",
     "部分信访件答复内容过于简单，群众满意率偏低。",
     "实行信访答复审核制度，对不满意件逐件回访。", "信访办",
     dt.date(2022, 11, 2), dt.date(2023, 10, 31), dt.date(2023, 11, 20), dt.date(2024, 1, 12)),
    (2022, "年度报告", 3, "法治宣传", "普法覆盖", "普法宣传针对性不强",
     "普法活动多集中在场镇，偏远村组群众参与少。",
     "将普法活动纳入村（社区）院坝会，每个村每年不少于两次。", "司法所",
     dt.date(2022, 12, 5), None, None, None),
    (2023, "督察", 1, "行政决策", "合法性审查", "重大行政决策合法性审查资料不完整",
     "个别决策事项的合法性审查意见未随会议材料归档。",
     "建立重大行政决策全过程档案，审查意见随议题材料一并提交会议。", "党政办公室",
     dt.date(2023, 11, 6), dt.date(2024, 4, 30), dt.date(2024, 4, 18), dt.date(2024, 5, 6)),
    (2023, "审计", 2, "权力监督", "合同管理", "政府合同管理不规范",
     "部分合同未经法律顾问审查即签订，合同台账登记不全。",
     "制定政府合同管理办法，合同签订前一律经法律顾问审查。", "财政所",
     dt.date(2023, 11, 28), dt.date(2024, 6, 30), dt.date(2024, 6, 12), dt.date(2024, 7, 1)),
    (2023, "自查", 3, "矛盾化解", "人民调解", "村级人民调解组织作用发挥不充分",
     "个别村调委会年内未受理纠纷，调解员培训不足。",
     "每半年对村调解员开展一次业务培训，调解工作纳入村级考核。", "司法所",
     dt.date(2023, 12, 12), dt.date(2024, 12, 31), None, None),
    (2024, "督察", 1, "行政执法", "执法培训", "执法人员持证上岗率不高",
     "部分执法岗位人员未取得执法证件。",
     "组织执法人员参加执法资格考试，未取得证件的不得从事执法工作。", "党政办公室",
     dt.date(2024, 10, 21), dt.date(2025, 6, 30), dt.date(2025, 6, 20), dt.date(2025, 7, 3)),
    (2024, "自查", 2, "法治宣传", "普法阵地", "法治文化阵地建设滞后",
     "村（社区）法治宣传栏内容更新不及时。",
     "每季度更新村（社区）法治宣传栏内容，建设法治文化广场一处。", "司法所",
     dt.date(2024, 11, 14), dt.date(2025, 10, 31), dt.date(2025, 10, 20), dt.date(2025, 11, 6)),
    (2025, "督察", 1, "行政决策", "决策目录", "重大行政决策目录公布不及时",
     "年度重大行政决策事项目录未在一季度前向社会公布。",
     "每年1月底前研究确定并公布年度重大行政决策事项目录。", "党政办公室",
     dt.date(2025, 11, 3), dt.date(2026, 1, 31), dt.date(2026, 1, 26), dt.date(2026, 2, 9)),
    (2025, "年度报告", 2, "法治能力", "应知应会", "干部法律知识应知应会掌握不牢",
     "年度法律知识考试中部分干部成绩偏低。",
     "建立干部学法积分制度，年度考试不合格的组织补考。", "党政办公室",
     dt.date(2025, 12, 8), dt.date(2026, 6, 30), None, None),
    (2025, "自查", 3, "矛盾化解", "信访办理", "重复信访化解不彻底",
     "少数重复信访件反复发生，包案领导跟踪不够。",
     "对重复信访件实行领导包案、一案一策，每月调度化解进度。", "信访办",
     dt.date(2025, 12, 15), dt.date(2026, 12, 31), None, None),
]  # fmt: skip


def _later_years(by, leader, unit) -> int:
    """Register the later years' problems and take their tasks as far as their dates go."""
    today = timezone.localdate()
    made = 0
    for (year, source, order, category, aspect, title, detail, measures, lead, assigned, due,
         completed, closed) in LATER:  # fmt: skip
        problem = s.problem_register(
            by=by, source=source, year=year, order=order, category=category, aspect=aspect,
            title=title, detail=detail,
            document=f"城口县庙坝镇人民政府{year}年法治政府建设工作情况报告"
            if source == Problem.Source.ANNUAL_REPORT else "",
        )  # fmt: skip
        task = s.task_create(
            by=by, problem=problem, measures=measures, lead_unit=unit[lead], responsible=by,
            leader=leader, assigned_on=assigned, due_on=due, is_long_term=due is None,
            milestones=[("年度检查", dt.date(year + 1, 6, 30))] if due is None else (),
        )  # fmt: skip
        made += 1
        if completed and completed <= today:
            s.task_complete(task, by=by, on=completed, text=f"{measures.rstrip('。')}，已落实。",
                            files=[_file("整改佐证材料.pdf")])  # fmt: skip
            if closed and closed <= today:
                s.task_verify(task, by=leader, on=closed, passed=True, comment="经核验，整改到位。")
    return made


def load_demo_records() -> str:
    """Create the 2020 report's problems and tasks; return a line saying so, or "" if present."""
    if Problem.objects.filter(source=Problem.Source.ANNUAL_REPORT, year=REPORT_YEAR).exists():
        return ""
    clerk = User.objects.get(username="clerk")
    clerk2 = User.objects.get(username="clerk2")
    leader = User.objects.get(username="leader")
    unit = {u.name: u for u in Unit.objects.all()}
    today = timezone.localdate()
    problems = {
        order: s.problem_register(
            by=clerk2,
            source=Problem.Source.ANNUAL_REPORT,
            year=REPORT_YEAR,
            document=REPORT_TITLE,
            order=order,
            category=category,
            aspect=aspect,
            title=title,
            detail=detail,
        )
        for order, category, aspect, title, detail in PROBLEMS
    }
    assigned = dt.date(2021, 1, 20)

    # (一) 继续加强法制培训、加强普法教育 — 学法制度, 长期坚持 with milestones on time.
    study = s.task_create(
        by=clerk2,
        problem=problems[1],
        measures="建立并坚持领导干部及工作人员学法制度，定期开展法律知识学习培训，提高依法执政能力。",
        lead_unit=unit["党政办公室"],
        co_units=[unit["司法所"]],
        responsible=clerk2,
        leader=leader,
        assigned_on=assigned,
        is_long_term=True,
        milestones=[
            ("2021年第一季度集体学法", dt.date(2021, 3, 31)),
            ("本季度集体学法", today + dt.timedelta(days=20)),
            ("下季度集体学法", today + dt.timedelta(days=110)),
        ],
    )
    s.task_add_progress(
        study,
        by=clerk2,
        on=dt.date(2021, 3, 26),
        text="召开党委理论学习中心组集体学法会，学习《民法典》。",
        files=[_file("集体学法会议记录.pdf")],
    )
    s.milestone_reach(
        study.milestones.get(due_on=dt.date(2021, 3, 31)), by=clerk2, on=dt.date(2021, 3, 26)
    )

    # (一) 二要抓住群众的普法教育不放松 — overdue.
    publicity = s.task_create(
        by=clerk,
        problem=problems[4],
        measures="加大法制宣传经费投入，改善法制宣传工具，开展“法律六进”活动，消除普法盲区。",
        lead_unit=unit["司法所"],
        co_units=[unit["综治办"]],
        responsible=clerk,
        leader=leader,
        assigned_on=assigned,
        due_on=today - dt.timedelta(days=12),
    )
    s.task_add_progress(
        publicity,
        by=clerk,
        on=today - dt.timedelta(days=40),
        text="已在5个村开展普法宣传，发放资料1200份。",
    )

    # (二) 加强政务信息透明度、强化行政监督 — closed.
    openness = s.task_create(
        by=clerk2,
        problem=problems[3],
        measures="进一步加强政务公开，增强行政执法透明度，自觉接受社会和群众监督。",
        lead_unit=unit["党政办公室"],
        co_units=[unit["便民服务中心"]],
        responsible=clerk2,
        leader=leader,
        assigned_on=assigned,
        due_on=dt.date(2021, 6, 30),
    )
    s.task_add_progress(
        openness,
        by=clerk2,
        on=dt.date(2021, 4, 15),
        text="修订政务公开目录，开设镇政府信息公开专栏。",
    )
    s.task_complete(
        openness,
        by=clerk2,
        on=dt.date(2021, 6, 25),
        text="政务公开专栏已运行，行政执法信息按月公示。",
        files=[_file("政务公开专栏截图.pdf")],
    )
    s.task_verify(
        openness, by=leader, on=dt.date(2021, 7, 2), passed=True, comment="经核验，整改到位。"
    )

    # (三) 创新方法，着力提高依法行政水平 — completed, waiting for verification.
    assessment = s.task_create(
        by=clerk,
        problem=problems[2],
        measures="严格执行依法行政工作考核制度，探索建立以纪委、人大为主的监督管理方式，规范行政执法行为。",
        lead_unit=unit["司法所"],
        responsible=clerk,
        leader=leader,
        assigned_on=assigned,
        period_months=12,
    )
    s.task_extend(
        assessment,
        by=clerk,
        on=dt.date(2022, 1, 10),
        new_due_on=today + dt.timedelta(days=30),
        reason="考核办法需经镇党委会审议，待县司法局指导意见下发后定稿。",
        approved_by=leader,
    )
    s.task_complete(
        assessment,
        by=clerk,
        on=today - dt.timedelta(days=2),
        text="《庙坝镇依法行政工作考核办法》已印发实施。",
        files=[_file("依法行政工作考核办法.pdf")],
    )

    # (四) 完善村社的法治制度 — not started, due within 7 days.
    s.task_create(
        by=clerk,
        problem=problems[6],
        measures="健全完善各村（社区）依法行政规章制度，逐步建立行为规范、运转协调、公正透明、廉洁高效的村社法治管理体制。",
        lead_unit=unit["综治办"],
        co_units=[unit["司法所"], unit["党政办公室"]],
        responsible=clerk,
        leader=leader,
        assigned_on=today - dt.timedelta(days=60),
        due_on=today + dt.timedelta(days=5),
    )
    # (五) 组织保障 — in progress, on time.
    support = s.task_create(
        by=clerk2,
        problem=problems[5],
        measures="将法治建设经费纳入年度预算，充实司法所工作力量。",
        lead_unit=unit["财政所"],
        co_units=[unit["司法所"]],
        responsible=clerk2,
        leader=leader,
        assigned_on=today - dt.timedelta(days=30),
        due_on=today + dt.timedelta(days=45),
    )
    s.task_add_progress(
        support,
        by=clerk2,
        on=today - dt.timedelta(days=3),
        text=f"已提出{today.year + 1}年法治建设经费预算建议。",
    )
    later = _later_years(clerk2, leader, unit)
    return (
        f"整改任务：{len(PROBLEMS)}个问题（{REPORT_YEAR}年度报告）、6项整改任务，"
        f"2021—2025年问题及整改任务各{later}项"
    )

"""Demo petitions and disputes for `load_demo`: the 2016–2020 history behind the 2020 report.

The 2020 report of 庙坝镇 counts 218 petitions and 615 disputes over 2016–2020, all replied to
(`shared/seed-report-2020.txt`); this history has exactly those, each taken through its steps
by the workflow services (so each has its timeline), plus a few open cases of this year for the
workbench. People are invented. Deterministic; skipped when the registers hold cases.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from disputes import services as s
from disputes.models import Category, Dispute, Party, Petition
from disputes.validators import id_check_digit
from miaoba.models import Unit, User, Village

PETITIONS_PER_YEAR = {2016: 52, 2017: 47, 2018: 44, 2019: 40, 2020: 35}  # 218 in all
DISPUTES_PER_YEAR = {2016: 140, 2017: 131, 2018: 122, 2019: 116, 2020: 106}  # 615 in all

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林谭向冉"
GIVEN = [
    "明",
    "芳",
    "建国",
    "秀英",
    "志强",
    "桂兰",
    "德华",
    "玉梅",
    "国平",
    "小红",
    "永福",
    "春燕",
    "光荣",
    "大勇",
]
SUMMARIES = [
    "反映承包地被邻居占用，要求恢复原状。",
    "反映务工工资被拖欠，要求协调支付。",
    "反映村道硬化后排水不畅，雨季积水淹田。",
    "反映低保评定不公，要求重新评议。",
    "反映林地界址不清，与邻组村民发生争执。",
    "反映房屋建设影响采光，要求调解。",
    "反映宅基地边界争议，要求确权。",
    "反映家庭赡养纠纷，要求子女履行赡养义务。",
]


def _people(rng: random.Random, villages: list[Village], n: int) -> list[s.PersonData]:
    """Return `n` invented people with unique, well-formed ID numbers (GB 11643)."""
    pool = []
    for i in range(n):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 20000))
        first17 = f"500229{birth:%Y%m%d}{i % 1000:03d}"
        pool.append(
            s.PersonData(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                gender=rng.choice(["男", "女"]),
                id_number=first17 + id_check_digit(first17),
                phone=f"13{i % 10}{10000000 + i * 7919 % 89999999:08d}",
                address="城口县庙坝镇",
                village_id=rng.choice(villages).pk,
            )
        )
    return pool


def _day(rng: random.Random, year: int, month_from: int = 1, month_to: int = 11) -> dt.date:
    start = dt.date(year, month_from, 1)
    end = dt.date(year, month_to, 28)
    return start + dt.timedelta(days=rng.randrange(0, (end - start).days))


@transaction.atomic
def load_demo_records() -> str:
    """Create the demo history; return a one-line summary, or "" when cases already exist."""
    if Petition.objects.exists() or Dispute.objects.exists():
        return ""
    rng = random.Random(2020)
    clerk = User.objects.get(username="clerk")
    leader = User.objects.get(username="leader")
    petition_unit = Unit.objects.get(name="信访办")
    mediation_unit = Unit.objects.get(name="司法所")
    villages = list(Village.objects.all())
    categories = list(Category.objects.all())
    pool = _people(rng, villages, 900)
    today = timezone.localdate()

    def register_petition(received: dt.date, people: list[s.PersonData]) -> Petition:
        return s.petition_register(
            by=clerk,
            received_on=received,
            channel=rng.choice(Petition.Channel.values),
            kind=rng.choice(Petition.Kind.values),
            category=rng.choice(categories),
            village=Village.objects.get(pk=people[0].village_id),
            unit=petition_unit,
            summary=rng.choice(SUMMARIES),
            request="请求镇政府依法处理。",
            petitioners=people,
        )

    petitions = 0
    for year, count in PETITIONS_PER_YEAR.items():
        for i in range(count):
            # 2020's cases are received by September so all are replied to by 31 December.
            received = _day(rng, year, month_to=9 if year == 2020 else 11)
            people = rng.sample(pool, 6 if i == 3 else rng.choice([1, 1, 1, 2]))
            p = register_petition(received, people)
            petitions += 1
            decided = received + dt.timedelta(days=rng.randrange(1, 10))
            if i % 17 == 5:
                s.petition_reject(
                    p,
                    by=clerk,
                    on=decided,
                    reason="属于司法程序处理事项",
                    redirect_to="城口县人民法院",
                )
                continue
            s.petition_accept(p, by=clerk, on=decided)
            days = rng.randrange(10, 55)
            if i % 13 == 7:
                s.petition_extend(
                    p,
                    by=clerk,
                    on=decided + dt.timedelta(days=50),
                    days=30,
                    reason="涉及多个部门，需进一步调查核实",
                    approved_by=leader,
                )
                days += 25
            concluded = decided + dt.timedelta(days=days)
            s.petition_conclude(
                p,
                by=clerk,
                on=concluded,
                outcome=rng.choice(Petition.Outcome.values),
                outcome_text="经调查核实，依法作出处理意见。",
            )
            s.petition_reply(
                p,
                by=clerk,
                on=concluded + dt.timedelta(days=2),
                form="书面送达",
                satisfaction=rng.choice(["满意", "满意", "基本满意", "", "不满意"]),
            )

    disputes = 0
    for year, count in DISPUTES_PER_YEAR.items():
        for i in range(count):
            received = _day(rng, year, month_to=9 if year == 2020 else 11)
            a, b = rng.sample(pool, 2)
            d = s.dispute_register(
                by=clerk,
                received_on=received,
                source=rng.choice(Dispute.Source.values),
                type=rng.choice(Dispute.Type.values),
                village=Village.objects.get(pk=a.village_id),
                unit=mediation_unit,
                summary=rng.choice(SUMMARIES),
                mediators="李文静、罗正平",
                amount=Decimal(rng.randrange(0, 5000000)) / 100 if i % 3 else None,
                parties=[(a, Party.Side.APPLICANT), (b, Party.Side.RESPONDENT)],
            )
            disputes += 1
            s.dispute_accept(d, by=clerk, on=received + dt.timedelta(days=1))
            concluded = d.decided_on + dt.timedelta(days=rng.randrange(3, 40))
            if i % 9 == 0:
                s.dispute_conclude(
                    d,
                    by=clerk,
                    on=concluded,
                    result="failed",
                    note="双方分歧较大，已告知可通过诉讼途径解决",
                )
            else:
                form = "书面" if i % 4 else "口头"
                s.dispute_conclude(
                    d,
                    by=clerk,
                    on=concluded,
                    result="succeeded",
                    agreement_form=form,
                    agreement_text="双方自愿达成协议，按约定履行。",
                )
                s.dispute_record_performance(
                    d, by=clerk, on=concluded + dt.timedelta(days=20), performance="已履行"
                )
                if form == "书面" and i % 10 == 1:
                    s.dispute_record_court(
                        d, by=clerk, applied_on=concluded + dt.timedelta(days=10)
                    )
            s.dispute_follow_up(
                d,
                by=clerk,
                on=concluded + dt.timedelta(days=25),
                note="当事人表示满意，未再发生纠纷",
            )
            s.dispute_reply(d, by=clerk, on=concluded + dt.timedelta(days=26), form="当面答复")

    # Open cases of this year, so the workbench and the clocks have something to show.
    for days_ago in (70, 40, 16, 14, 12, 5, 1):
        received = today - dt.timedelta(days=days_ago)
        p = register_petition(received, rng.sample(pool, 1))
        if days_ago > 20:
            s.petition_accept(p, by=clerk, on=received + dt.timedelta(days=3))
    for days_ago in (45, 30, 27, 3):
        received = today - dt.timedelta(days=days_ago)
        a, b = rng.sample(pool, 2)
        d = s.dispute_register(
            by=clerk,
            received_on=received,
            source="主动排查发现",
            type=rng.choice(Dispute.Type.values),
            village=Village.objects.get(pk=a.village_id),
            unit=mediation_unit,
            summary=rng.choice(SUMMARIES),
            parties=[(a, Party.Side.APPLICANT), (b, Party.Side.RESPONDENT)],
        )
        if days_ago > 5:
            s.dispute_accept(d, by=clerk, on=received + dt.timedelta(days=1))
    return (
        f"演示信访件 {petitions} 件、矛盾纠纷 {disputes} 起（2016—2020年）及本年度在办案件已载入。"
    )

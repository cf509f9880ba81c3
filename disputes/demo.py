"""Demo petitions and disputes for `load_demo`: a few dozen cases in every state.

Made through the workflow services, so every case has its timeline. Deterministic; skipped when
the registers already hold cases (idempotent).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from disputes import services as s
from disputes.models import Category, Dispute, Party, Petition
from disputes.validators import id_check_digit
from miaoba.models import Unit, User, Village

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林"
GIVEN = ["明", "芳", "建国", "秀英", "志强", "桂兰", "德华", "玉梅", "国平", "小红", "永福", "春燕"]
SUMMARIES = [
    "反映承包地被邻居占用，要求恢复原状。",
    "反映务工工资被拖欠，要求协调支付。",
    "反映村道硬化后排水不畅，雨季积水淹田。",
    "反映低保评定不公，要求重新评议。",
    "反映林地界址不清，与邻组村民发生争执。",
    "反映房屋建设影响采光，要求调解。",
]


def _person(rng: random.Random, villages: list[Village]) -> s.PersonData:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 20000))
    first17 = f"500229{birth:%Y%m%d}{rng.randrange(100, 999)}"
    return s.PersonData(
        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        gender=rng.choice(["男", "女"]),
        id_number=first17 + id_check_digit(first17),
        phone=f"13{rng.randrange(0, 10)}{rng.randrange(10000000, 99999999)}",
        address="城口县庙坝镇",
        village_id=rng.choice(villages).pk,
    )


def load_demo_records() -> str:
    """Create demo petitions and disputes for 2020 and this year; return a line saying so.

    Returns "" when the registers already hold cases.
    """
    if Petition.objects.exists() or Dispute.objects.exists():
        return ""
    rng = random.Random(2020)
    clerk = User.objects.get(username="clerk")
    leader = User.objects.get(username="leader")
    unit = Unit.objects.get(name="信访办")
    mediation_unit = Unit.objects.get(name="司法所")
    villages = list(Village.objects.all())
    categories = list(Category.objects.all())
    today = timezone.localdate()
    made = 0
    starts = [dt.date(2020, 1, 6) + dt.timedelta(days=11 * i) for i in range(30)]
    starts += [today - dt.timedelta(days=d) for d in (70, 58, 40, 20, 14, 12, 5, 1)]
    for i, received in enumerate(starts):
        people = [_person(rng, villages) for _ in range(6 if i == 3 else rng.choice([1, 1, 2]))]
        p = s.petition_register(
            by=clerk,
            received_on=received,
            channel=rng.choice(Petition.Channel.values),
            kind=rng.choice(Petition.Kind.values),
            category=rng.choice(categories),
            village=Village.objects.get(pk=people[0].village_id),
            unit=unit,
            summary=rng.choice(SUMMARIES),
            request="请求镇政府依法处理。",
            petitioners=people,
        )
        made += 1
        age = (today - received).days
        if i == 5:
            s.petition_reject(
                p,
                by=clerk,
                on=received + dt.timedelta(days=3),
                reason="属于司法程序处理事项",
                redirect_to="城口县人民法院",
            )
            continue
        if age < 3 or i == len(starts) - 2:
            continue
        s.petition_accept(
            p, by=clerk, on=received + dt.timedelta(days=min(age, rng.randrange(1, 10)))
        )
        if i in (7, len(starts) - 5):
            s.petition_extend(
                p,
                by=clerk,
                on=min(p.decided_on + dt.timedelta(days=50), today),
                days=30,
                reason="涉及多个部门，需进一步调查核实",
                approved_by=leader,
            )
        if age < 80 and received.year == today.year:
            continue
        concluded = p.decided_on + dt.timedelta(days=rng.randrange(10, 55))
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
            satisfaction=rng.choice(["满意", "满意", "基本满意", ""]),
        )
    dstarts = [dt.date(2020, 1, 9) + dt.timedelta(days=9 * i) for i in range(36)]
    dstarts += [today - dt.timedelta(days=d) for d in (45, 30, 27, 10, 3)]
    for i, received in enumerate(dstarts):
        a, b = _person(rng, villages), _person(rng, villages)
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
        made += 1
        age = (today - received).days
        if i == 4:
            s.dispute_reject(
                d, by=clerk, on=received + dt.timedelta(days=1), reason="被申请方明确拒绝调解"
            )
            s.dispute_reply(d, by=clerk, on=received + dt.timedelta(days=2), form="当面告知")
            continue
        if age < 2:
            continue
        s.dispute_accept(d, by=clerk, on=received + dt.timedelta(days=1))
        if received.year == today.year:
            continue
        concluded = d.decided_on + dt.timedelta(days=rng.randrange(3, 40))
        if i % 7 == 0:
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
            if form == "书面" and i % 5 == 0:
                s.dispute_record_court(d, by=clerk, applied_on=concluded + dt.timedelta(days=10))
        s.dispute_follow_up(
            d, by=clerk, on=concluded + dt.timedelta(days=25), note="当事人表示满意，未再发生纠纷"
        )
        s.dispute_reply(d, by=clerk, on=concluded + dt.timedelta(days=26), form="当面答复")
    return f"演示信访件和矛盾纠纷 {made} 件已载入。"

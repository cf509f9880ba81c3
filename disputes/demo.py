"""Demo petitions and disputes for `load_demo`: every year from 2016 to this year.

The 2020 report of 庙坝镇 counts 218 petitions and 615 disputes over 2016–2020, all replied to
(`shared/seed-report-2020.txt`); this history has exactly those. Later years differ from one
another as a township's do: fewer or more cases, other leading categories and dispute types,
a year with a collective petition or a rejected dispute, cases received in December and
answered in January. This year has closed cases and, for the workbench, open ones near today.

Past years' cases are written in bulk, in the state the workflow services would leave them
(every step's date and its timeline entry, numbers allocated in order of receipt), so
`make run` stays quick; this year's open cases go through the services. People are invented.
Deterministic for a given today; skipped when the registers hold cases.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from disputes import services as s
from disputes.models import (
    Category,
    Dispute,
    Event,
    Mediator,
    Party,
    Person,
    Petition,
    Petitioner,
)
from disputes.validators import id_check_digit
from miaoba.models import Unit, User, Village
from miaoba.workflow import raise_serial

# Cases received each year (the 2020 report: 218 petitions and 615 disputes in 2016–2020).
PETITIONS_PER_YEAR = {2016: 52, 2017: 47, 2018: 44, 2019: 40, 2020: 35,
                      2021: 31, 2022: 38, 2023: 27, 2024: 33, 2025: 29}  # fmt: skip
DISPUTES_PER_YEAR = {2016: 140, 2017: 131, 2018: 122, 2019: 116, 2020: 106,
                     2021: 98, 2022: 112, 2023: 87, 2024: 94, 2025: 101}  # fmt: skip
THIS_YEAR_PETITIONS = 30  # a whole year's worth; this year has its share up to today
THIS_YEAR_DISPUTES = 96

# What each year was most about (weights 4× in that year): petition categories, dispute types.
LEADING_CATEGORIES = {
    2016: ["土地征收与承包", "村务"], 2017: ["城乡建设"], 2018: ["劳动社保", "环境"],
    2019: ["邻里"], 2020: ["劳动社保"], 2021: ["土地征收与承包", "城乡建设"],
    2022: ["环境"], 2023: ["劳动社保", "涉法涉诉"], 2024: ["村务"], 2025: ["婚姻家庭", "邻里"],
}  # fmt: skip
LEADING_TYPES = {
    2016: ["土地承包/山林权属"], 2017: ["宅基地"], 2018: ["邻里", "损害赔偿"],
    2019: ["婚姻家庭"], 2020: ["劳动争议"], 2021: ["征地拆迁", "土地承包/山林权属"],
    2022: ["损害赔偿"], 2023: ["劳动争议", "合同"], 2024: ["邻里"], 2025: ["婚姻家庭"],
}  # fmt: skip
# Online petitions grow year on year; visits and letters fall.
ONLINE_SHARE = {2016: 0.05, 2018: 0.12, 2020: 0.2, 2022: 0.3, 2024: 0.38, 2026: 0.45}
# Years with a collective petition (5 or more people): how many.
COLLECTIVE = {2016: 1, 2017: 1, 2019: 1, 2021: 2, 2022: 1, 2024: 1}
# Years with disputes a party clearly refused to mediate (不予受理, 《人民调解法》第十七条).
REJECTED_DISPUTES = {2022: 2, 2024: 1, 2025: 3}

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林谭向冉"
GIVEN = ["明", "芳", "建国", "秀英", "志强", "桂兰", "德华", "玉梅", "国平", "小红", "永福",
         "春燕", "光荣", "大勇"]  # fmt: skip
SUMMARIES = {
    "土地征收与承包": "反映承包地被邻居占用，要求恢复原状。",
    "劳动社保": "反映务工工资被拖欠，要求协调支付。",
    "城乡建设": "反映村道硬化后排水不畅，雨季积水淹田。",
    "涉法涉诉": "对法院判决执行进度有意见，要求协调。",
    "婚姻家庭": "反映家庭赡养纠纷，要求子女履行赡养义务。",
    "邻里": "反映房屋建设影响采光，要求调解。",
    "环境": "反映养殖场异味扰民，要求整治。",
    "村务": "反映低保评定不公，要求重新评议。",
    "其他": "咨询惠农补贴发放政策。",
}
DISPUTE_SUMMARIES = {
    "婚姻家庭": "夫妻因子女抚养费问题发生纠纷。",
    "邻里": "相邻双方因排水沟改道发生纠纷。",
    "土地承包/山林权属": "两户村民对林地界址有争议。",
    "宅基地": "宅基地边界争议，要求确权。",
    "损害赔偿": "耕牛损毁庄稼，双方就赔偿金额发生争执。",
    "劳动争议": "务工人员与包工头因工资结算发生纠纷。",
    "合同": "农资买卖合同货款纠纷。",
    "征地拆迁": "对征地青苗补偿分配有异议。",
    "其他": "因借款归还发生纠纷。",
}


def _share(table: dict[int, float], year: int) -> float:
    """Return the value of the last year in `table` at or before `year`."""
    return table[max(y for y in table if y <= year)] if year >= min(table) else 0.0


def _people(rng: random.Random, villages: list[Village], n: int) -> list[Person]:
    """Return `n` invented people with unique, well-formed ID numbers (GB 11643), unsaved."""
    pool = []
    for i in range(n):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=(i * 37) % 20000)  # unique with i % 1000
        first17 = f"500229{birth:%Y%m%d}{i % 1000:03d}"
        pool.append(
            Person(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                gender=rng.choice(["男", "女"]),
                id_number=first17 + id_check_digit(first17),
                phone=f"13{i % 10}{10000000 + i * 7919 % 89999999:08d}",
                address="城口县庙坝镇",
                village=rng.choice(villages),
            )
        )
    return pool


def _weighted(rng: random.Random, options: list[str], leading: list[str]) -> str:
    weights = [4 if o in leading else 1 for o in options]
    return rng.choices(options, weights)[0]


def _received_days(rng: random.Random, year: int, n: int, last: dt.date) -> list[dt.date]:
    """Return `n` days of receipt in `year` up to `last`, in order (numbers follow receipt)."""
    start = dt.date(year, 1, 3)
    span = max((last - start).days, 1)
    return sorted(start + dt.timedelta(days=rng.randrange(0, span)) for _ in range(n))


def _as_entered(person: Person) -> dict:
    """The details the case's unit entered for the person (here: all of them)."""
    return {
        "gender": person.gender,
        "id_number": person.id_number,
        "phone": person.phone,
        "address": person.address,
        "village": person.village,
    }


class _Timeline:
    """Timeline entries (办理过程) collected for one bulk write."""

    def __init__(self):
        self.rows: list[tuple[str, object, str, dt.date, object, str]] = []

    def add(self, field: str, case, action: str, on: dt.date, by, note: str = "") -> None:
        self.rows.append((field, case, action, on, by, note))

    def write(self) -> None:
        Event.objects.bulk_create(
            [Event(**{field: case}, action=a, on=on, by=by, note=note)
             for field, case, a, on, by, note in self.rows],
            batch_size=2000,
        )  # fmt: skip


def _petitions(year, count, last_day, rng, ctx) -> list[Petition]:
    """Build the petitions of a past year (or this year's closed ones), in their final state."""
    clerk, leader, unit, categories, pool = ctx
    names = list(categories)
    online = _share(ONLINE_SHARE, year)
    collective_left = COLLECTIVE.get(year, 0)
    out = []
    for i, received in enumerate(_received_days(rng, year, count, last_day)):
        category = _weighted(rng, names, LEADING_CATEGORIES.get(year, []))
        people = [pool.pop()]
        headcount = 1
        if collective_left and i % 9 == 4:
            collective_left -= 1
            headcount = rng.randrange(5, 12)
            people += [pool.pop() for _ in range(2)]
        elif rng.random() < 0.2:
            people.append(pool.pop())
            headcount = 2
        channel = (
            "网上信访" if rng.random() < online
            else rng.choice(["来信", "来访", "来访", "电话", "上级转送"])
        )  # fmt: skip
        p = Petition(
            year=year, received_on=received, channel=channel, kind=rng.choice(Petition.Kind.values),
            category=categories[category], village=people[0].village, unit=unit,
            summary=SUMMARIES[category], request="请求镇政府依法处理。", headcount=headcount,
            is_repeat=i % 11 == 6, created_by=clerk,
        )  # fmt: skip
        p._people = people
        steps = [("登记", received, clerk, f"{p.get_channel_display()}，{len(people)}名信访人"
                  + (f"，{headcount}人集体访" if headcount >= 5 else ""))]  # fmt: skip
        decided = received + dt.timedelta(days=rng.choice([1, 2, 3, 5, 7, 9, 12, 16]))
        if i % 17 == 5:
            p.status = Petition.Status.REJECTED
            p.decided_on = p.replied_on = decided
            p.rejection_reason = "属于司法程序处理事项"
            p.redirect_to = "城口县人民法院"
            p.reply_form = "不予受理告知书"
            steps.append(
                ("不予受理", decided, clerk, "理由：属于司法程序处理事项；告知向城口县人民法院提出")
            )
        else:
            p.decided_on = decided
            steps.append(("受理", decided, clerk, "书面告知信访人已受理"))
            days = rng.randrange(10, 55)
            if i % 13 == 7:
                p.extension_days = 30
                p.extension_reason = "涉及多个部门，需进一步调查核实"
                p.extension_approved_by = leader
                p.extended_on = decided + dt.timedelta(days=50)
                steps.append(("延期", p.extended_on, clerk,
                              f"延长30日，经{leader.display_name}批准；理由：{p.extension_reason}"))  # fmt: skip
                days += 25
            p.concluded_on = decided + dt.timedelta(days=days)
            p.outcome = rng.choice(Petition.Outcome.values)
            p.outcome_text = "经调查核实，依法作出处理意见。"
            steps.append(("办结", p.concluded_on, clerk, f"处理意见：{p.outcome}"))
            p.replied_on = p.concluded_on + dt.timedelta(days=2)
            p.reply_form = "书面送达"
            p.satisfaction = rng.choice(["满意", "满意", "基本满意", "", "不满意"])
            p.status = Petition.Status.REPLIED
            steps.append(("答复", p.replied_on, clerk, "书面送达"))
        p._steps = steps
        out.append(p)
    return out


def _disputes(year, count, last_day, rng, ctx) -> list[Dispute]:
    """Build the disputes of a past year (or this year's concluded ones), in their final state."""
    clerk, _leader, unit, _categories, pool = ctx
    rejected_left = REJECTED_DISPUTES.get(year, 0)
    types = list(Dispute.Type.values)
    out = []
    for i, received in enumerate(_received_days(rng, year, count, last_day)):
        kind = _weighted(rng, types, LEADING_TYPES.get(year, []))
        a, b = pool.pop(), pool.pop()
        d = Dispute(
            year=year, received_on=received, source=rng.choice(Dispute.Source.values), type=kind,
            village=a.village, unit=unit, summary=DISPUTE_SUMMARIES[kind],
            mediators="李文静、罗正平",
            amount=Decimal(rng.randrange(0, 5000000)) / 100 if i % 3 else None,
            created_by=clerk,
        )  # fmt: skip
        d._people = [(a, Party.Side.APPLICANT), (b, Party.Side.RESPONDENT)]
        steps = [("登记", received, f"{d.source}，2方当事人")]
        decided = received + dt.timedelta(days=1)
        d.decided_on = decided
        if rejected_left and i % 7 == 3:
            rejected_left -= 1
            d.status = Dispute.Status.REJECTED
            d.rejection_reason = "一方当事人明确拒绝调解"
            d.replied_on = decided + dt.timedelta(days=1)
            d.reply_form = "当面答复"
            steps += [("不予受理", decided, d.rejection_reason), ("答复", d.replied_on, "当面答复")]
            d._steps = steps
            out.append(d)
            continue
        steps.append(("受理", decided, ""))
        concluded = decided + dt.timedelta(days=rng.randrange(3, 40))
        failure_every = 9 if year <= 2020 else (6 if year % 2 else 11)
        if i % failure_every == 0:
            d.status = Dispute.Status.FAILED
            d.conclusion_note = "双方分歧较大，已告知可通过诉讼途径解决"
            steps.append(("调解不成", concluded, d.conclusion_note))
        else:
            d.status = Dispute.Status.SUCCEEDED
            d.agreement_form = "书面" if i % 4 else "口头"
            d.agreement_text = "双方自愿达成协议，按约定履行。"
            d.agreement_effective_on = concluded
            steps.append(("调解成功", concluded, d.agreement_text))
            d.performance = Dispute.Performance.DONE if i % 23 else Dispute.Performance.NOT_DONE
            d.performance_checked_on = concluded + dt.timedelta(days=20)
            steps.append(("履行情况", d.performance_checked_on, d.performance))
            if d.agreement_form == "书面" and i % 10 == 1:
                d.court_applied_on = concluded + dt.timedelta(days=10)
                steps.append(("司法确认", d.court_applied_on, "申请司法确认"))
        d.concluded_on = concluded
        d.followed_up_on = concluded + dt.timedelta(days=25)
        d.follow_up_note = "当事人表示满意，未再发生纠纷"
        steps.append(("回访", d.followed_up_on, d.follow_up_note))
        d.replied_on = concluded + dt.timedelta(days=26)
        d.reply_form = "当面答复"
        steps.append(("答复", d.replied_on, "当面答复"))
        d._steps = steps
        out.append(d)
    return out


def _number(cases: list, prefix: str, register: str) -> None:
    """Number each year's cases in order of receipt (信〔2020〕1号 ...) and raise the counters."""
    by_year: dict[int, int] = {}
    for case in sorted(cases, key=lambda c: (c.received_on, id(c))):
        serial = by_year.get(case.year, 0) + 1
        by_year[case.year] = serial
        case.serial = serial
        case.number = s.case_number(prefix, case.year, serial)
    for year, last in by_year.items():
        raise_serial(register, year, last)


@transaction.atomic
def _mediators(clerk) -> None:
    """Put the town committee's mediators on record: the 司法所 clerk and two villagers."""
    Mediator.objects.get_or_create(name="李文静", defaults={"user": clerk})
    luojiang = Village.objects.filter(name="罗江村").first()
    for name in ("罗正平", "罗大勇"):
        Mediator.objects.get_or_create(name=name, defaults={"village": luojiang})


def load_demo_records() -> str:
    """Create the demo history; return a one-line summary, or "" when cases already exist."""
    if Petition.objects.exists() or Dispute.objects.exists():
        return ""
    today = timezone.localdate()
    rng = random.Random(2020)
    clerk = User.objects.get(username="clerk")
    leader = User.objects.get(username="leader")
    villages = list(Village.objects.all())
    _mediators(clerk)
    categories = {c.name: c for c in Category.objects.all()}
    pool = Person.objects.bulk_create(_people(rng, villages, 4000), batch_size=1000)
    rng.shuffle(pool)
    petition_ctx = (clerk, leader, Unit.objects.get(name="信访办"), categories, pool)
    dispute_ctx = (clerk, leader, Unit.objects.get(name="司法所"), categories, pool)

    petitions: list[Petition] = []
    disputes: list[Dispute] = []
    for year in range(2016, today.year + 1):
        if year < today.year:
            n_p, n_d = PETITIONS_PER_YEAR.get(year, 30), DISPUTES_PER_YEAR.get(year, 95)
            # The 2016–2020 cases are all answered by 31 December 2020 (the 2020 report says
            # so): 2020's are received by 10 September; later years run to late December,
            # some answered in January.
            last = dt.date(year, 9, 10) if year == 2020 else dt.date(year, 12, 20)
        else:
            share = (today - dt.date(year, 1, 1)).days / 365
            n_p, n_d = round(THIS_YEAR_PETITIONS * share), round(THIS_YEAR_DISPUTES * share)
            last = today - dt.timedelta(days=110)  # concluded and answered by today
            if last.year < year:
                continue
        petitions += _petitions(year, n_p, last, rng, petition_ctx)
        disputes += _disputes(year, n_d, last, rng, dispute_ctx)
    _number(petitions, s.PETITION_PREFIX, "petition")
    _number(disputes, s.DISPUTE_PREFIX, "dispute")
    Petition.objects.bulk_create(petitions, batch_size=500)
    Dispute.objects.bulk_create(disputes, batch_size=500)
    Petitioner.objects.bulk_create(
        [Petitioner(petition=p, person=person, order=k, **_as_entered(person))
         for p in petitions for k, person in enumerate(p._people)],
        batch_size=2000,
    )  # fmt: skip
    Party.objects.bulk_create(
        [Party(dispute=d, person=person, side=side, order=k, **_as_entered(person))
         for d in disputes for k, (person, side) in enumerate(d._people)],
        batch_size=2000,
    )  # fmt: skip
    timeline = _Timeline()
    for p in petitions:
        for action, on, by, note in p._steps:
            timeline.add("petition", p, action, on, by, note)
    for d in disputes:
        for action, on, note in d._steps:
            timeline.add("dispute", d, action, on, clerk, note)
    timeline.write()
    _bump()

    # Open cases of this year, through the services, so the workbench and clocks have them.
    mediation_unit = dispute_ctx[2]

    def person_data() -> s.PersonData:
        p = pool.pop()
        return s.PersonData(name=p.name, id_number=p.id_number, phone=p.phone,
                            village_id=p.village_id)  # fmt: skip

    for days_ago in (70, 40, 16, 14, 12, 5, 1):
        received = today - dt.timedelta(days=days_ago)
        person = person_data()
        p = s.petition_register(
            by=clerk, received_on=received, channel=rng.choice(Petition.Channel.values),
            kind=rng.choice(Petition.Kind.values), category=categories["村务"],
            village=Village.objects.get(pk=person.village_id), unit=petition_ctx[2],
            summary=SUMMARIES["村务"], request="请求镇政府依法处理。", petitioners=[person],
        )  # fmt: skip
        if days_ago > 20:
            s.petition_accept(p, by=clerk, on=received + dt.timedelta(days=3))
    for days_ago in (45, 30, 27, 3):
        received = today - dt.timedelta(days=days_ago)
        a, b = person_data(), person_data()
        kind = rng.choice(Dispute.Type.values)
        d = s.dispute_register(
            by=clerk, received_on=received, source="主动排查发现", type=kind,
            village=Village.objects.get(pk=a.village_id), unit=mediation_unit,
            summary=DISPUTE_SUMMARIES[kind],
            parties=[(a, Party.Side.APPLICANT), (b, Party.Side.RESPONDENT)],
        )  # fmt: skip
        if days_ago > 5:
            s.dispute_accept(d, by=clerk, on=received + dt.timedelta(days=1))
    return (
        f"演示信访件 {len(petitions)} 件、矛盾纠纷 {len(disputes)} 起"
        f"（2016—{today.year}年，其中2016—2020年 218 件、615 起）及本年度在办案件已载入。"
    )


def _bump() -> None:
    """Tell the figure caches that records changed (bulk writes send no signal)."""
    try:
        from miaoba import dataversion
    except ImportError:  # the cache is not there yet
        return
    dataversion.bump()

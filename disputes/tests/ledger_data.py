"""Build ledger test data: valid ID numbers, petitions and disputes in every state, files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from disputes import services as s
from disputes.models import Category, Dispute, Party, Petition
from disputes.resources import DisputeResource, PetitionResource
from disputes.services import PersonData
from disputes.validators import id_check_digit
from miaoba.models import Village


def make_id(i: int, birth: str = "") -> str:
    """Return a valid 18-character ID number (GB 11643 check digit), distinct for each `i`."""
    birth = birth or f"{1960 + i % 40}{i % 12 + 1:02d}{i % 28 + 1:02d}"
    first17 = f"500229{birth}{i % 1000:03d}"
    return first17 + id_check_digit(first17)


def village(name: str = "庙坝村") -> Village:
    return Village.objects.get_or_create(name=name)[0]


def petitions_in_every_state(n: int, *, clerk, leader, unit) -> list[Petition]:
    """Register `n` petitions of 2020 through the services, cycling through every state.

    i % 5: 0 待受理, 1 办理中, 2 不予受理, 3 已办结, 4 已答复; every 7th has two petitioners,
    every 11th accepted one is extended by 15 days.
    """
    home = village()
    categories = list(Category.objects.all())
    made = []
    for i in range(n):
        received = dt.date(2020, 1, 1) + dt.timedelta(days=i)
        people = [
            PersonData(
                name=f"信访人{i}",
                gender="男" if i % 2 else "女",
                id_number=make_id(i),
                phone=f"138{i:08d}",
                address=f"庙坝镇庙坝村{i % 9 + 1}组",
            )
        ]
        if i % 7 == 0:
            people.append(PersonData(name=f"同行人{i}", id_number=make_id(i + 500)))
        p = s.petition_register(
            by=clerk,
            received_on=received,
            channel=list(Petition.Channel.values)[i % 6],
            kind=list(Petition.Kind.values)[i % 3] if i % 4 else "",
            category=categories[i % len(categories)],
            village=home if i % 3 else None,
            unit=unit,
            summary=f"第{i}件：反映排水沟堵塞，雨天淹没农田",
            request="要求疏通排水沟" if i % 2 else "",
            petitioners=people,
            is_repeat=i % 13 == 0,
        )
        state = i % 5
        if state == 2:
            s.petition_reject(
                p,
                by=clerk,
                on=received + dt.timedelta(days=5),
                reason="不属于本机关职责",
                redirect_to="县人力社保局",
            )
        elif state:
            s.petition_accept(p, by=clerk, on=received + dt.timedelta(days=3))
            if i % 11 in (1, 3, 4) and state in (1, 3, 4):
                s.petition_extend(
                    p,
                    by=clerk,
                    on=received + dt.timedelta(days=20),
                    days=15,
                    reason="需现场勘查",
                    approved_by=leader,
                )
            if state >= 3:
                s.petition_conclude(
                    p,
                    by=clerk,
                    on=received + dt.timedelta(days=40),
                    outcome=list(Petition.Outcome.values)[i % 3],
                )
            if state == 4:
                s.petition_reply(
                    p,
                    by=clerk,
                    on=received + dt.timedelta(days=45),
                    form="书面送达",
                    satisfaction=list(Petition.Satisfaction.values)[i % 3] if i % 2 else "",
                )
        made.append(p)
    return made


def disputes_in_every_state(n: int, *, clerk, unit) -> list[Dispute]:
    """Register `n` disputes of 2020 through the services, cycling through every state.

    i % 6: 0 待受理, 1 调解中, 2 不予受理, 3 调解成功 (书面, 司法确认, 回访, 答复),
    4 调解成功 (口头), 5 调解不成.
    """
    home = village()
    made = []
    for i in range(n):
        received = dt.date(2020, 2, 1) + dt.timedelta(days=i)
        parties = [
            (
                PersonData(name=f"申请人{i}", id_number=make_id(i + 100), phone=f"139{i:08d}"),
                Party.Side.APPLICANT,
            ),
            (PersonData(name=f"被申请人{i}"), Party.Side.RESPONDENT),
        ]
        if i % 4 == 0:
            parties.append((PersonData(name=f"第三人{i}", phone=f"137{i:08d}"), Party.Side.THIRD))
        d = s.dispute_register(
            by=clerk,
            received_on=received,
            source=list(Dispute.Source.values)[i % 4],
            type=list(Dispute.Type.values)[i % 9],
            village=home if i % 2 else None,
            unit=unit,
            summary=f"第{i}件：宅基地边界争议",
            body=list(Dispute.Body.values)[i % 2],
            mediators="王调解、李调解" if i % 3 else "",
            amount=Decimal(f"{i * 1000}.50") if i % 2 else None,
            parties=parties,
        )
        state = i % 6
        if state == 2:
            s.dispute_reject(
                d, by=clerk, on=received + dt.timedelta(days=2), reason="一方明确拒绝调解"
            )
        elif state:
            s.dispute_accept(d, by=clerk, on=received + dt.timedelta(days=1))
            concluded = received + dt.timedelta(days=20)
            if state == 3:
                s.dispute_conclude(
                    d,
                    by=clerk,
                    on=concluded,
                    result=Dispute.Status.SUCCEEDED,
                    agreement_form=Dispute.AgreementForm.WRITTEN,
                    agreement_text="赔偿500元",
                )
                s.dispute_record_court(d, by=clerk, applied_on=concluded + dt.timedelta(days=10))
                s.dispute_follow_up(
                    d, by=clerk, on=concluded + dt.timedelta(days=15), note="已履行"
                )
                s.dispute_reply(d, by=clerk, on=concluded + dt.timedelta(days=16), form="当面答复")
            elif state == 4:
                s.dispute_conclude(
                    d,
                    by=clerk,
                    on=concluded,
                    result=Dispute.Status.SUCCEEDED,
                    agreement_form=Dispute.AgreementForm.ORAL,
                    agreement_text="互相道歉",
                )
            elif state == 5:
                s.dispute_conclude(
                    d,
                    by=clerk,
                    on=concluded,
                    result=Dispute.Status.FAILED,
                    note="告知可向法院起诉",
                )
        made.append(d)
    return made


def petition_snapshot() -> list[tuple]:
    """Return every petition as its ledger row plus its petitioners, ordered by number."""
    rows = []
    for p in Petition.objects.order_by("year", "serial"):
        people = [
            (x.person.name, x.person.gender, x.person.id_number, x.person.phone, x.person.address)
            for x in p.petitioner_links.select_related("person")
        ]
        rows.append(tuple(PetitionResource().export_resource(p)) + (tuple(people),))
    return rows


def dispute_snapshot() -> list[tuple]:
    """Return every dispute as its ledger row plus its parties, ordered by number."""
    rows = []
    for d in Dispute.objects.order_by("year", "serial"):
        people = [
            (x.person.name, x.side, x.person.id_number, x.person.phone)
            for x in d.party_links.select_related("person")
        ]
        rows.append(tuple(DisputeResource().export_resource(d)) + (tuple(people),))
    return rows


def petition_row(**values) -> list:
    """Return one petition ledger row in header order, from {header: value} (others blank)."""
    headers = PetitionResource.headers()
    base = {
        "登记日期": "2021-03-05",
        "来源渠道": "来访",
        "问题分类": "邻里",
        "信访人姓名": "张三",
        "主要内容": "反映邻居占用通道",
        "承办单位": "司法所",
        "状态": "待受理",
    }
    base.update(values)
    unknown = set(base) - set(headers)
    assert not unknown, unknown
    return [base.get(h, "") for h in headers]


def dispute_row(**values) -> list:
    """Return one dispute ledger row in header order, from {header: value} (others blank)."""
    headers = DisputeResource.headers()
    base = {
        "登记日期": "2021-03-05",
        "纠纷来源": "当事人申请",
        "纠纷类型": "邻里",
        "当事人": "张三（申请方）、李四（被申请方）",
        "主要内容": "相邻通行纠纷",
        "承办单位": "司法所",
        "状态": "待受理",
    }
    base.update(values)
    unknown = set(base) - set(headers)
    assert not unknown, unknown
    return [base.get(h, "") for h in headers]

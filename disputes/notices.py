"""The notices of petitions and disputes, filled from the record (see `miaoba.notices`).

Petitions (《信访条例》2005 for items received before 2022-05-01, 《信访工作条例》2022 after):
受理告知书 and 不予受理告知书 (2005 第二十一条、第二十二条; 2022 第二十三条, which also
require telling the petitioner in writing), 延期办理告知书 (2005 第三十三条; 2022 第三十四条:
the reason for an extension is told to the petitioner), 信访事项处理意见书 (2005 第三十二条、
第三十三条; 2022 第三十二条、第三十四条) with the 复查 route (2005 第三十四条; 2022 第三十五条),
复查意见书 with the 复核 route (2005 第三十五条; 2022 第三十五条、第三十六条).

Disputes (《人民调解法》): 人民调解申请书 (第十七条: parties may apply to a committee) and
人民调解协议书 (第二十八条、第二十九条: what it records, who signs, when it takes effect;
第三十一条: it binds the parties; 第三十三条: court confirmation within 30 days).
"""

from __future__ import annotations

from disputes.models import Dispute, Event, Party, Petition
from miaoba.gongwen import cn_date
from miaoba.notices import NoticeKind, NoticeText

TOWN = "庙坝镇人民政府"  # the issuing organ (发文机关署名)
P, D = Petition.Status, Dispute.Status


def _names(petition: Petition) -> str:
    names = [link.person.name for link in petition.petitioner_links.select_related("person")]
    return "、".join(names) or "信访人"


def _received(p: Petition) -> str:
    return (
        f"你（们）于{cn_date(p.received_on)}以{p.get_channel_display()}形式反映的"
        f"“{p.summary.strip().rstrip('。')}”的信访事项"
    )


def _rule(p: Petition, old: str, new: str) -> str:
    return f"《信访工作条例》{new}" if p.rule == "2022" else f"《信访条例》{old}"


def _accept(p: Petition, issued) -> NoticeText:
    return NoticeText(
        title="信访事项受理告知书",
        number=issued.number,
        addressee=f"{_names(p)}：",
        paragraphs=(
            f"{_received(p)}（编号：{p.number}），经审查，属于本机关职责范围，"
            f"本机关决定予以受理，已交{p.unit.name}办理。",
            "本机关将自受理之日起60日内办结；情况复杂的，经批准可以适当延长办理期限，"
            "但延长期限不超过30日，并将延期理由告知你（们）。",
            "特此告知。",
        ),
        basis=_rule(p, "第二十一条、第二十二条、第三十三条", "第二十三条、第三十四条"),
        issuer=TOWN,
        date=p.decided_on,
    )


def _reject(p: Petition, issued) -> NoticeText:
    where = f"请向{p.redirect_to}提出。" if p.redirect_to else ""
    return NoticeText(
        title="信访事项不予受理告知书",
        number=issued.number,
        addressee=f"{_names(p)}：",
        paragraphs=(
            f"{_received(p)}（编号：{p.number}），经审查，{p.rejection_reason.strip().rstrip('。')}，"
            f"本机关决定不予受理。{where}",
            "特此告知。",
        ),
        basis=_rule(p, "第二十一条", "第二十三条"),
        issuer=TOWN,
        date=p.decided_on,
    )


def _extend(p: Petition, issued) -> NoticeText:
    from disputes.clocks import petition_clocks
    from miaoba.workcalendar import WorkCalendar

    due = next(c for c in petition_clocks(p, WorkCalendar.load()) if c.label == "办结期限").due
    approver = p.extension_approved_by
    who = f"经{approver.title or ''}{approver.display_name}批准，" if approver else "经批准，"
    return NoticeText(
        title="信访事项延期办理告知书",
        number=issued.number,
        addressee=f"{_names(p)}：",
        paragraphs=(
            f"{_received(p)}（编号：{p.number}），本机关已于{cn_date(p.decided_on)}受理。"
            f"因{p.extension_reason.strip().rstrip('。')}，不能在60日内办结，"
            f"{who}办理期限延长{p.extension_days}日，至{cn_date(due.date)}。",
            "特此告知。",
        ),
        basis=_rule(p, "第三十三条", "第三十四条"),
        issuer=TOWN,
        date=p.extended_on,
    )


def _outcome(p: Petition, issued) -> NoticeText:
    route = "如对本处理意见不服，可以自收到本意见书之日起30日内请求原办理机关的上一级机关复查。"
    return NoticeText(
        title="信访事项处理意见书",
        number=issued.number,
        addressee=f"{_names(p)}：",
        paragraphs=(
            f"{_received(p)}（编号：{p.number}），本机关于{cn_date(p.decided_on)}受理，"
            "经调查核实，现提出处理意见如下：",
            f"{p.get_outcome_display() or '处理意见'}。{p.outcome_text.strip()}",
            route,
        ),
        basis=_rule(p, "第三十二条、第三十三条、第三十四条", "第三十二条、第三十四条、第三十五条"),
        issuer=TOWN,
        date=p.concluded_on,
    )


def _review(p: Petition, issued) -> NoticeText:
    return NoticeText(
        title="信访事项复查意见书",
        number=issued.number,
        addressee=f"{_names(p)}：",
        paragraphs=(
            f"你（们）不服本机关{cn_date(p.concluded_on)}对{p.number}号信访事项作出的处理意见，"
            f"于{cn_date(p.review_requested_on)}请求复查。",
            f"经复查，{p.get_review_result_display()}。",
            "如对本复查意见不服，可以自收到本意见书之日起30日内向复查机关的上一级机关请求复核。",
        ),
        basis=_rule(p, "第三十四条、第三十五条", "第三十五条、第三十六条"),
        issuer=TOWN,
        date=p.review_concluded_on,
    )


def _people_rows(d: Dispute) -> tuple[tuple[str, str], ...]:
    rows = []
    # the details as this case's unit entered them (disputes.models.AsEntered)
    for link in d.party_links.select_related("person", "village"):
        facts = [link.gender, link.address or (link.village.name if link.village else "")]
        rows.append((link.side, "，".join([link.name] + [f for f in facts if f])))
    return tuple(rows)


def _application(d: Dispute, issued) -> NoticeText:
    return NoticeText(
        title="人民调解申请书",
        number=issued.number,
        rows=(
            *_people_rows(d),
            ("纠纷类型", d.get_type_display()),
            ("申请事项及理由", d.summary.strip()),
            ("调解组织", d.get_body_display()),
        ),
        paragraphs=(f"申请人请求{d.get_body_display()}依法调解上述纠纷（编号：{d.number}）。",),
        basis="《中华人民共和国人民调解法》第十七条",
        signatures=("申请人（签名或按指印）：",),
        issuer="",
        date=d.received_on,
    )


def _agreement(d: Dispute, issued) -> NoticeText:
    mediators = d.mediators or "（人民调解员）"
    return NoticeText(
        title="人民调解协议书",
        number=issued.number,
        rows=(
            *_people_rows(d),
            ("纠纷主要事实、争议事项", d.summary.strip()),
            ("协议内容", d.agreement_text.strip()),
        ),
        paragraphs=(
            f"经{d.get_body_display()}主持调解，当事人自愿达成以上协议。",
            "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会"
            "印章之日起生效。本协议具有法律约束力，当事人应当按照约定履行。"
            "双方当事人可以自本协议生效之日起30日内共同向人民法院申请司法确认。",
            "本协议一式三份，双方当事人、人民调解委员会各执一份。",
        ),
        basis="《中华人民共和国人民调解法》第二十八条、第二十九条、第三十一条、第三十三条",
        signatures=("当事人（签名、盖章或按指印）：", f"人民调解员（签名）：{mediators}"),
        issuer=d.get_body_display(),
        date=d.agreement_effective_on or d.concluded_on,
    )


def _available_after(field: str, why: str):
    def check(record) -> str:
        return "" if getattr(record, field) else why

    return check


def _petition_kind(key, title, prefix, available, build, date) -> NoticeKind:
    return NoticeKind(
        key=key,
        title=title,
        model=Petition,
        prefix=prefix,
        available=available,
        build=build,
        perm="disputes.change_petition",
        view_perm="disputes.view_petition",
        visible=lambda user: Petition.objects.visible_to(user),
        detail_url="disputes:petition_detail",
        date=date,
        event=lambda record, *, by, on, note: Event.add(
            record, action=f"出具{title}", on=on, by=by, note=note
        ),
    )


def _dispute_kind(key, title, prefix, available, build, date) -> NoticeKind:
    return NoticeKind(
        key=key,
        title=title,
        model=Dispute,
        prefix=prefix,
        available=available,
        build=build,
        perm="disputes.change_dispute",
        view_perm="disputes.view_dispute",
        visible=lambda user: Dispute.objects.visible_to(user),
        detail_url="disputes:dispute_detail",
        date=date,
        event=lambda record, *, by, on, note: Event.add(
            record, action=f"出具{title}", on=on, by=by, note=note
        ),
    )


def _accepted(p: Petition) -> str:
    if p.decided_on and p.status != P.REJECTED:
        return ""
    return "受理后才能出具受理告知书。"


def _rejected(p: Petition) -> str:
    return "" if p.status == P.REJECTED else "决定不予受理后才能出具不予受理告知书。"


def _written_agreement(d: Dispute) -> str:
    if d.status == D.SUCCEEDED and d.agreement_form == Dispute.AgreementForm.WRITTEN:
        return ""
    return "调解成功并达成书面协议后才能出具人民调解协议书。"


def _applied(d: Dispute) -> str:
    if d.party_links.filter(side=Party.Side.APPLICANT).exists():
        return ""
    return "登记申请方当事人后才能出具人民调解申请书。"


NOTICES = {
    "petition_accept": _petition_kind(
        "petition_accept", "信访事项受理告知书", "庙坝信受告", _accepted, _accept,
        lambda p: p.decided_on,
    ),
    "petition_reject": _petition_kind(
        "petition_reject", "信访事项不予受理告知书", "庙坝信不受告", _rejected, _reject,
        lambda p: p.decided_on,
    ),
    "petition_extend": _petition_kind(
        "petition_extend", "信访事项延期办理告知书", "庙坝信延告",
        _available_after("extended_on", "批准延期后才能出具延期办理告知书。"), _extend,
        lambda p: p.extended_on,
    ),
    "petition_outcome": _petition_kind(
        "petition_outcome", "信访事项处理意见书", "庙坝信处意",
        _available_after("concluded_on", "办结后才能出具处理意见书。"), _outcome,
        lambda p: p.concluded_on,
    ),
    "petition_review": _petition_kind(
        "petition_review", "信访事项复查意见书", "庙坝信复查",
        _available_after("review_concluded_on", "登记复查意见后才能出具复查意见书。"), _review,
        lambda p: p.review_concluded_on,
    ),
    "dispute_application": _dispute_kind(
        "dispute_application", "人民调解申请书", "庙坝调申", _applied, _application,
        lambda d: d.received_on,
    ),
    "dispute_agreement": _dispute_kind(
        "dispute_agreement", "人民调解协议书", "庙坝调协", _written_agreement, _agreement,
        lambda d: d.agreement_effective_on or d.concluded_on,
    ),
}  # fmt: skip

"""Write each section of the annual report from the period's records (报告起草).

A composer turns the figures and named records of its areas into sentences as township reports
write them (`shared/REPORT-PATTERNS.md`, DOMAIN.md §8):
- each measure is a sentence with its own facts: counts with units, the change against the
  previous year ("同比增长12.5%", "与上年持平") where that year has data, the largest categories,
  rates with one decimal, and named records where they are few (a document's title and 文号, a
  decision's name, a training's date, topic and 人次);
- a thing that did not happen is its own sentence ("全年未作出重大行政决策。"), never "0件" in a
  sentence written for many; a rate with nothing to divide is not written;
- a figure the system has no data for is a gap the author must fill: 【待补充：服务窗口数（2021年）】.

Figures are written as tokens, `{信访·信访件数·2021年}` (area, figure, period; see `tokens`),
so a number stays computed from the records after the author edits the text around it. Derived
phrases (changes, rankings, named records) are written out.

Each composer is `compose_<name>(ctx) -> str`; `COMPOSERS` maps the names used by
`reports.outlines`. A composer asks the `FigureBook` only for the areas it writes about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from miaoba.figures import AreaFigures, Item
from miaoba.periods import span_text
from reports import tokens
from reports.areas import AREA_BY_KEY, FigureBook
from reports.selectors import LEADER_ITEMS

GAP = "【待补充：{}】"
MAX_NAMED = 3  # name records one by one up to this many; beyond, name the first ones and count


@dataclass
class Context:
    """What a composer knows: the report's year, cumulative span, as-of date, township name,
    the figure book, and the tasks register's problems."""

    year: int
    span_from: int
    as_of: dt.date | None
    town: str
    book: FigureBook

    def area(self, key: str, first: int | None = None, last: int | None = None) -> AreaFigures:
        first = self.year if first is None else first
        return self.book.area(key, first, self.year if last is None else last)

    def has_area(self, key: str) -> bool:
        return key in AREA_BY_KEY

    def value(self, key: str, name: str, first: int | None = None, last: int | None = None):
        return self.area(key, first, last).figures[name].value

    def token(self, key: str, name: str, first: int | None = None, last: int | None = None) -> str:
        """Return the token of figure `name` of area `key` ("{信访·信访件数·2021年}")."""
        area = self.area(key, first, last)
        return tokens.token(area.name, area.figures[name].label, area.first, area.last)

    def previous(self, key: str, name: str):
        """Return the figure's value for the year before, or None before the records begin."""
        if self.year - 1 < 2016:
            return None
        return self.area(key, self.year - 1, self.year - 1).figures[name].value

    def change(self, key: str, name: str) -> str:
        """Return "，同比增长12.5%" / "，同比下降8.3%" / "，与上年持平", or "" without last year."""
        return change_phrase(self.value(key, name), self.previous(key, name))


def change_phrase(current, previous) -> str:
    """Return the change of `current` against `previous` as a report writes it, or "" when the
    previous year has no data (None or 0): "，同比增长12.5%" (one decimal, half up)."""
    if not previous or current is None:
        return ""
    if current == previous:
        return "，与上年持平"
    pct = (Decimal(abs(current - previous)) * 100 / Decimal(previous)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    text = f"{pct}".removesuffix(".0")
    return f"，同比{'增长' if current > previous else '下降'}{text}%"


def cn_day(day: dt.date | None) -> str:
    """Return a date as a report writes it inside the year: "3月5日"."""
    return f"{day.month}月{day.day}日" if day else ""


def _ordinal(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def measures(parts: list[str]) -> str:
    """Join measures as 一是……二是……; one measure is written alone."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return "".join(f"{_ordinal(i)}是{p}" for i, p in enumerate(parts, start=1))


def _named(items: tuple[Item, ...], total: int, fmt: Callable[[Item], str], noun: str) -> str:
    """Name the records: all when at most MAX_NAMED, else the first ones "等N{noun}"."""
    if not items:
        return ""
    shown = [fmt(i) for i in items[:MAX_NAMED]]
    text = "、".join(shown)
    if total > len(shown):
        text += f"等{total}{noun}"
    return text


def _doc(item: Item) -> str:
    return f"《{item.title}》（{item.number}）" if item.number else f"《{item.title}》"


def quoted(title: str) -> str:
    """Return a record's name as a report quotes it: 《…》 titles as they are, others in “”
    (quotation marks inside become ‘’)."""
    if title.startswith("《") and title.endswith("》"):
        return title
    return "“" + title.replace("“", "‘").replace("”", "’") + "”"


def studied(title: str) -> str:
    """Return what a study session studied: "学习《民法典》" → "《民法典》"."""
    for lead in ("专题学习", "学习"):
        if title.startswith(lead):
            return quoted(title.removeprefix(lead))
    return quoted(title)


def _record(item: Item) -> str:
    text = f"{cn_day(item.on)}{quoted(item.title)}"
    return text + (f"（{item.people}人次）" if item.people else "")


def _top(area: AreaFigures, series: str, unit: str, n: int = 3) -> str:
    bars = area.series[series].top(n)
    return "、".join(f"{b.label}（{b.value}{unit}）" for b in bars if b.label != "未填写")


def _rates(ctx: Context, key: str, names: list[str], first=None, last=None) -> list[str]:
    """Return "label token" for each rate that has something to divide."""
    area = ctx.area(key, first, last)
    return [
        f"{area.figures[n].label}{ctx.token(key, n, first, last)}"
        for n in names
        if area.figures[n].value is not None
    ]


def _year_figure(ctx: Context, name: str) -> str:
    """Return a hand-entered year figure's token (a gap when nobody entered it)."""
    return ctx.token("year", name)


# --- 一、主要举措和成效 ----------------------------------------------------------------------


def compose_opening(ctx: Context) -> str:
    y = ctx.year
    if y <= 2020:
        plan = "《法治政府建设实施纲要（2015—2020年）》"
    elif y <= 2025:
        plan = "《法治政府建设实施纲要（2021—2025年）》"
    else:
        plan = "党中央、国务院关于法治政府建设的部署"
    facts = []
    docs = ctx.value("documents", "issued")
    if docs:
        facts.append(f"印发规范性文件{ctx.token('documents', 'issued')}件")
    petitions, disputes = ctx.value("petitions", "total"), ctx.value("disputes", "accepted")
    if petitions:
        facts.append(f"受理信访件{ctx.token('petitions', 'total')}件")
    if disputes:
        facts.append(f"调处矛盾纠纷{ctx.token('disputes', 'accepted')}起")
    records = ctx.area("records")
    trainings = sum(
        (records.figures.get(f"{k}.sessions").value or 0)
        for k in ("法治培训", "普法活动")
        if f"{k}.sessions" in records.figures
    )
    if trainings:
        facts.append(f"开展法治培训和普法活动{trainings}场次")
    text = (
        f"{y}年，{ctx.town}坚持以习近平法治思想为指导，认真落实{plan}，"
        f"按照县委、县政府部署推进法治政府建设。"
    )
    if facts:
        text += f"全年{'，'.join(facts)}。"
    return text + "现将有关情况报告如下。"


def compose_heading(ctx: Context) -> str:
    return ""


def compose_functions(ctx: Context) -> str:
    return (
        "规范便民服务中心运行，设服务窗口"
        f"{_year_figure(ctx, 'service_windows')}个、窗口工作人员{_year_figure(ctx, 'window_staff')}名，"
        f"纳入窗口受理、办理的审批服务事项{_year_figure(ctx, 'service_items')}项，"
        f"按时办结率{_year_figure(ctx, 'on_time_rate')}。"
    )


def compose_documents(ctx: Context) -> str:
    area = ctx.area("documents")
    issued = area.value("issued")
    parts = []
    if issued:
        named = _named(area.items.get("issued", ()), issued, _doc, "件")
        sentence = f"全年印发规范性文件{ctx.token('documents', 'issued')}件{ctx.change('documents', 'issued')}"
        sentence += f"，即{named}" if issued <= MAX_NAMED else f"，包括{named}"
        sentence += "。"
        rates = _rates(
            ctx, "documents", ["legality_review_rate", "collective_discussion_rate", "unified_rate",
                               "filing_rate", "timely_filing_rate"],
        )  # fmt: skip
        if all(area.value(k) == Decimal(100) for k in ("legality_review_rate",
               "collective_discussion_rate", "unified_rate")):  # fmt: skip
            sentence += "文件均经合法性审核、集体讨论决定，实行统一登记、统一编号、统一印发"
            rest = [r for r in rates if r.startswith(("报备率", "报备及时率"))]
            sentence += f"，{'，'.join(rest)}。" if rest else "。"
        else:
            sentence += "；".join(rates) + "。"
        parts.append(sentence)
    else:
        parts.append("本年度未制定规范性文件。")
    past = area.value("past_validity_still_valid")
    if past:
        parts.append(
            f"经核查，有{ctx.token('documents', 'past_validity_still_valid')}件规范性文件"
            "已超过有效期仍标为有效，正在清理。"
        )
    else:
        parts.append("经核查，没有超过有效期仍标为有效的规范性文件。")
    if ctx.span_from < ctx.year:
        total = ctx.value("documents", "issued", ctx.span_from)
        period = span_text(ctx.span_from, ctx.year)
        if total:
            parts.append(
                f"{period}全镇共印发规范性文件{ctx.token('documents', 'issued', ctx.span_from)}件。"
            )
    return measures(parts) if len(parts) > 2 else "".join(parts)


def compose_decisions(ctx: Context) -> str:
    decisions = ctx.area("decisions")
    n = decisions.value("total")
    parts = []
    if n:
        named = _named(decisions.items.get("decided", ()), n, lambda i: f"《{i.title}》"
                       if not i.title.startswith("《") else i.title, "项")  # fmt: skip
        text = f"作出重大行政决策{ctx.token('decisions', 'total')}项（{named}）"
        if decisions.value("complete_rate") == Decimal(100):
            text += "，均履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序"
        else:
            text += "，" + "，".join(_rates(ctx, "decisions", ["complete_rate", "legality_rate"]))
        parts.append(text + "。")
    else:
        parts.append("全年未作出重大行政决策。")
    reviews = ctx.area("reviews")
    total = reviews.value("total")
    advisors = ctx.area("year").figures["legal_advisors"]
    if total:
        kinds = "、".join(
            f"{b.label}{b.value}件" for b in reviews.series["by_kind"].bars if b.value
        )
        text = (
            f"发挥政府法律顾问作用（法律顾问{_year_figure(ctx, 'legal_advisors')}名），"
            f"审查{kinds}，共{ctx.token('reviews', 'total')}件{ctx.change('reviews', 'total')}"
        )
        opinions = reviews.value("opinions")
        if opinions:
            text += f"，提出建议意见{ctx.token('reviews', 'opinions')}条"
            if reviews.value("opinion_adoption_rate") is not None:
                text += f"，采纳{ctx.token('reviews', 'opinions_adopted')}条"
        example = reviews.items.get("reviews", ())
        if example:
            text += f"，如{_named(example[:2], 2, lambda i: f'“{i.title}”', '件')}"
        parts.append(text + "。")
    else:
        adv = (
            "" if advisors.value is None else f"（法律顾问{_year_figure(ctx, 'legal_advisors')}名）"
        )
        parts.append(f"全年未向政府法律顾问{adv}送审事项。")
    if ctx.span_from < ctx.year:
        span_total = ctx.value("reviews", "total", ctx.span_from)
        if span_total:
            period = span_text(ctx.span_from, ctx.year)
            parts.append(
                f"{period}法律顾问共提出建议意见{ctx.token('reviews', 'opinions', ctx.span_from)}条，"
                f"审查规范性文件、合同、重大事件处置等{ctx.token('reviews', 'total', ctx.span_from)}件。"
            )
    return measures(parts)


def _kind(ctx: Context, kind: str) -> tuple[int, str, tuple[Item, ...]]:
    """Return (count, token of 场次, named items) of a work-record kind in the year."""
    records = ctx.area("records")
    if f"{kind}.count" not in records.figures:
        return 0, "", ()
    n = records.value(f"{kind}.count")
    return n, ctx.token("records", f"{kind}.sessions"), records.items.get(kind, ())


def compose_enforcement(ctx: Context) -> str:
    parts = [f"全镇持证执法人员{_year_figure(ctx, 'certified_officers')}名。"]
    n, sessions, items = _kind(ctx, "执法检查")
    if n:
        parts.append(
            f"开展执法检查{sessions}次{ctx.change('records', '执法检查.sessions')}，"
            f"如{_named(items, n, _record, '次')}。"
        )
    else:
        parts.append("全年未开展专项执法检查。")
    return measures(parts)


def compose_disputes(ctx: Context) -> str:
    parts = []
    p = ctx.area("petitions")
    if p.value("total"):
        text = (
            f"全年受理信访件{ctx.token('petitions', 'total')}件{ctx.change('petitions', 'total')}，"
            f"主要涉及{_top(p, 'by_category', '件')}"
        )
        rates = _rates(ctx, "petitions", ["timely_acceptance_rate", "on_time_conclusion_rate",
                                          "reply_rate"])  # fmt: skip
        if rates:
            text += "；" + "，".join(rates)
        if p.value("rated"):
            text += (
                f"；{ctx.token('petitions', 'rated')}件参与满意度评价，"
                f"满意率{ctx.token('petitions', 'satisfaction_rate')}"
            )
        text += "。"
        collective, repeat = p.value("collective_count"), p.value("repeat_count")
        if collective:
            text += f"其中集体访{ctx.token('petitions', 'collective_count')}件。"
        else:
            text += "全年未发生集体访。"
        if repeat:
            text += f"重复信访{ctx.token('petitions', 'repeat_count')}件。"
        parts.append(text)
    else:
        parts.append("全年未收到信访件。")
    d = ctx.area("disputes")
    if d.value("accepted"):
        text = (
            f"排查调处矛盾纠纷{ctx.token('disputes', 'accepted')}起{ctx.change('disputes', 'accepted')}，"
            f"以{_top(d, 'by_type', '起')}为主"
        )
        if d.value("concluded"):
            text += f"；调解成功{ctx.token('disputes', 'succeeded')}起"
            text += "，" + "，".join(
                _rates(
                    ctx,
                    "disputes",
                    ["success_rate", "within_month_rate", "written_rate", "performance_rate"],
                )  # fmt: skip
            )
        text += "。"
        court = d.value("court_confirmation_count")
        if court:
            text += f"引导当事人申请司法确认{ctx.token('disputes', 'court_confirmation_count')}起。"
        amount = d.value("amount_total")
        if amount:
            text += f"涉及金额{_money(amount)}。"
        parts.append(text)
    else:
        parts.append("全年未受理矛盾纠纷。")
    if ctx.span_from < ctx.year:
        sp, sd = ctx.area("petitions", ctx.span_from), ctx.area("disputes", ctx.span_from)
        period = span_text(ctx.span_from, ctx.year)
        if sp.value("total") or sd.value("accepted"):
            text = (
                f"{period}全镇共受理信访案件{ctx.token('petitions', 'total', ctx.span_from)}起、"
                f"受理各类矛盾纠纷案件{ctx.token('disputes', 'accepted', ctx.span_from)}起"
            )
            if sp.value("reply_rate") == Decimal(100) and sd.value("reply_rate") == Decimal(100):
                text += "，已经全部按照要求回复。"
            else:
                text += "，" + "，".join(
                    [f"信访{r}" for r in _rates(ctx, "petitions", ["reply_rate"], ctx.span_from)]
                    + [f"纠纷{r}" for r in _rates(ctx, "disputes", ["reply_rate"], ctx.span_from)]
                ) + "。"  # fmt: skip
            parts.append(text)
    if ctx.has_area("reconsideration"):
        parts.append(_reconsideration(ctx))
    return measures(parts)


def _reconsideration(ctx: Context) -> str:
    """Write the year's 行政复议 and 行政应诉 as reports do: the cases of each kind, then 纠错率,
    败诉率, 负责人出庭应诉率 and 按期答复率 where there is something to divide; a year without
    cases says so (DOMAIN.md §11)."""
    key = "reconsideration"
    area = ctx.area(key)
    if not area.value("total"):
        return "全年未发生行政复议、行政诉讼案件。"
    n_recon, n_lit = area.value("reconsideration"), area.value("litigation")
    said = []
    if n_recon:
        said.append(f"行政复议案件{ctx.token(key, 'reconsideration')}件")
    if n_lit:
        said.append(f"行政诉讼案件{ctx.token(key, 'litigation')}件")
    text = "全年本镇作为被申请人、被告的" + "、".join(said)
    if not n_recon:
        text += "，未发生行政复议案件"
    if not n_lit:
        text += "，未发生行政诉讼案件"
    if area.value("decided"):
        text += f"；复议机关作出复议决定{ctx.token(key, 'decided')}件"
        if area.value("corrected"):
            text += (
                f"，被纠错{ctx.token(key, 'corrected')}件，"
                f"纠错率{ctx.token(key, 'correction_rate')}"
            )
        else:
            text += "，均未被纠错"
    if area.value("judged"):
        text += f"；行政诉讼审结{ctx.token(key, 'judged')}件"
        if area.value("lost"):
            text += f"，败诉{ctx.token(key, 'lost')}件，败诉率{ctx.token(key, 'loss_rate')}"
        else:
            text += "，无败诉案件"
    if area.value("heard"):
        text += f"；行政机关负责人出庭应诉率{ctx.token(key, 'head_appearance_rate')}"
    if area.value("answered"):
        text += f"；按期答复（答辩）率{ctx.token(key, 'on_time_rate')}"
    return text + "。"


def _money(amount: Decimal) -> str:
    if amount >= 10000:
        return f"{(Decimal(amount) / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}万元"
    return f"{Decimal(amount).quantize(Decimal('0.01'))}元"


def _generic(ctx: Context, key: str) -> str:
    """Write an area the composer has no own words for: its headline figures, or that nothing
    happened."""
    area = ctx.area(key)
    shown = [area.figures[k] for k in area.headline if area.figures[k].value is not None]
    if not any(f.value for f in shown):
        return f"全年未发生{area.name}案件。"
    return (
        f"{area.name}方面，"
        + "，".join(
            f"{f.label}{ctx.token(key, f.key)}{'' if f.unit == '%' else f.unit}"
            for f in shown
            if f.value
        )  # fmt: skip
        + "。"
    )


def compose_study(ctx: Context) -> str:
    parts = []
    for kind, verb in (
        ("集体学法", "组织班子集体学法"),
        ("中心组学法", "开展党委理论学习中心组学法"),
    ):
        n, sessions, items = _kind(ctx, kind)
        if n:
            parts.append(
                f"{verb}{sessions}次{ctx.change('records', f'{kind}.sessions')}，"
                f"学习{_named(items, n, lambda i: studied(i.title), '次')}。"
            )
    n, sessions, items = _kind(ctx, "法治培训")
    if n:
        people = ctx.token("records", "法治培训.participants")
        parts.append(
            f"举办法治培训{sessions}场次、培训干部{people}人次"
            f"{ctx.change('records', '法治培训.participants')}，如{_named(items, n, _record, '场次')}。"
        )
    else:
        parts.append("全年未举办法治培训。")
    if not any(p.startswith(("组织班子", "开展党委")) for p in parts):
        parts.insert(0, "全年未组织班子集体学法。")
    return measures(parts)


def compose_publicity(ctx: Context) -> str:
    parts = []
    n, sessions, items = _kind(ctx, "普法活动")
    if n:
        parts.append(
            f"开展普法宣传活动{sessions}场次{ctx.change('records', '普法活动.sessions')}，"
            f"覆盖群众{ctx.token('records', '普法活动.participants')}人次，"
            f"发放宣传资料{ctx.token('records', '普法活动.materials')}份，"
            f"如{_named(items, n, _record, '场次')}。"
        )
    else:
        parts.append("全年未开展普法宣传活动。")
    n, sessions, items = _kind(ctx, "法律六进")
    if n:
        parts.append(
            f"推进“法律六进”，开展进村（社区）、进学校等活动{sessions}场次，"
            f"如{_named(items, n, _record, '场次')}。"
        )
    n, sessions, _items = _kind(ctx, "法律咨询")
    if n:
        parts.append(
            f"组织公共法律服务和法律咨询{sessions}场次，"
            f"解答群众咨询{ctx.token('records', '法律咨询.participants')}人次。"
        )
    n, sessions, items = _kind(ctx, "民主法治示范村创建")
    if n:
        parts.append(
            f"开展民主法治示范村（社区）创建{sessions}次，如{_named(items, n, _record, '次')}。"
        )
    return measures(parts)


def compose_rectification(ctx: Context) -> str:
    from tasks.selectors import problems_with_state

    problems = problems_with_state(ctx.year - 1, as_of=ctx.as_of)
    if not problems:
        return f"{ctx.year - 1}年度未列出需要整改的问题。"
    lines = []
    closed = sum(1 for p in problems if p["state"] == "已整改销号")
    day = f"{ctx.as_of.year}年{cn_day(ctx.as_of)}"
    done = f"已整改销号{closed}个" if closed else "尚无整改销号的问题"
    lines.append(f"对{ctx.year - 1}年度查找出的{len(problems)}个问题逐项整改，截至{day}{done}。")
    for i, p in enumerate(problems, start=1):
        text = f"{i}.{p['title']}（{p['source_label']}）：{p['state']}"
        if p["task_count"] > 1:
            done = f"已销号{p['closed']}项" if p["closed"] else "均未销号"
            text += f"（整改任务{p['task_count']}项，{done}）"
        lines.append(text + "。")
    return "\n".join(lines)


# --- 二、三、四、五 --------------------------------------------------------------------------


def compose_problems(ctx: Context) -> str:
    from tasks.selectors import problems_with_state

    problems = problems_with_state(ctx.year, as_of=ctx.as_of)
    if not problems:
        return GAP.format(f"{ctx.year}年度存在的不足和原因（问题清单中尚未登记本年度问题）")
    lines = []
    for i, p in enumerate(problems, start=1):
        detail = p["detail"].strip()
        if detail and not detail.endswith("。"):
            detail += "。"
        lines.append(f"（{_cn(i)}）{p['title']}。{detail}（问题来源：{p['source_label']}）")
    return "\n".join(lines)


def _cn(n: int) -> str:
    digits = "一二三四五六七八九十"
    if n <= 10:
        return digits[n - 1]
    return "十" + digits[n - 11] if n < 20 else str(n)


# How a leader's part in a kind of work is written, in the order a report lists them.
_LEADER_ACTS = (
    (("专题会议", "主持"), "主持召开法治建设专题会议{n}次"),
    (("中心组学法", "主持"), "主持党委理论学习中心组学法{n}次"),
    (("集体学法", "主持"), "主持政府班子集体学法{n}次"),
    (("法治培训", "讲授"), "为干部讲授法治课{n}次"),
)


def compose_first_responsible(ctx: Context) -> str:
    led = ctx.area("records").items.get(LEADER_ITEMS, ())
    if not led:
        return GAP.format(
            "党政主要负责人主持专题会议、带头学法、述法等履职情况（工作记录中尚未填写主持或参加的领导）"
        )
    by_leader: dict[str, list[Item]] = {}
    for item in led:
        by_leader.setdefault(item.leader, []).append(item)
    sentences = []
    for leader, items in by_leader.items():
        counts: dict[tuple[str, str], list[Item]] = {}
        for item in items:
            counts.setdefault((item.kind, item.part), []).append(item)
        acts = []
        for key, phrase in _LEADER_ACTS:
            if key in counts:
                acts.append(phrase.format(n=len(counts.pop(key))))
                if key == ("专题会议", "主持"):
                    first = next(i for i in items if (i.kind, i.part) == key)
                    acts[-1] += f"（如{cn_day(first.on)}{quoted(first.title)}）"
        reported = counts.pop(("述法", "述法"), [])
        for (kind, part), rows in counts.items():
            acts.append(f"{part}{kind}{len(rows)}次")
        acts += [i.title for i in reported]
        sentences.append(f"{leader}{'，'.join(acts)}。")
    return "党政主要负责人履行推进法治建设第一责任人职责。" + "".join(sentences)


def compose_plans(ctx: Context) -> str:
    from tasks.selectors import plans_for_year

    plans = plans_for_year(ctx.year + 1, as_of=ctx.as_of)
    if not plans:
        return GAP.format(f"{ctx.year + 1}年度推进法治政府建设的主要安排")
    lines = []
    for i, p in enumerate(plans, start=1):
        due = f"，{p['due_on'].year}年{cn_day(p['due_on'])}前完成" if p["due_on"] else "，长期坚持"
        measures_text = p["measures"].rstrip("。")
        lines.append(
            f"（{_cn(i)}）针对“{p['problem']}”。{measures_text}（责任单位：{p['unit']}{due}）。"
        )
    return "\n".join(lines)


def compose_other(ctx: Context) -> str:
    return "无其他需要报告的情况。"


def compose_oversight(ctx: Context) -> str:
    return GAP.format("强化对行政权力制约和监督的主要举措（系统中无此类记录）")


def compose_organisation(ctx: Context) -> str:
    n, sessions, items = _kind(ctx, "专题会议")
    if n:
        return (
            f"落实党政主要负责人履行推进法治建设第一责任人职责规定，召开法治建设专题会议{sessions}次，"
            f"如{_named(items, n, _record, '次')}。"
        )
    return GAP.format("组织保障和落实机制的主要举措（全年无专题会议记录）")


def compose_suggestions(ctx: Context) -> str:
    return GAP.format(f"对确保{ctx.year + 1}年基本建成法治政府的意见建议")


COMPOSERS: dict[str, Callable[[Context], str]] = {
    name.removeprefix("compose_"): fn
    for name, fn in globals().items()
    if name.startswith("compose_") and callable(fn)
}


def compose(name: str, ctx: Context) -> str:
    """Return the text composer `name` writes now (tokens in it); "" for an unknown name."""
    composer = COMPOSERS.get(name)
    return composer(ctx) if composer else ""

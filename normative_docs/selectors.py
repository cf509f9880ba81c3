"""Figures of normative documents, legal reviews and major decisions for the dashboard and report.

Other apps read the `normative_docs` app only through this module. `normative_figures` counts the
whole township (no filtering by user) for a period: `first_year`, or `first_year` to
`last_year` inclusive (e.g. 2016–2020, for which the seed report says 35 documents, 17 reviews
and 15 opinions). With `as_of` (a date in Asia/Shanghai) a report can be written before the
period ends: only what happened on or before `as_of` counts.

What counts where:
- A document belongs to the period of its 印发日期 (`published_on`); withdrawn ones never count.
- A review belongs to the period of its 送审日期; an opinion to its review's period.
- A major decision belongs to the period of its collective discussion (`meeting_on`).
- A clean-up's outcomes belong to the period in which the campaign finished.
- "Past validity still marked valid" is counted on the last day of the period (or `as_of`) over
  all documents, whenever issued: issued, past `expires_on`, not ended by then. It must be 0.

Shapes:
- Counts are `int`s. Rates are percentages as `Decimal` with one place, rounded half up, or
  `None` when the denominator is 0 (the page prints "—", never "100%"). See `percent`.
- Breakdowns are dicts keyed by the printed label in the list's order, zeros included.
- Changes against the previous period (`*_change`) are `int` differences (this − previous), or
  `None` when the previous period has no record at all in the township's data. The previous
  period has the same number of years, just before; with `as_of` inside the period it is cut
  at the same day of the year (2020 to 30 November against 2019 to 30 November).
- `FIGURE_LABELS` gives each figure's Chinese name and unit, so the report can insert figures
  by key: `getattr(figures, key)` or `figures.as_dict()[key]`.

Query budget: `NORMATIVE_FIGURES_QUERIES` whatever the number of records (one fewer with
`calendar=` given).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from miaoba.figures import (
    AMOUNT,
    ITEM_LIMIT,
    AreaFigures,
    Figure,
    Item,
    Series,
    choice_bars,
    items_wanted,
    percent,
    rate,
)
from miaoba.periods import FigureFilter, Period
from miaoba.workcalendar import WorkCalendar
from normative_docs import deadlines
from normative_docs.clocks import filing_due, review_deadline
from normative_docs.models import (
    PASSING,
    CleanupItem,
    Decision,
    Document,
    Issuer,
    LegalReview,
    ReviewOpinion,
)

# calendar, documents (counts), documents (filing dates), clean-up, reviews with opinions,
# decisions
NORMATIVE_FIGURES_QUERIES = 6


@dataclass(frozen=True)
class FigureLabel:
    """A figure's Chinese name and unit as the report prints them: 制发规范性文件, 件."""

    label: str
    unit: str


FIGURE_LABELS: dict[str, FigureLabel] = {
    "issued": FigureLabel("印发规范性文件", "件"),
    "issued_by_issuer": FigureLabel("按制定机关分", "件"),
    "reviewed_before_discussion": FigureLabel("经合法性审核（讨论前）件数", "件"),
    "legality_review_rate": FigureLabel("合法性审核率", "%"),
    "discussed": FigureLabel("经集体讨论决定件数", "件"),
    "collective_discussion_rate": FigureLabel("集体讨论率", "%"),
    "unified": FigureLabel("统一登记、统一编号、统一印发件数", "件"),
    "unified_rate": FigureLabel("三统一率", "%"),
    "filed": FigureLabel("报备件数", "件"),
    "filing_rate": FigureLabel("报备率", "%"),
    "filed_on_time": FigureLabel("按时报备件数", "件"),
    "timely_filing_rate": FigureLabel("报备及时率", "%"),
    "past_validity_still_valid": FigureLabel("超过有效期仍标为有效的文件", "件"),
    "cleanup_covered": FigureLabel("清理文件数", "件"),
    "cleanup_outcomes": FigureLabel("清理结果", "件"),
    "reviews": FigureLabel("法律顾问审查件数", "件"),
    "reviews_by_kind": FigureLabel("按审查类别分", "件"),
    "reviews_completed": FigureLabel("已审结件数", "件"),
    "opinions_given": FigureLabel("提出建议意见", "条"),
    "opinions_adopted": FigureLabel("建议意见被采纳", "条"),
    "opinion_adoption_rate": FigureLabel("建议意见采纳率", "%"),
    "contract_reviews": FigureLabel("送审合同件数", "件"),
    "contract_reviews_completed": FigureLabel("已审结合同件数", "件"),
    "contract_review_rate": FigureLabel("合同审查率（已审结÷送审）", "%"),
    "decisions": FigureLabel("重大行政决策", "项"),
    "decisions_complete": FigureLabel("履行全部必经程序的重大行政决策", "项"),
    "decisions_complete_rate": FigureLabel("重大决策程序完备率", "%"),
    "decisions_legality_reviewed": FigureLabel("经合法性审查的重大行政决策", "项"),
    "decision_legality_rate": FigureLabel("重大决策合法性审查覆盖率", "%"),
    "issued_previous": FigureLabel("上期印发规范性文件", "件"),
    "issued_change": FigureLabel("印发规范性文件较上期增减", "件"),
    "reviews_previous": FigureLabel("上期法律顾问审查件数", "件"),
    "reviews_change": FigureLabel("法律顾问审查件数较上期增减", "件"),
    "opinions_previous": FigureLabel("上期建议意见", "条"),
    "opinions_change": FigureLabel("建议意见较上期增减", "条"),
    "decisions_previous": FigureLabel("上期重大行政决策", "项"),
    "decisions_change": FigureLabel("重大行政决策较上期增减", "项"),
}


# --- Conditions shared by the figures and the lists' figure filters -------------------------
# Each is judged on `end`, the last day of the period (or its as-of date); see miaoba.periods.


def document_conditions(end: dt.date) -> dict[str, Q]:
    """Return the document figures' conditions by name (applied to documents of the period).

    issued (印发, not withdrawn), reviewed_first (合法性审核 passed by `end` and on or before the
    collective discussion), discussed (集体讨论 by `end`), unified (三统一: 发文字号 and 登记号),
    filed (报备 by `end`), past_validity (over all documents, whenever issued: issued by `end`,
    past 有效期, not ended by then; must be 0).
    """
    issued = ~Q(status=Document.Status.WITHDRAWN) & Q(published_on__isnull=False)
    return {
        "issued": issued,
        "reviewed_first": issued
        & Q(
            reviewed_on__isnull=False,
            meeting_on__isnull=False,
            reviewed_on__lte=end,
            review_conclusion__in=PASSING,
        )
        & Q(reviewed_on__lte=F("meeting_on")),
        "discussed": issued & Q(meeting_on__isnull=False, meeting_on__lte=end),
        "unified": issued & ~Q(number="") & ~Q(register_number=""),
        "filed": issued & Q(filed_on__isnull=False, filed_on__lte=end),
        "past_validity": issued
        & Q(published_on__lte=end, expires_on__lt=end)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=end))
        & ~Q(status=Document.Status.NOT_NORMATIVE),
    }


def _filed_on_time_ids(documents, end: dt.date, calendar: WorkCalendar) -> set[int]:
    """Return the ids of `documents` filed by `end` within the filing period after publication
    (30 days, check; settings; 《民法典》第二百零三条 shift). One query."""
    rows = documents.filter(document_conditions(end)["filed"]).values_list(
        "pk", "published_on", "filed_on"
    )
    return {pk for pk, published, filed in rows if filed <= filing_due(published, calendar).date}


def review_conditions(end: dt.date) -> dict[str, Q]:
    """Return the review figures' conditions by name: completed (审结 by `end`), contract
    (合同), contract_done (合同, 审结 by `end`)."""
    completed = Q(completed_on__isnull=False, completed_on__lte=end)
    contract = Q(kind=LegalReview.Kind.CONTRACT)
    return {"completed": completed, "contract": contract, "contract_done": contract & completed}


def decision_conditions(end: dt.date) -> dict[str, Q]:
    """Return the decision figures' conditions: decided (集体讨论决定 by `end`, not in progress),
    legality (decided, with a legality review passed on or before the meeting)."""
    decided = ~Q(status=Decision.Status.IN_PROGRESS) & Q(
        meeting_on__isnull=False, meeting_on__lte=end
    )
    legality = LegalReview.objects.filter(
        decision=OuterRef("pk"),
        conclusion__in=PASSING,
        completed_on__isnull=False,
        completed_on__lte=OuterRef("meeting_on"),
    )
    return {"decided": decided, "legality": decided & Exists(legality)}


def _decision_complete(p_from, p_to, exp_req, exp_on, risk_req, risk_on, has_review) -> bool:
    """Whether a decision took every required step (《重大行政决策程序暂行条例》): a comment
    period of at least 30 days, the expert and risk steps done or marked not required, and a
    legality review passed on or before the meeting."""
    participation = p_from is not None and (p_to - p_from).days + 1 >= deadlines.COMMENT_MIN_DAYS
    return bool(
        participation
        and (exp_on is not None or not exp_req)
        and (risk_on is not None or not risk_req)
        and has_review
    )


_DECISION_STEPS = (
    "participation_from",
    "participation_to",
    "expert_required",
    "expert_on",
    "risk_required",
    "risk_on",
)


def _complete_decision_ids(decisions, end: dt.date) -> set[int]:
    """Return the ids of `decisions` decided by `end` with every required step. One query."""
    legality = LegalReview.objects.filter(
        decision=OuterRef("pk"),
        conclusion__in=PASSING,
        completed_on__isnull=False,
        completed_on__lte=OuterRef("meeting_on"),
    )
    rows = (
        decisions.filter(decision_conditions(end)["decided"])
        .annotate(has_review=Exists(legality))
        .values_list("pk", *_DECISION_STEPS, "has_review")
    )
    return {row[0] for row in rows if _decision_complete(*row[1:])}


@dataclass(frozen=True)
class NormativeFigures:
    """Figures of documents, reviews and decisions for a period; keys in `FIGURE_LABELS`.

    - `legality_review_rate` = documents whose legality review passed on or before the
      collective discussion / issued (合法性审核率).
    - `collective_discussion_rate` = documents with a collective discussion / issued.
    - `unified_rate` = documents registered and numbered in the unified register (with both a
      发文字号 and a 登记号) / issued (三统一率).
    - `filing_rate` = filed by the end of the period / issued; `timely_filing_rate` = filed
      within 30 days of publication (check; settings; 《民法典》第二百零三条 shift) / issued
      (报备及时率 over the documents that had to be filed).
    - `contract_review_rate` = contract reviews completed / contracts sent for review: the
      township keeps no register of contracts signed, so this is the share of contracts sent
      that were reviewed, not of all contracts.
    - `decisions_complete_rate` = decisions taken with every required step (comment period of
      at least 30 days, expert and risk steps done or marked not required with a reason, a
      legality review passed on or before the meeting) / decisions taken;
      `decision_legality_rate` = decisions with such a legality review / decisions taken.
    """

    issued: int
    issued_by_issuer: dict[str, int]
    reviewed_before_discussion: int
    legality_review_rate: Decimal | None
    discussed: int
    collective_discussion_rate: Decimal | None
    unified: int
    unified_rate: Decimal | None
    filed: int
    filing_rate: Decimal | None
    filed_on_time: int
    timely_filing_rate: Decimal | None
    past_validity_still_valid: int
    cleanup_covered: int
    cleanup_outcomes: dict[str, int]
    reviews: int
    reviews_by_kind: dict[str, int]
    reviews_completed: int
    opinions_given: int
    opinions_adopted: int
    opinion_adoption_rate: Decimal | None
    contract_reviews: int
    contract_reviews_completed: int
    contract_review_rate: Decimal | None
    decisions: int
    decisions_complete: int
    decisions_complete_rate: Decimal | None
    decisions_legality_reviewed: int
    decision_legality_rate: Decimal | None
    issued_previous: int
    issued_change: int | None
    reviews_previous: int
    reviews_change: int | None
    opinions_previous: int
    opinions_change: int | None
    decisions_previous: int
    decisions_change: int | None

    def as_dict(self) -> dict[str, object]:
        """Return the figures keyed by their stable English names."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def period_bounds(
    first_year: int, last_year: int | None = None, *, as_of: dt.date | None = None
) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """Return ((start, end), (previous start, previous end)) of a period and the one before.

    Raises ValueError when `last_year` is before `first_year`.
    """
    last_year = last_year or first_year
    if last_year < first_year:
        raise ValueError("last_year is before first_year")
    span = last_year - first_year + 1
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    if as_of is not None and as_of < end:
        end = as_of
    return (start, end), (_shift_years(start, span), _shift_years(end, span))


def _change(current: int, previous: int, any_before: bool) -> int | None:
    return current - previous if any_before else None


def _document_counts(
    start: dt.date, end: dt.date, p_start: dt.date, p_end: dt.date, calendar: WorkCalendar
) -> dict:
    """Count the documents of the period and the one before (2 queries)."""
    in_period = Q(published_on__range=(start, end))
    in_prev = Q(published_on__range=(p_start, p_end))
    not_withdrawn = ~Q(status=Document.Status.WITHDRAWN)
    c = document_conditions(end)
    docs = (
        Document.objects.active()
        .filter(not_withdrawn)
        .aggregate(
            issued=Count("id", filter=in_period),
            issued_previous=Count("id", filter=in_prev),
            any_before=Count("id", filter=Q(published_on__lt=start)),
            reviewed_before_discussion=Count("id", filter=in_period & c["reviewed_first"]),
            discussed=Count("id", filter=in_period & c["discussed"]),
            unified=Count("id", filter=in_period & c["unified"]),
            filed=Count("id", filter=in_period & c["filed"]),
            past_validity_still_valid=Count("id", filter=c["past_validity"]),
            **{
                f"issuer_{i}": Count("id", filter=in_period & Q(issuer=value))
                for i, value in enumerate(Issuer.values)
            },
        )
    )
    filed_on_time = len(
        _filed_on_time_ids(Document.objects.active().filter(in_period), end, calendar)
    )

    return {**docs, "filed_on_time": filed_on_time}


def _cleanup_counts(start: dt.date, end: dt.date) -> dict:
    """Count the clean-up outcomes of campaigns finished in the period (1 query)."""
    outcome_counts = dict(
        CleanupItem.objects.filter(campaign__finished_on__range=(start, end))
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    cleanup_outcomes = {
        label: outcome_counts.get(value, 0) for value, label in CleanupItem.Outcome.choices
    }

    return {"outcome_counts": outcome_counts, "cleanup_outcomes": cleanup_outcomes}


def _review_counts(start: dt.date, end: dt.date, p_start: dt.date, p_end: dt.date) -> dict:
    """Count the reviews and opinions of the period and the one before (1 query: the reviews
    joined to their opinions, reviews counted once each, opinions one row each)."""
    r_period = Q(submitted_on__range=(start, end))
    rc = review_conditions(end)

    def reviews(condition: Q) -> Count:
        return Count("id", filter=condition, distinct=True)

    o_given = r_period & Q(completed_on__isnull=False, completed_on__lte=end)
    row = LegalReview.objects.order_by().aggregate(
        total=reviews(r_period),
        previous=reviews(Q(submitted_on__range=(p_start, p_end))),
        any_before=reviews(Q(submitted_on__lt=start)),
        completed=reviews(r_period & rc["completed"]),
        contracts=reviews(r_period & rc["contract"]),
        contracts_done=reviews(r_period & rc["contract_done"]),
        **{
            f"kind_{i}": reviews(r_period & Q(kind=value))
            for i, value in enumerate(LegalReview.Kind.values)
        },
        opinions_given=Count("opinions", filter=o_given),
        opinions_adopted=Count("opinions", filter=o_given & Q(opinions__adopted=True)),
        opinions_previous=Count(
            "opinions",
            filter=Q(
                submitted_on__range=(p_start, p_end),
                completed_on__isnull=False,
                completed_on__lte=p_end,
            ),
        ),
    )
    opinions = {key: row.pop(f"opinions_{key}") for key in ("given", "adopted", "previous")}
    return {"reviews": row, "opinions": opinions}


def _decision_counts(start: dt.date, end: dt.date, p_start: dt.date, p_end: dt.date) -> dict:
    """Count the decisions of the period and the one before (1 query)."""
    legality = LegalReview.objects.filter(
        decision=OuterRef("pk"),
        conclusion__in=PASSING,
        completed_on__isnull=False,
        completed_on__lte=OuterRef("meeting_on"),
    )
    decided = (
        Decision.objects.exclude(status=Decision.Status.IN_PROGRESS)
        .filter(meeting_on__isnull=False, meeting_on__lte=end)
        .filter(meeting_on__gte=p_start)
        .annotate(has_review=Exists(legality))
        .values_list(
            "meeting_on",
            "participation_from",
            "participation_to",
            "expert_required",
            "expert_on",
            "risk_required",
            "risk_on",
            "has_review",
        )
    )
    decisions = complete = legality_ok = decisions_previous = 0
    for meeting, p_from, p_to, exp_req, exp_on, risk_req, risk_on, has_review in decided:
        if meeting < start:
            decisions_previous += meeting <= p_end
            continue
        decisions += 1
        legality_ok += has_review
        complete += _decision_complete(p_from, p_to, exp_req, exp_on, risk_req, risk_on, has_review)

    return {
        "decisions": decisions,
        "complete": complete,
        "legality_ok": legality_ok,
        "decisions_previous": decisions_previous,
    }


def normative_figures(
    first_year: int,
    last_year: int | None = None,
    *,
    as_of: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> NormativeFigures:
    """Return the figures of documents, reviews and decisions for a year or span of years.

    See the module docstring for what counts where and `NormativeFigures` for each rate.
    Costs `NORMATIVE_FIGURES_QUERIES` queries whatever the number of records.
    """
    (start, end), (p_start, p_end) = period_bounds(first_year, last_year, as_of=as_of)
    calendar = calendar or WorkCalendar.load()
    docs = _document_counts(start, end, p_start, p_end, calendar)
    filed_on_time = docs["filed_on_time"]
    cleanup = _cleanup_counts(start, end)
    outcome_counts, cleanup_outcomes = cleanup["outcome_counts"], cleanup["cleanup_outcomes"]
    counted = _review_counts(start, end, p_start, p_end)
    reviews, opinions = counted["reviews"], counted["opinions"]
    counted = _decision_counts(start, end, p_start, p_end)
    decisions, complete = counted["decisions"], counted["complete"]
    legality_ok, decisions_previous = counted["legality_ok"], counted["decisions_previous"]

    issued = docs["issued"]
    filed = docs["filed"]
    return NormativeFigures(
        issued=issued,
        issued_by_issuer={
            label: docs[f"issuer_{i}"] for i, (_value, label) in enumerate(Issuer.choices)
        },
        reviewed_before_discussion=docs["reviewed_before_discussion"],
        legality_review_rate=percent(docs["reviewed_before_discussion"], issued),
        discussed=docs["discussed"],
        collective_discussion_rate=percent(docs["discussed"], issued),
        unified=docs["unified"],
        unified_rate=percent(docs["unified"], issued),
        filed=filed,
        filing_rate=percent(filed, issued),
        filed_on_time=filed_on_time,
        timely_filing_rate=percent(filed_on_time, issued),
        past_validity_still_valid=docs["past_validity_still_valid"],
        cleanup_covered=sum(outcome_counts.values()),
        cleanup_outcomes=cleanup_outcomes,
        reviews=reviews["total"],
        reviews_by_kind={
            label: reviews[f"kind_{i}"]
            for i, (_value, label) in enumerate(LegalReview.Kind.choices)
        },
        reviews_completed=reviews["completed"],
        opinions_given=opinions["given"],
        opinions_adopted=opinions["adopted"],
        opinion_adoption_rate=percent(opinions["adopted"], opinions["given"]),
        contract_reviews=reviews["contracts"],
        contract_reviews_completed=reviews["contracts_done"],
        contract_review_rate=percent(reviews["contracts_done"], reviews["contracts"]),
        decisions=decisions,
        decisions_complete=complete,
        decisions_complete_rate=percent(complete, decisions),
        decisions_legality_reviewed=legality_ok,
        decision_legality_rate=percent(legality_ok, decisions),
        issued_previous=docs["issued_previous"],
        issued_change=_change(issued, docs["issued_previous"], docs["any_before"] > 0),
        reviews_previous=reviews["previous"],
        reviews_change=_change(reviews["total"], reviews["previous"], reviews["any_before"] > 0),
        opinions_previous=opinions["previous"],
        opinions_change=_change(opinions["given"], opinions["previous"], reviews["any_before"] > 0),
        decisions_previous=decisions_previous,
        decisions_change=_change(decisions, decisions_previous, decisions_previous > 0),
    )


def open_deadlines_for(user, *, today: dt.date | None = None, within_days: int = 7) -> list[dict]:
    """Return the user's overdue and due-soon items for the home page (我的工作台).

    Items are plain dicts: area (规范性文件 / 法律顾问审查), title, url, due (date),
    days_left (int, negative when overdue), light ("red"/"amber"), remaining (剩余3天 /
    超期5天). They are:
    - 报备 due: published, unfiled documents whose filing date is within `within_days`;
    - 有效期: documents in force whose validity ends within 90 days (check; settings), or
      has ended while they are still marked valid;
    - 审查期限: open reviews due within `within_days` (15 working days, check).
    Documents are those the user may see (`visible_to`), reviews those sent to or by them.
    Three queries (calendar, documents, reviews), whatever the number of records.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=within_days)
    calendar = WorkCalendar.load()
    items: list[dict] = []

    def add(area: str, title: str, url: str, due: dt.date, light: str) -> None:
        left = (due - today).days
        if left > 0:
            remaining = f"剩余{left}天"
        elif left == 0:
            remaining = "今日到期"
        else:
            remaining = f"超期{-left}天"
        items.append(
            {
                "area": area,
                "title": title,
                "url": url,
                "due": due,
                "days_left": left,
                "light": light,
                "remaining": remaining,
            }
        )

    if user.has_perm("normative_docs.view_document"):
        warn = deadlines.expiry_warning_days()
        documents = (
            Document.objects.active()
            .visible_to(user)
            .filter(
                Q(
                    status=Document.Status.PUBLISHED,
                    filed_on__isnull=True,
                    published_on__lte=horizon - dt.timedelta(days=deadlines.filing_days()),
                )
                | Q(
                    status__in=Document.IN_FORCE,
                    expires_on__isnull=False,
                    expires_on__lte=today + dt.timedelta(days=warn),
                )
            )
        )
        for doc in documents.only(
            "pk", "title", "number", "status", "published_on", "filed_on", "expires_on"
        ):
            url = reverse("normative_docs:document_detail", args=[doc.pk])
            if doc.status == Document.Status.PUBLISHED and doc.filed_on is None:
                due = filing_due(doc.published_on, calendar).date
                if due <= horizon:
                    add("规范性文件", f"{doc.label} 报备期限", url, due,
                        "red" if due < today else "amber")  # fmt: skip
            if doc.expires_on and doc.expires_on <= today + dt.timedelta(days=warn):
                add("规范性文件", f"{doc.label} 有效期届满", url, doc.expires_on,
                    "red" if doc.expires_on < today else "amber")  # fmt: skip
    if user.has_perm("normative_docs.view_legalreview"):
        reviews = LegalReview.objects.visible_to(user).filter(
            completed_on__isnull=True,
            submitted_on__lte=horizon - dt.timedelta(days=deadlines.review_max_working_days()),
        )
        for review in reviews.only("pk", "title", "kind", "submitted_on", "completed_on"):
            deadline = review_deadline(review, calendar)
            if deadline.due.date <= horizon:
                add(
                    "法律顾问审查",
                    f"{review.kind}：{review.title} 审查期限",
                    reverse("normative_docs:review_detail", args=[review.pk]),
                    deadline.due.date,
                    "red" if deadline.due.date < today else "amber",
                )
    items.sort(key=lambda item: item["due"])
    return items


# --- The three areas of the dashboard and the report (see miaoba.figures, reports.areas) ----


def _kept(name: str, conditions) -> FigureFilter:
    return FigureFilter(
        _FILTER_LABELS[name], lambda qs, cut: qs.filter(conditions(cut or _FAR)[name])
    )


_FAR = dt.date(9999, 12, 31)  # no cut given: whatever has been recorded
_FILTER_LABELS = {
    "issued": "已印发",
    "reviewed_first": "经合法性审核（讨论前）",
    "discussed": "经集体讨论决定",
    "unified": "三统一（登记、编号、印发）",
    "filed": "已报备",
    "past_validity": "超过有效期仍标为有效",
    "completed": "已审结",
    "contract": "合同审查",
    "contract_done": "合同审查（已审结）",
    "decided": "已集体讨论决定",
    "legality": "经合法性审查的决策",
}

DOCUMENT_FILTERS: dict[str, FigureFilter] = {
    "issued": _kept("issued", document_conditions),
    "reviewed_first": _kept("reviewed_first", document_conditions),
    "discussed": _kept("discussed", document_conditions),
    "unified": _kept("unified", document_conditions),
    "filed": _kept("filed", document_conditions),
    "filed_on_time": FigureFilter(
        "按时报备",
        lambda qs, cut: qs.filter(pk__in=_filed_on_time_ids(qs, cut or _FAR, WorkCalendar.load())),
    ),
    "past_validity": _kept("past_validity", document_conditions),
}

REVIEW_FILTERS: dict[str, FigureFilter] = {
    "completed": _kept("completed", review_conditions),
    "contract": _kept("contract", review_conditions),
    "contract_done": _kept("contract_done", review_conditions),
    "opinions": FigureFilter(
        "提出建议意见的审查（已审结）",
        lambda qs, cut: qs.filter(review_conditions(cut or _FAR)["completed"]),
        "条",
        lambda qs: ReviewOpinion.objects.filter(review__in=qs.values("pk")).count(),
    ),
    "adopted": FigureFilter(
        "建议意见被采纳（已审结）",
        lambda qs, cut: qs.filter(review_conditions(cut or _FAR)["completed"]),
        "条",
        lambda qs: ReviewOpinion.objects.filter(review__in=qs.values("pk"), adopted=True).count(),
    ),
}

DECISION_FILTERS: dict[str, FigureFilter] = {
    "decided": _kept("decided", decision_conditions),
    "complete": FigureFilter(
        "履行全部必经程序",
        lambda qs, cut: qs.filter(pk__in=_complete_decision_ids(qs, cut or _FAR)),
        "项",
    ),
    "legality": _kept("legality", decision_conditions),
}


def _figures(
    f: dict, url: str, period: Period, rows: tuple[tuple[str, str, str | None], ...]
) -> dict[str, Figure]:
    """Return count figures (key, name in FIGURE_LABELS, list condition) linked to `url`."""
    out = {}
    for key, field, condition in rows:
        label = FIGURE_LABELS[field]
        out[key] = Figure(
            key, label.label, label.unit, f[field], url + period.query(figure=condition)
        )
    return out


def document_report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar: WorkCalendar | None
) -> AreaFigures:
    """Return the normative-document area (规范性文件) of a period as plain data.

    Documents count by their 印发日期; each figure links to the register kept to the period
    and its condition (`DOCUMENT_FILTERS`); "past validity" is judged over the whole register
    on the period's last day. Items: the documents issued, with 发文字号 and title, oldest first.
    Four queries (calendar when not given, documents, filing dates, items).
    """
    period = Period(first, last, as_of)
    (start, end), (p_start, p_end) = period_bounds(first, last, as_of=as_of)
    docs = _document_counts(start, end, p_start, p_end, calendar or WorkCalendar.load())
    f = {
        **docs,
        "issued_by_issuer": {
            label: docs[f"issuer_{i}"] for i, (_value, label) in enumerate(Issuer.choices)
        },
    }
    url = reverse("normative_docs:document_list")
    figures = _figures(
        f,
        url,
        period,
        (
            ("issued", "issued", "issued"),
            ("reviewed_before_discussion", "reviewed_before_discussion", "reviewed_first"),
            ("discussed", "discussed", "discussed"),
            ("unified", "unified", "unified"),
            ("filed", "filed", "filed"),
            ("filed_on_time", "filed_on_time", "filed_on_time"),
        ),
    )
    figures["legality_review_rate"] = rate(
        "legality_review_rate", "合法性审核率", ("reviewed_before_discussion", "issued"), figures
    )
    figures["collective_discussion_rate"] = rate(
        "collective_discussion_rate", "集体讨论率", ("discussed", "issued"), figures
    )
    figures["unified_rate"] = rate("unified_rate", "三统一率", ("unified", "issued"), figures)
    figures["filing_rate"] = rate("filing_rate", "报备率", ("filed", "issued"), figures)
    figures["timely_filing_rate"] = rate(
        "timely_filing_rate", "报备及时率", ("filed_on_time", "issued"), figures
    )
    label = FIGURE_LABELS["past_validity_still_valid"]
    figures["past_validity_still_valid"] = Figure(
        "past_validity_still_valid",
        label.label,
        label.unit,
        f["past_validity_still_valid"],
        f"{url}?figure=past_validity&as_of={period.end.isoformat()}",
    )
    issued = (
        Document.objects.active()
        .filter(document_conditions(period.end)["issued"])
        .filter(published_on__range=(period.start, period.end))
        .order_by("published_on", "pk")
        .values_list("pk", "number", "title", "published_on")[:ITEM_LIMIT]
    )
    if not items_wanted():
        issued = []  # the page shows no items: no query (miaoba.figures.figures_only)
    items = tuple(
        Item(title, published, number, url=reverse("normative_docs:document_detail", args=[pk]))
        for pk, number, title, published in issued
    )
    series = {
        "by_issuer": Series(
            "by_issuer",
            "规范性文件按制定机关",
            "件",
            choice_bars(f["issued_by_issuer"], Issuer, url, period, "issuer", figure="issued"),
        )
    }
    return AreaFigures(
        area="documents",
        name="规范性文件",
        first=first,
        last=last,
        as_of=as_of,
        figures=figures,
        series=series,
        items={"issued": items},
        headline=("issued", "legality_review_rate"),
    )


def review_report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar: WorkCalendar | None
) -> AreaFigures:
    """Return the legal-advisor review area (法律顾问审查) of a period as plain data.

    Reviews count by their 送审日期, opinions by their review's (once it is completed by the
    period's end). Links: the review list kept to the period and condition (`REVIEW_FILTERS`);
    the opinion figures' list shows their total in its banner. Items: the reviews, with kind.
    Two queries (reviews with their opinions, items).
    """
    period = Period(first, last, as_of)
    (start, end), (p_start, p_end) = period_bounds(first, last, as_of=as_of)
    counted = _review_counts(start, end, p_start, p_end)
    reviews, opinions = counted["reviews"], counted["opinions"]
    f = {
        "reviews": reviews["total"],
        "reviews_completed": reviews["completed"],
        "contract_reviews": reviews["contracts"],
        "contract_reviews_completed": reviews["contracts_done"],
        "opinions_given": opinions["given"],
        "opinions_adopted": opinions["adopted"],
        "reviews_by_kind": {
            label: reviews[f"kind_{i}"]
            for i, (_value, label) in enumerate(LegalReview.Kind.choices)
        },
    }
    url = reverse("normative_docs:review_list")
    figures = _figures(
        f,
        url,
        period,
        (
            ("total", "reviews", None),
            ("completed", "reviews_completed", "completed"),
            ("contracts", "contract_reviews", "contract"),
            ("contracts_completed", "contract_reviews_completed", "contract_done"),
        ),
    )
    for key, field, condition in (
        ("opinions", "opinions_given", "opinions"),
        ("opinions_adopted", "opinions_adopted", "adopted"),
    ):
        label = FIGURE_LABELS[field]
        figures[key] = Figure(
            key,
            label.label,
            label.unit,
            f[field],
            url + period.query(figure=condition),
            AMOUNT,
        )
    figures["opinion_adoption_rate"] = rate(
        "opinion_adoption_rate", "建议意见采纳率", ("opinions_adopted", "opinions"), figures
    )
    figures["contract_review_rate"] = rate(
        "contract_review_rate", "合同审查率", ("contracts_completed", "contracts"), figures
    )
    reviews = (
        LegalReview.objects.filter(submitted_on__range=(period.start, period.end))
        .order_by("submitted_on", "pk")
        .values_list("pk", "title", "kind", "submitted_on")[:ITEM_LIMIT]
    )
    if not items_wanted():
        reviews = []  # the page shows no items: no query
    kinds = dict(LegalReview.Kind.choices)
    items = tuple(
        Item(
            title,
            submitted,
            detail=kinds.get(kind, kind),
            url=reverse("normative_docs:review_detail", args=[pk]),
        )
        for pk, title, kind, submitted in reviews
    )
    series = {
        "by_kind": Series(
            "by_kind",
            "法律顾问审查按类别",
            "件",
            choice_bars(f["reviews_by_kind"], LegalReview.Kind, url, period, "kind"),
        )
    }
    return AreaFigures(
        area="reviews",
        name="法律顾问审查",
        first=first,
        last=last,
        as_of=as_of,
        figures=figures,
        series=series,
        items={"reviews": items},
        headline=("total", "opinions"),
        charts=("by_kind",),
    )


def decision_report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar: WorkCalendar | None
) -> AreaFigures:
    """Return the major-decision area (重大行政决策) of a period as plain data.

    Decisions count by the date of their collective discussion (集体讨论决定). Links: the
    decision list kept to the period and condition (`DECISION_FILTERS`). Items: the decisions
    by name with their meeting. Two queries (decisions, items).
    """
    period = Period(first, last, as_of)
    (start, end), (p_start, p_end) = period_bounds(first, last, as_of=as_of)
    counted = _decision_counts(start, end, p_start, p_end)
    f = {
        "decisions": counted["decisions"],
        "decisions_complete": counted["complete"],
        "decisions_legality_reviewed": counted["legality_ok"],
    }
    url = reverse("normative_docs:decision_list")
    figures = _figures(
        f,
        url,
        period,
        (
            ("total", "decisions", "decided"),
            ("complete", "decisions_complete", "complete"),
            ("legality_reviewed", "decisions_legality_reviewed", "legality"),
        ),
    )
    figures["complete_rate"] = rate(
        "complete_rate", "重大决策程序完备率", ("complete", "total"), figures
    )
    figures["legality_rate"] = rate(
        "legality_rate", "重大决策合法性审查覆盖率", ("legality_reviewed", "total"), figures
    )
    decided = (
        Decision.objects.filter(decision_conditions(period.end)["decided"])
        .filter(meeting_on__gte=period.start)
        .order_by("meeting_on", "pk")
        .values_list("pk", "title", "meeting_on", "meeting_name")[:ITEM_LIMIT]
    )
    if not items_wanted():
        decided = []  # the page shows no items: no query
    items = tuple(
        Item(title, on, detail=meeting, url=reverse("normative_docs:decision_detail", args=[pk]))
        for pk, title, on, meeting in decided
    )
    return AreaFigures(
        area="decisions",
        name="重大行政决策",
        first=first,
        last=last,
        as_of=as_of,
        figures=figures,
        items={"decided": items},
        headline=("total",),
    )

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
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from miaoba.workcalendar import WorkCalendar
from normative_docs import rules
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

# calendar, documents (counts), documents (filing dates), clean-up, reviews, opinions, decisions
NORMATIVE_FIGURES_QUERIES = 7


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


def percent(numerator: int, denominator: int) -> Decimal | None:
    """Return numerator / denominator as a percentage with one decimal, rounded half up.

    `percent(2, 3)` is `Decimal("66.7")`; `percent(0, 0)` is None (printed "—").
    """
    if not denominator:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


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
    in_period = Q(published_on__range=(start, end))
    in_prev = Q(published_on__range=(p_start, p_end))
    not_withdrawn = ~Q(status=Document.Status.WITHDRAWN)
    reviewed_first = Q(
        reviewed_on__isnull=False,
        meeting_on__isnull=False,
        reviewed_on__lte=end,
        review_conclusion__in=PASSING,
    )
    docs = (
        Document.objects.active()
        .filter(not_withdrawn)
        .aggregate(
            issued=Count("id", filter=in_period),
            issued_previous=Count("id", filter=in_prev),
            any_before=Count("id", filter=Q(published_on__lt=start)),
            reviewed_before_discussion=Count(
                "id",
                filter=in_period & reviewed_first & Q(reviewed_on__lte=F("meeting_on")),
            ),
            discussed=Count(
                "id", filter=in_period & Q(meeting_on__isnull=False, meeting_on__lte=end)
            ),
            unified=Count("id", filter=in_period & ~Q(number="") & ~Q(register_number="")),
            filed=Count("id", filter=in_period & Q(filed_on__isnull=False, filed_on__lte=end)),
            past_validity_still_valid=Count(
                "id",
                filter=Q(published_on__lte=end, expires_on__lt=end)
                & (Q(ended_on__isnull=True) | Q(ended_on__gt=end))
                & ~Q(status=Document.Status.NOT_NORMATIVE),
            ),
            **{
                f"issuer_{i}": Count("id", filter=in_period & Q(issuer=value))
                for i, value in enumerate(Issuer.values)
            },
        )
    )
    filed_dates = (
        Document.objects.active()
        .filter(not_withdrawn, in_period, filed_on__isnull=False, filed_on__lte=end)
        .values_list("published_on", "filed_on")
    )
    filed_on_time = sum(
        1 for published, filed in filed_dates if filed <= filing_due(published, calendar).date
    )

    outcome_counts = dict(
        CleanupItem.objects.filter(campaign__finished_on__range=(start, end))
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    cleanup_outcomes = {
        label: outcome_counts.get(value, 0) for value, label in CleanupItem.Outcome.choices
    }

    r_period = Q(submitted_on__range=(start, end))
    r_done = Q(completed_on__isnull=False, completed_on__lte=end)
    contract = Q(kind=LegalReview.Kind.CONTRACT)
    reviews = LegalReview.objects.aggregate(
        total=Count("id", filter=r_period),
        previous=Count("id", filter=Q(submitted_on__range=(p_start, p_end))),
        any_before=Count("id", filter=Q(submitted_on__lt=start)),
        completed=Count("id", filter=r_period & r_done),
        contracts=Count("id", filter=r_period & contract),
        contracts_done=Count("id", filter=r_period & contract & r_done),
        **{
            f"kind_{i}": Count("id", filter=r_period & Q(kind=value))
            for i, value in enumerate(LegalReview.Kind.values)
        },
    )
    o_given = Q(
        review__submitted_on__range=(start, end),
        review__completed_on__isnull=False,
        review__completed_on__lte=end,
    )
    opinions = ReviewOpinion.objects.aggregate(
        given=Count("id", filter=o_given),
        adopted=Count("id", filter=o_given & Q(adopted=True)),
        previous=Count(
            "id",
            filter=Q(
                review__submitted_on__range=(p_start, p_end),
                review__completed_on__isnull=False,
                review__completed_on__lte=p_end,
            ),
        ),
    )

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
        participation = p_from is not None and (p_to - p_from).days + 1 >= rules.COMMENT_MIN_DAYS
        complete += (
            participation
            and (exp_on is not None or not exp_req)
            and (risk_on is not None or not risk_req)
            and has_review
        )

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
        warn = rules.expiry_warning_days()
        documents = (
            Document.objects.active()
            .visible_to(user)
            .filter(
                Q(
                    status=Document.Status.PUBLISHED,
                    filed_on__isnull=True,
                    published_on__lte=horizon - dt.timedelta(days=rules.filing_days()),
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
            submitted_on__lte=horizon - dt.timedelta(days=rules.review_max_working_days()),
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


_REPORT_KEYS = (
    # (report key, field of NormativeFigures, list url name)
    ("documents.issued", "issued", "normative_docs:document_list"),
    ("documents.legality_review_rate", "legality_review_rate", "normative_docs:document_list"),
    (
        "documents.collective_discussion_rate",
        "collective_discussion_rate",
        "normative_docs:document_list",
    ),
    ("documents.unified_rate", "unified_rate", "normative_docs:document_list"),
    ("documents.filing_rate", "filing_rate", "normative_docs:document_list"),
    ("documents.timely_filing_rate", "timely_filing_rate", "normative_docs:document_list"),
    (
        "documents.past_validity_still_valid",
        "past_validity_still_valid",
        "normative_docs:document_list",
    ),
    ("reviews.total", "reviews", "normative_docs:review_list"),
    ("reviews.opinions", "opinions_given", "normative_docs:review_list"),
    ("reviews.opinions_adopted", "opinions_adopted", "normative_docs:review_list"),
    ("reviews.opinion_adoption_rate", "opinion_adoption_rate", "normative_docs:review_list"),
    ("reviews.contract_review_rate", "contract_review_rate", "normative_docs:review_list"),
    ("decisions.total", "decisions", "normative_docs:decision_list"),
    ("decisions.complete_rate", "decisions_complete_rate", "normative_docs:decision_list"),
)


def report_figures(
    first_year: int,
    last_year: int | None = None,
    *,
    as_of: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> list[dict]:
    """Return the figures the dashboard and the annual report may use, as plain dicts.

    Each dict: key ("documents.issued", "reviews.opinions" ...), label, unit, value (int,
    Decimal or None), url (the list behind it; filtered by year when the period is one year).
    The queries of `normative_figures`.
    """
    last_year = last_year or first_year
    figures = normative_figures(first_year, last_year, as_of=as_of, calendar=calendar)
    query = f"?year={first_year}" if first_year == last_year else ""
    return [
        {
            "key": key,
            "label": FIGURE_LABELS[field].label,
            "unit": FIGURE_LABELS[field].unit,
            "value": getattr(figures, field),
            "url": reverse(url_name) + query,
        }
        for key, field, url_name in _REPORT_KEYS
    ]

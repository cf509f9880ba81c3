"""The dashboard's baseline: the fastest SQL we know that gives the dashboard's figures.

Hand-written PostgreSQL, independent of the app's selectors (issue 13 item 6): per area and
period, grouped conditional counts (`count(*) FILTER (WHERE ...)`) in one statement, and the
breakdowns (by month, channel, kind, category, village, type, source) in one `GROUPING SETS`
statement. Statutory deadlines (受理 15 days, 办结 60 days plus extension, 调解 one month, 报备
30 days; 《民法典》第二百零一条至第二百零三条) are worked out in the same statement from the
calendar table (`miaoba_calendarday`): a derived table gives, for each day, the first working
day on or after it, joined on the day the period ends.

`baseline(first, last)` returns (a function running every statement and returning the figures
as {"area.key": value}, the number of statements). `compare(figures, book)` checks them
against the app's own figures (`reports.areas.FigureBook`), so a baseline that gives other
figures than the page is noticed instead of being called fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# The first working day on or after each day of [%(from)s, %(to)s] (a rest day: a holiday of the
# table, or a Saturday or Sunday not worked as a make-up day).
_NEXT_WORKING_DAY = """
nwd AS (
  SELECT d, min(d) FILTER (WHERE NOT rest) OVER (ORDER BY d DESC) AS due
  FROM (
    SELECT g::date AS d,
           coalesce(cd.kind = 'holiday', false)
           OR (extract(isodow FROM g) >= 6 AND cd.kind IS DISTINCT FROM 'workday') AS rest
    FROM generate_series(%(from)s::date, %(to)s::date, interval '1 day') AS g
    LEFT JOIN miaoba_calendarday cd ON cd.date = g::date
  ) days
)"""


def _petitions(p: dict) -> list[tuple[str, str, dict]]:
    counts = f"""
WITH {_NEXT_WORKING_DAY}
SELECT count(*) AS total,
  count(*) FILTER (WHERE decided_on <= %(end)s) AS decided,
  count(*) FILTER (WHERE decided_on <= %(end)s AND status = 'rejected') AS rejected,
  count(*) FILTER (WHERE decided_on <= %(end)s AND decided_on <= a.due) AS timely_decided,
  count(*) FILTER (WHERE concluded_on <= %(end)s AND status <> 'rejected') AS concluded,
  count(*) FILTER (WHERE concluded_on <= %(end)s AND status <> 'rejected'
                   AND concluded_on <= c.due) AS concluded_on_time,
  count(*) FILTER (WHERE replied_on <= %(end)s) AS replied,
  count(*) FILTER (WHERE is_repeat) AS repeat_count,
  count(*) FILTER (WHERE headcount >= 5) AS collective_count,
  count(*) FILTER (WHERE replied_on <= %(end)s AND concluded_on <= %(end)s
                   AND status <> 'rejected') AS rateable,
  count(*) FILTER (WHERE replied_on <= %(end)s AND concluded_on <= %(end)s
                   AND status <> 'rejected' AND satisfaction <> '') AS rated,
  count(*) FILTER (WHERE replied_on <= %(end)s AND concluded_on <= %(end)s
                   AND status <> 'rejected' AND satisfaction IN ('满意', '基本满意')) AS satisfied,
  count(*) FILTER (WHERE extension_days IS NOT NULL AND (extended_on <= %(end)s
                   OR (extended_on IS NULL AND decided_on <= %(end)s))) AS extended_count
FROM disputes_petition p
LEFT JOIN nwd a ON a.d = p.received_on + 15
LEFT JOIN nwd c ON c.d = p.decided_on + 60 + coalesce(p.extension_days, 0)
WHERE p.voided_at IS NULL AND p.received_on BETWEEN %(start)s AND %(end)s"""  # noqa: S608
    breakdowns = """
SELECT GROUPING(p.channel, p.kind, cat.name, v.name, date_trunc('month', p.received_on)) AS g,
       p.channel, p.kind, cat.name, v.name, date_trunc('month', p.received_on), count(*)
FROM disputes_petition p
JOIN disputes_category cat ON cat.id = p.category_id
LEFT JOIN miaoba_village v ON v.id = p.village_id
WHERE p.voided_at IS NULL AND p.received_on BETWEEN %(start)s AND %(end)s
GROUP BY GROUPING SETS ((p.channel), (p.kind), (cat.name), (v.name),
                        (date_trunc('month', p.received_on)))"""
    return [("petitions", counts, p), ("petitions.by", breakdowns, p)]


def _disputes(p: dict) -> list[tuple[str, str, dict]]:
    accepted = "decided_on <= %(end)s AND status <> 'rejected'"
    concluded = "concluded_on <= %(end)s AND status IN ('succeeded', 'failed', 'terminated')"
    succeeded = f"{concluded} AND status = 'succeeded'"
    counts = f"""
WITH {_NEXT_WORKING_DAY}
SELECT count(*) AS registered,
  count(*) FILTER (WHERE {accepted}) AS accepted,
  count(*) FILTER (WHERE decided_on <= %(end)s AND status = 'rejected') AS rejected,
  count(*) FILTER (WHERE {concluded}) AS concluded,
  count(*) FILTER (WHERE {succeeded}) AS succeeded,
  count(*) FILTER (WHERE {concluded} AND status = 'failed') AS failed,
  count(*) FILTER (WHERE {concluded} AND status = 'terminated') AS terminated,
  count(*) FILTER (WHERE {concluded} AND concluded_on <= m.due) AS concluded_within_month,
  count(*) FILTER (WHERE {succeeded} AND agreement_form = '书面') AS written,
  count(*) FILTER (WHERE {succeeded} AND performance = '已履行'
                   AND (performance_checked_on <= %(end)s OR performance_checked_on IS NULL))
    AS performed,
  count(*) FILTER (WHERE court_applied_on <= %(end)s) AS court_confirmation_count,
  count(*) FILTER (WHERE replied_on <= %(end)s) AS replied,
  coalesce(sum(amount) FILTER (WHERE {accepted}), 0) AS amount_total
FROM disputes_dispute d
LEFT JOIN nwd m ON m.d = (d.decided_on + interval '1 month')::date
WHERE d.voided_at IS NULL AND d.received_on BETWEEN %(start)s AND %(end)s"""  # noqa: S608
    breakdowns = f"""
SELECT GROUPING(d.type, d.source, v.name, date_trunc('month', d.received_on)) AS g,
       d.type, d.source, v.name, date_trunc('month', d.received_on), count(*)
FROM disputes_dispute d
LEFT JOIN miaoba_village v ON v.id = d.village_id
WHERE d.voided_at IS NULL AND d.received_on BETWEEN %(start)s AND %(end)s AND {accepted}
GROUP BY GROUPING SETS ((d.type), (d.source), (v.name), (date_trunc('month', d.received_on)))"""  # noqa: S608
    return [("disputes", counts, p), ("disputes.by", breakdowns, p)]


def _normative(p: dict) -> list[tuple[str, str, dict]]:
    issued = "published_on BETWEEN %(start)s AND %(end)s"
    documents = f"""
WITH {_NEXT_WORKING_DAY}
SELECT count(*) FILTER (WHERE {issued}) AS issued,
  count(*) FILTER (WHERE published_on BETWEEN %(p_start)s AND %(p_end)s) AS issued_previous,
  count(*) FILTER (WHERE {issued} AND reviewed_on <= %(end)s AND reviewed_on <= meeting_on
                   AND review_conclusion IN %(passing)s) AS reviewed_before_discussion,
  count(*) FILTER (WHERE {issued} AND meeting_on <= %(end)s) AS discussed,
  count(*) FILTER (WHERE {issued} AND number <> '' AND register_number <> '') AS unified,
  count(*) FILTER (WHERE {issued} AND filed_on <= %(end)s) AS filed,
  count(*) FILTER (WHERE {issued} AND filed_on <= %(end)s AND filed_on <= f.due) AS filed_on_time,
  count(*) FILTER (WHERE published_on <= %(end)s AND expires_on < %(end)s
                   AND (ended_on IS NULL OR ended_on > %(end)s) AND status <> 'not_normative')
    AS past_validity_still_valid
FROM normative_docs_document doc
LEFT JOIN nwd f ON f.d = doc.published_on + %(filing_days)s
WHERE doc.voided_at IS NULL AND doc.status <> 'withdrawn' AND doc.published_on IS NOT NULL"""  # noqa: S608
    by_issuer = """
SELECT issuer, count(*) FROM normative_docs_document
WHERE voided_at IS NULL AND status <> 'withdrawn' AND published_on BETWEEN %(start)s AND %(end)s
GROUP BY issuer"""
    cleanup = """
SELECT i.outcome, count(*) FROM normative_docs_cleanupitem i
JOIN normative_docs_cleanupcampaign c ON c.id = i.campaign_id
WHERE c.finished_on BETWEEN %(start)s AND %(end)s GROUP BY i.outcome"""
    reviews = """
SELECT GROUPING(kind) AS g, kind,
  count(*) FILTER (WHERE submitted_on BETWEEN %(start)s AND %(end)s) AS reviews,
  count(*) FILTER (WHERE submitted_on BETWEEN %(p_start)s AND %(p_end)s) AS reviews_previous,
  count(*) FILTER (WHERE submitted_on BETWEEN %(start)s AND %(end)s
                   AND completed_on <= %(end)s) AS reviews_completed,
  count(*) FILTER (WHERE submitted_on BETWEEN %(start)s AND %(end)s AND kind = '合同')
    AS contract_reviews,
  count(*) FILTER (WHERE submitted_on BETWEEN %(start)s AND %(end)s AND kind = '合同'
                   AND completed_on <= %(end)s) AS contract_reviews_completed
FROM normative_docs_legalreview
WHERE submitted_on BETWEEN least(%(start)s, %(p_start)s) AND %(end)s
GROUP BY GROUPING SETS ((), (kind))"""
    opinions = """
SELECT count(*) FILTER (WHERE r.submitted_on BETWEEN %(start)s AND %(end)s
                        AND r.completed_on <= %(end)s) AS opinions_given,
  count(*) FILTER (WHERE r.submitted_on BETWEEN %(start)s AND %(end)s
                   AND r.completed_on <= %(end)s AND o.adopted) AS opinions_adopted,
  count(*) FILTER (WHERE r.submitted_on BETWEEN %(p_start)s AND %(p_end)s
                   AND r.completed_on <= %(p_end)s) AS opinions_previous
FROM normative_docs_reviewopinion o JOIN normative_docs_legalreview r ON r.id = o.review_id
WHERE r.submitted_on BETWEEN least(%(start)s, %(p_start)s) AND %(end)s"""
    decisions = """
SELECT count(*) FILTER (WHERE meeting_on >= %(start)s) AS decisions,
  count(*) FILTER (WHERE meeting_on >= %(start)s AND has_review
                   AND participation_to - participation_from + 1 >= 30
                   AND (expert_on IS NOT NULL OR NOT expert_required)
                   AND (risk_on IS NOT NULL OR NOT risk_required)) AS decisions_complete,
  count(*) FILTER (WHERE meeting_on >= %(start)s AND has_review) AS decisions_legality_reviewed,
  count(*) FILTER (WHERE meeting_on BETWEEN %(p_start)s AND %(p_end)s) AS decisions_previous
FROM (
  SELECT d.*, EXISTS (SELECT 1 FROM normative_docs_legalreview r
                      WHERE r.decision_id = d.id AND r.conclusion IN %(passing)s
                        AND r.completed_on <= d.meeting_on) AS has_review
  FROM normative_docs_decision d
  WHERE d.status <> 'in_progress' AND d.meeting_on BETWEEN %(p_start)s AND %(end)s
) d"""
    return [
        ("documents", documents, p),
        ("documents.by_issuer", by_issuer, p),
        ("documents.cleanup", cleanup, p),
        ("reviews", reviews, p),
        ("reviews.opinions", opinions, p),
        ("decisions", decisions, p),
    ]


def _tasks(p: dict, stored_next_due: bool) -> list[tuple[str, str, dict]]:
    if stored_next_due:
        next_due, join = "t.next_due", ""
    else:  # the earliest open milestone of a 长期坚持 task, grouped once
        next_due = "CASE WHEN t.is_long_term THEN m.due ELSE t.due_on END"
        join = """LEFT JOIN (SELECT task_id, min(due_on) AS due FROM tasks_milestone
                   WHERE done_on IS NULL GROUP BY task_id) m ON m.task_id = t.id"""
    tasks = f"""
SELECT count(*) AS total,
  count(*) FILTER (WHERE t.status = 'closed') AS closed,
  count(*) FILTER (WHERE t.status IN ('not_started', 'in_progress')
                   AND {next_due} < %(end)s) AS overdue,
  count(*) FILTER (WHERE e.n IS NOT NULL) AS extended,
  coalesce(sum(e.n), 0) AS extension_count,
  (SELECT count(*) FROM tasks_problem WHERE year BETWEEN %(first)s AND %(last)s) AS problems
FROM tasks_task t
JOIN tasks_problem pr ON pr.id = t.problem_id
LEFT JOIN (SELECT task_id, count(*) AS n FROM tasks_extension GROUP BY task_id) e
  ON e.task_id = t.id
{join}
WHERE t.voided_at IS NULL AND pr.year BETWEEN %(first)s AND %(last)s"""  # noqa: S608
    return [("tasks", tasks, p)]


def _records(p: dict) -> list[tuple[str, str, dict]]:
    records = """
SELECT k.name, count(r.id), coalesce(sum(r.sessions), 0), coalesce(sum(r.participants), 0),
       coalesce(sum(r.materials), 0)
FROM reports_workrecordkind k
LEFT JOIN reports_workrecord r
  ON r.kind_id = k.id AND r.voided_at IS NULL AND r.on BETWEEN %(start)s AND %(end)s
GROUP BY k.id, k.name"""
    year = "SELECT key, value FROM reports_yearfigure WHERE year = %(last)s"
    return [("records", records, p), ("year", year, p)]


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def statements(first: int, last: int, *, stored_next_due: bool) -> list[tuple[str, str, dict]]:
    """Return [(name, SQL, params)] giving the dashboard's figures of `first`–`last` (a past
    period: figures judged on 31 December of `last`)."""
    from normative_docs.deadlines import filing_days
    from normative_docs.models import PASSING

    start, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
    span = last - first + 1
    p = {
        "first": first,
        "last": last,
        "start": start,
        "end": end,
        "p_start": _shift_years(start, span),
        "p_end": _shift_years(end, span),
        "from": start,
        "to": end + dt.timedelta(days=160),
        "passing": tuple(str(c) for c in PASSING),
        "filing_days": filing_days(),
    }
    return [
        *_petitions(p),
        *_disputes(p),
        *_normative(p),
        *_tasks(p, stored_next_due),
        *_records(p),
    ]


def _has_column(cursor, table: str, column: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return cursor.fetchone() is not None


def baseline(first: int, last: int) -> tuple[Callable[[], dict], int]:
    """Return (run: a function executing every statement and returning {"area.key": value},
    the number of statements)."""
    from django.db import connection

    with connection.cursor() as cursor:
        stored = _has_column(cursor, "tasks_task", "next_due")
    todo = statements(first, last, stored_next_due=stored)

    def run() -> dict:
        figures: dict = {}
        with connection.cursor() as cursor:
            for name, sql, params in todo:
                cursor.execute(sql, params)
                columns = [c.name for c in cursor.description]
                rows = cursor.fetchall()
                if name in {"petitions", "disputes", "documents", "tasks", "reviews.opinions"}:
                    area = name.split(".")[0]
                    for column, value in zip(columns, rows[0], strict=True):
                        figures[f"{area}.{column}"] = value
                elif name == "decisions":
                    for column, value in zip(columns, rows[0], strict=True):
                        figures[f"decisions.{column}"] = value
                elif name == "reviews":
                    for row in rows:
                        if row[0]:  # the grand total is GROUPING(kind) = 1
                            for column, value in zip(columns[2:], row[2:], strict=True):
                                figures[f"reviews.{column}"] = value
                else:
                    figures[name] = rows
        return figures

    return run, len(todo)


# The app's figure key (reports.areas: area -> AreaFigures.figures) of each baseline column.
_SAME: dict[str, dict[str, str]] = {
    "petitions": {
        k: k
        for k in [
            "total",
            "decided",
            "rejected",
            "timely_decided",
            "concluded",
            "concluded_on_time",
            "replied",
            "repeat_count",
            "collective_count",
            "rateable",
            "rated",
            "satisfied",
            "extended_count",
        ]
    },
    "disputes": {
        k: k
        for k in [
            "registered",
            "accepted",
            "rejected",
            "concluded",
            "succeeded",
            "failed",
            "terminated",
            "concluded_within_month",
            "written",
            "performed",
            "court_confirmation_count",
            "replied",
            "amount_total",
        ]
    },
    "documents": {
        k: k
        for k in [
            "issued",
            "reviewed_before_discussion",
            "discussed",
            "unified",
            "filed",
            "filed_on_time",
        ]
    },
    "reviews": {
        "reviews": "total",
        "reviews_completed": "completed",
        "contract_reviews": "contracts",
        "contract_reviews_completed": "contracts_completed",
        "opinions_given": "opinions",
        "opinions_adopted": "opinions_adopted",
    },
    "decisions": {
        "decisions": "total",
        "decisions_complete": "complete",
        "decisions_legality_reviewed": "legality_reviewed",
    },
    "tasks": {
        k: k for k in ["problems", "total", "closed", "overdue", "extended", "extension_count"]
    },
}


def compare(figures: dict, book, first: int, last: int) -> tuple[int, list[str]]:
    """Compare the baseline's counts with the app's figures for the period.

    Returns (the number of figures compared, ["area.key: app X, baseline Y" for each that
    differs]). A figure the app does not have under that key is skipped.
    """
    from decimal import Decimal

    compared, differ = 0, []
    for area, keys in _SAME.items():
        app = book.area(area, first, last).figures
        for column, key in keys.items():
            ours = figures.get(f"{area}.{column}")
            if key not in app or ours is None:
                continue
            compared += 1
            value = app[key].value
            if isinstance(value, Decimal) or isinstance(ours, Decimal):
                same = Decimal(value or 0) == Decimal(ours or 0)
            else:
                same = value == ours
            if not same:
                differ.append(f"{area}.{key}: app {value}, baseline {ours}")
    return compared, differ

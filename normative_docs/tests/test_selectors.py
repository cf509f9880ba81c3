"""The report figures of normative_docs.selectors, counted by hand from the records below."""

import datetime as dt
from dataclasses import fields
from decimal import Decimal

import pytest

from miaoba import refcache
from miaoba.workcalendar import WorkCalendar
from normative_docs import services as s
from normative_docs.selectors import (
    FIGURE_LABELS,
    NORMATIVE_FIGURES_QUERIES,
    NormativeFigures,
    normative_figures,
    percent,
)
from normative_docs.tests.builders import make_advisor, published, registered

d = dt.date
pytestmark = pytest.mark.django_db


def test_every_figure_has_a_label_and_unit():
    assert set(FIGURE_LABELS) == {f.name for f in fields(NormativeFigures)}


def test_rates_round_half_up_and_zero_denominators_give_none():
    assert percent(2, 3) == Decimal("66.7")
    assert percent(14, 15) == Decimal("93.3")
    assert percent(0, 0) is None


def test_an_empty_year_has_no_rates():
    f = normative_figures(2020)

    assert f.issued == 0
    assert f.legality_review_rate is None and f.timely_filing_rate is None
    assert f.opinion_adoption_rate is None and f.decisions_complete_rate is None
    assert f.issued_change is None


@pytest.fixture
def year_2020(clerk, advisor, justice_office):
    """Three documents of 2020 (one filed late, one unfiled), one of 2019, reviews, a decision."""
    a = published(clerk, justice_office, on=d(2020, 9, 1))  # filing due 10-09 (国庆 shift)
    s.document_file(a, by=clerk, filed_on=d(2020, 10, 9), filed_to="城口县人民政府")  # on time
    b = published(clerk, justice_office, on=d(2020, 3, 14))
    s.document_file(b, by=clerk, filed_on=d(2020, 4, 20), filed_to="城口县人民政府")  # late
    published(clerk, justice_office, on=d(2020, 6, 1))  # not filed
    void = registered(clerk, justice_office, on=d(2020, 7, 1))
    s.document_withdraw(void, by=clerk, on=d(2020, 7, 2), reason="撤回")  # never counts
    published(clerk, justice_office, on=d(2019, 6, 3))
    counsel = make_advisor(advisor)
    for kind, title, opinions, adopted in [
        ("合同", "合同甲", ["意见1", "意见2"], [True, False]),
        ("合同", "合同乙", [], []),
        ("重大事件处置", "事件甲", ["意见3"], [True]),
    ]:
        r = s.review_send(
            by=clerk,
            kind=kind,
            advisor=counsel,
            unit=justice_office,
            title=title,
            submitted_on=d(2020, 5, 6),
        )
        s.review_complete(
            r, by=advisor, completed_on=d(2020, 5, 15), conclusion="通过", opinions=opinions
        )
        s.review_record_adoption(
            r, by=clerk, adopted={o.pk: m for o, m in zip(r.opinions.all(), adopted, strict=True)}
        )
    s.review_send(
        by=clerk,
        kind="合同",
        advisor=counsel,
        unit=justice_office,
        title="合同丙",
        submitted_on=d(2020, 12, 1),
    )
    r = s.review_send(
        by=clerk,
        kind="合同",
        advisor=counsel,
        unit=justice_office,
        title="合同2019",
        submitted_on=d(2019, 5, 6),
    )
    s.review_complete(
        r, by=advisor, completed_on=d(2019, 5, 10), conclusion="通过", opinions=["旧意见"]
    )
    decision = s.decision_start(
        by=clerk, title="决策甲", unit=justice_office, started_on=d(2020, 3, 1)
    )
    s.decision_record_participation(
        decision, by=clerk, participation_from=d(2020, 3, 2), participation_to=d(2020, 4, 1)
    )
    s.decision_record_expert(
        decision, by=clerk, required=False, on=d(2020, 4, 2), reason="技术简单"
    )
    s.decision_record_risk(decision, by=clerk, required=True, on=d(2020, 4, 3), note="低风险")
    r = s.decision_send_for_review(decision, by=clerk, advisor=counsel, submitted_on=d(2020, 4, 6))
    s.review_complete(r, by=advisor, completed_on=d(2020, 4, 10), conclusion="通过")
    s.decision_discuss(decision, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2020, 4, 20))


def test_figures_of_a_year(year_2020):
    f = normative_figures(2020)

    assert f.issued == 3
    assert f.issued_by_issuer == {"庙坝镇人民政府": 3, "庙坝镇人民政府办公室": 0}
    assert f.legality_review_rate == Decimal("100.0")
    assert f.collective_discussion_rate == Decimal("100.0")
    assert f.unified_rate == Decimal("100.0")
    assert (f.filed, f.filing_rate) == (2, Decimal("66.7"))
    assert (f.filed_on_time, f.timely_filing_rate) == (1, Decimal("33.3"))
    assert f.reviews == 5  # 3 + 合同丙 (open) + the decision's review
    assert f.reviews_by_kind == {
        "规范性文件": 0,
        "合同": 3,
        "重大行政决策": 1,
        "重大事件处置": 1,
        "行政执法决定": 0,
        "其他": 0,
    }
    assert f.reviews_completed == 4
    assert (f.opinions_given, f.opinions_adopted, f.opinion_adoption_rate) == (
        3,
        2,
        Decimal("66.7"),
    )
    assert (f.contract_reviews, f.contract_reviews_completed, f.contract_review_rate) == (
        3,
        2,
        Decimal("66.7"),
    )
    assert (f.decisions, f.decisions_complete, f.decision_legality_rate) == (1, 1, Decimal("100.0"))
    assert (f.issued_previous, f.issued_change) == (1, 2)
    assert (f.reviews_previous, f.reviews_change) == (1, 4)
    assert (f.opinions_previous, f.opinions_change) == (1, 2)
    assert f.past_validity_still_valid == 0


def test_as_of_cuts_the_period_and_the_year_before_at_the_same_day(year_2020):
    f = normative_figures(2020, as_of=d(2020, 9, 30))

    assert f.issued == 3
    assert f.filed == 1  # the September document was filed on 10-09
    assert f.reviews == 4  # 合同丙 was sent in December
    assert f.issued_previous == 1


def test_a_span_of_years_counts_both(year_2020):
    f = normative_figures(2019, 2020)

    assert f.issued == 4 and f.reviews == 6 and f.opinions_given == 4


def test_documents_past_validity_still_marked_valid_are_counted(year_2020):
    # the 2019-06-03 document takes effect 07-03 and is valid to 2024-07-02
    assert normative_figures(2024, as_of=d(2024, 7, 2)).past_validity_still_valid == 0
    assert normative_figures(2024, as_of=d(2024, 7, 3)).past_validity_still_valid == 1


def test_figures_cost_a_fixed_number_of_queries(year_2020, django_assert_num_queries):
    refcache.clear()  # the calendar read too, as in a process that has not cached it yet
    with django_assert_num_queries(NORMATIVE_FIGURES_QUERIES):
        normative_figures(2016, 2020)
    calendar = WorkCalendar.load()
    with django_assert_num_queries(NORMATIVE_FIGURES_QUERIES - 1):
        normative_figures(2020, calendar=calendar)


def test_the_demo_reproduces_the_2020_report(db):
    from miaoba.demo import load_demo
    from normative_docs.demo import load_demo_records

    load_demo()
    assert "2016—2020年 35 件" in load_demo_records()
    assert load_demo_records() == ""  # idempotent
    f = normative_figures(2016, 2020)

    assert f.issued == 35
    assert f.reviews == 17
    assert (
        f.reviews_by_kind["规范性文件"]
        + f.reviews_by_kind["合同"]
        + f.reviews_by_kind["重大事件处置"]
        == 17
    )
    assert f.opinions_given == 15
    assert f.unified_rate == Decimal("100.0")
    assert f.past_validity_still_valid == 0

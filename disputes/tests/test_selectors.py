"""The dashboard and report figures of petitions and disputes (disputes.selectors).

The expected values are counted by hand from the cases below. Calendar facts used (国办发明电
〔2019〕16号, 2020 schedule): 清明 4月4日至6日, 端午 6月25日至27日, 国庆中秋 10月1日至8日放假.
- P1 received 2020-09-16: the 15th day, 10-01, is a holiday, so the acceptance clock runs to
  10-09; accepted 10-09 (day 23) is on time.
- P2 received 2020-03-02: due 03-17 (a Tuesday); accepted 03-18 (day 16) is late. Its
  conclusion clock, 60 days from 03-18, ends on Sunday 05-17, moved to 05-18; concluded 05-20
  is late.
- D2 accepted 2020-09-01: one month ends on 10-01, moved to 10-09; concluded 10-09 is on time.
- D3 accepted 2020-03-03: due 04-03 (a Friday); concluded 04-06 (day 34) is late.
- D4 accepted 2020-05-11: due 06-11; concluded 06-20 (day 40) is late.
"""

import datetime as dt
import itertools
from dataclasses import fields
from decimal import Decimal

import pytest

from disputes.clocks import dispute_clocks, petition_clocks
from disputes.models import Category, Dispute, Petition
from disputes.selectors import (
    DISPUTE_FIGURE_LABELS,
    PETITION_FIGURE_LABELS,
    DisputeFigures,
    PetitionFigures,
    dispute_figures,
    longest_shift,
    percent,
    petition_figures,
)
from miaoba.models import Village
from miaoba.workcalendar import WorkCalendar

pytestmark = pytest.mark.django_db

d = dt.date
_serials = itertools.count(1)

P = Petition.Status
D = Dispute.Status


@pytest.fixture
def villages(db) -> tuple[Village, Village]:
    return (
        Village.objects.create(name="庙坝村", order=1),
        Village.objects.create(name="石坝村", order=2),
    )


@pytest.fixture
def new_petition(clerk, justice_office):
    """Return a builder of unsaved petitions (for bulk_create), category given by name."""
    categories = {c.name: c for c in Category.objects.all()}

    def build(received_on: dt.date, *, category: str = "邻里", **values) -> Petition:
        serial = next(_serials)
        values.setdefault("channel", Petition.Channel.LETTER)
        return Petition(
            number=f"信〔{received_on.year}〕{serial}号",
            year=received_on.year,
            serial=serial,
            received_on=received_on,
            unit=justice_office,
            created_by=clerk,
            summary="测试信访事项",
            category=categories[category],
            **values,
        )

    return build


@pytest.fixture
def new_dispute(clerk, justice_office):
    """Return a builder of unsaved disputes (for bulk_create)."""

    def build(received_on: dt.date, **values) -> Dispute:
        serial = next(_serials)
        values.setdefault("source", Dispute.Source.APPLIED)
        values.setdefault("type", Dispute.Type.NEIGHBOUR)
        return Dispute(
            number=f"纠〔{received_on.year}〕{serial}号",
            year=received_on.year,
            serial=serial,
            received_on=received_on,
            unit=justice_office,
            created_by=clerk,
            summary="测试纠纷",
            **values,
        )

    return build


@pytest.fixture
def petitions(new_petition, villages):
    a, b = villages
    Petition.objects.bulk_create(
        [
            # P1: accepted on day 23, the holiday-shifted last day; concluded on day 60.
            new_petition(
                d(2020, 9, 16),
                channel="来信",
                kind="申诉求决类",
                category="土地征收与承包",
                village=a,
                headcount=4,
                status=P.REPLIED,
                decided_on=d(2020, 10, 9),
                concluded_on=d(2020, 12, 8),
                outcome="支持",
                replied_on=d(2020, 12, 10),
                satisfaction="满意",
            ),
            # P2: accepted late on day 16, concluded late on day 63; a repeat petition.
            new_petition(
                d(2020, 3, 2),
                channel="来访",
                kind="检举控告类",
                category="邻里",
                village=a,
                is_repeat=True,
                status=P.REPLIED,
                decided_on=d(2020, 3, 18),
                concluded_on=d(2020, 5, 20),
                outcome="解释说明",
                replied_on=d(2020, 5, 25),
                satisfaction="不满意",
            ),
            # P3: collective (6 people); extended 30 days, concluded on day 86 (on time).
            new_petition(
                d(2020, 4, 1),
                channel="网上信访",
                kind="建议意见类",
                category="邻里",
                village=b,
                headcount=6,
                status=P.REPLIED,
                decided_on=d(2020, 4, 10),
                extension_days=30,
                extended_on=d(2020, 6, 1),
                concluded_on=d(2020, 7, 5),
                outcome="支持",
                replied_on=d(2020, 7, 6),
                satisfaction="基本满意",
            ),
            # P4: not accepted on day 2; the notice is the reply. No kind, no village.
            new_petition(
                d(2020, 5, 6),
                channel="来信",
                kind="",
                category="劳动社保",
                village=None,
                status=P.REJECTED,
                decided_on=d(2020, 5, 8),
                rejection_reason="不属于本机关职权范围",
                replied_on=d(2020, 5, 8),
                reply_form="不予受理告知书",
            ),
            # P5: collective (exactly 5 people); replied without a rating.
            new_petition(
                d(2020, 11, 20),
                channel="电话",
                kind="申诉求决类",
                category="城乡建设",
                village=b,
                headcount=5,
                status=P.REPLIED,
                decided_on=d(2020, 11, 25),
                concluded_on=d(2020, 12, 20),
                outcome="支持",
                replied_on=d(2020, 12, 28),
            ),
            # P6: received on the last day of the year, not yet decided.
            new_petition(
                d(2020, 12, 31),
                channel="来访",
                kind="申诉求决类",
                category="邻里",
                village=a,
            ),
            # P7: accepted on day 30 and concluded on day 72: both certainly late.
            new_petition(
                d(2020, 6, 10),
                channel="来访",
                kind="检举控告类",
                category="环境",
                village=a,
                status=P.CONCLUDED,
                decided_on=d(2020, 7, 10),
                concluded_on=d(2020, 9, 20),
                outcome="不予支持",
            ),
            # P8: received the day before 2020; not accepted on 2020-01-03.
            new_petition(
                d(2019, 12, 31),
                category="其他",
                status=P.REJECTED,
                decided_on=d(2020, 1, 3),
                rejection_reason="已经复核终结",
                replied_on=d(2020, 1, 3),
                reply_form="不予受理告知书",
            ),
            # P9: 2016, replied and rated.
            new_petition(
                d(2016, 1, 1),
                channel="传真",
                kind="申诉求决类",
                category="村务",
                village=b,
                status=P.REPLIED,
                decided_on=d(2016, 1, 5),
                concluded_on=d(2016, 2, 20),
                outcome="支持",
                replied_on=d(2016, 2, 22),
                satisfaction="满意",
            ),
            # P10: received on the first day of 2021.
            new_petition(d(2021, 1, 1), village=a),
        ]
    )


@pytest.fixture
def disputes(new_dispute, villages):
    a, b = villages
    Dispute.objects.bulk_create(
        [
            # D1: written agreement on day 14, performed, court confirmation applied for.
            new_dispute(
                d(2020, 1, 6),
                source="当事人申请",
                type="邻里",
                village=a,
                status=D.SUCCEEDED,
                decided_on=d(2020, 1, 6),
                concluded_on=d(2020, 1, 20),
                agreement_form="书面",
                agreement_effective_on=d(2020, 1, 20),
                performance="已履行",
                performance_checked_on=d(2020, 2, 10),
                court_applied_on=d(2020, 1, 25),
                replied_on=d(2020, 1, 21),
                amount=Decimal("1000.50"),
            ),
            # D2: oral agreement on the holiday-shifted last day (day 38): on time.
            new_dispute(
                d(2020, 8, 28),
                source="主动排查发现",
                type="土地承包/山林权属",
                village=b,
                status=D.SUCCEEDED,
                decided_on=d(2020, 9, 1),
                concluded_on=d(2020, 10, 9),
                agreement_form="口头",
                agreement_effective_on=d(2020, 10, 9),
                performance="履行中",
                replied_on=d(2020, 10, 10),
            ),
            # D3: failed on day 34, after its due date 04-03.
            new_dispute(
                d(2020, 3, 2),
                source="部门移交",
                type="婚姻家庭",
                village=a,
                status=D.FAILED,
                decided_on=d(2020, 3, 3),
                concluded_on=d(2020, 4, 6),
                conclusion_note="告知可向法院起诉",
                replied_on=d(2020, 4, 7),
                amount=Decimal("20000"),
            ),
            # D4: terminated on day 40, after its due date 06-11. No village.
            new_dispute(
                d(2020, 5, 11),
                source="当事人申请",
                type="损害赔偿",
                village=None,
                status=D.TERMINATED,
                decided_on=d(2020, 5, 11),
                concluded_on=d(2020, 6, 20),
                conclusion_note="一方拒绝继续调解",
                amount=Decimal("500.00"),
            ),
            # D5: not accepted; its amount is not counted.
            new_dispute(
                d(2020, 6, 1),
                source="当事人申请",
                type="邻里",
                village=b,
                status=D.REJECTED,
                decided_on=d(2020, 6, 2),
                rejection_reason="一方明确拒绝调解",
                replied_on=d(2020, 6, 3),
                amount=Decimal("300"),
            ),
            # D6: in mediation.
            new_dispute(
                d(2020, 12, 20),
                source="法院委派",
                type="合同",
                village=a,
                status=D.ACCEPTED,
                decided_on=d(2020, 12, 21),
                amount=Decimal("12345.67"),
            ),
            # D7: registered, not yet decided.
            new_dispute(
                d(2020, 12, 30),
                type="宅基地",
                amount=Decimal("99.99"),
            ),
            # D8: oral agreement on day 62 (certainly late), performed as checked on 09-30.
            new_dispute(
                d(2020, 7, 1),
                source="当事人申请",
                type="劳动争议",
                village=a,
                status=D.SUCCEEDED,
                decided_on=d(2020, 7, 1),
                concluded_on=d(2020, 9, 1),
                agreement_form="口头",
                agreement_effective_on=d(2020, 9, 1),
                performance="已履行",
                performance_checked_on=d(2020, 9, 30),
                replied_on=d(2020, 9, 2),
                amount=Decimal("8000"),
            ),
            # D9: 2019-12-31, written agreement in January 2020.
            new_dispute(
                d(2019, 12, 31),
                village=b,
                status=D.SUCCEEDED,
                decided_on=d(2019, 12, 31),
                concluded_on=d(2020, 1, 10),
                agreement_form="书面",
                agreement_effective_on=d(2020, 1, 10),
                replied_on=d(2020, 1, 11),
                amount=Decimal("0.50"),
            ),
            # D10: 2016, registered only.
            new_dispute(d(2016, 3, 1), village=a),
            # D11: 2021-01-01.
            new_dispute(d(2021, 1, 1), status=D.ACCEPTED, decided_on=d(2021, 1, 4)),
        ]
    )


# --- Rates and labels ------------------------------------------------------------------------


def test_percent_has_one_decimal_rounded_half_up():
    assert percent(688, 697) == Decimal("98.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")
    assert percent(3, 3) == Decimal("100.0")


def test_percent_of_zero_cases_is_none_not_100():
    assert percent(0, 0) is None


def test_every_figure_has_a_chinese_label_and_unit():
    assert list(PETITION_FIGURE_LABELS) == [f.name for f in fields(PetitionFigures)]
    assert list(DISPUTE_FIGURE_LABELS) == [f.name for f in fields(DisputeFigures)]
    assert PETITION_FIGURE_LABELS["total"].label == "信访件数"
    assert PETITION_FIGURE_LABELS["total"].unit == "件"
    assert PETITION_FIGURE_LABELS["timely_acceptance_rate"].unit == "%"
    assert DISPUTE_FIGURE_LABELS["accepted"].label == "受理数"
    assert DISPUTE_FIGURE_LABELS["accepted"].unit == "起"
    assert DISPUTE_FIGURE_LABELS["amount_total"].unit == "元"


def test_longest_shift_is_a_weekend_without_holidays():
    assert longest_shift(WorkCalendar({}, {})) == 2


def test_longest_shift_spans_a_holiday_run():
    national_day = {d(2020, 10, day): "国庆中秋" for day in range(1, 9)}
    makeup = {d(2020, 9, 27): "国庆中秋", d(2020, 10, 10): "国庆中秋"}
    # 10-01 moves to 10-09: 8 days.
    assert longest_shift(WorkCalendar(national_day, makeup)) == 8


def test_a_span_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        petition_figures(2020, 2019)
    with pytest.raises(ValueError):
        dispute_figures(2020, 2019)


# --- Petitions -------------------------------------------------------------------------------


def test_petition_counts_of_a_year(petitions):
    figures = petition_figures(2020)

    assert figures.total == 7
    assert figures.by_channel == {
        "来信": 2,
        "来访（走访）": 3,
        "网上信访": 1,
        "电话": 1,
        "传真": 0,
        "上级转送/交办": 0,
    }
    assert list(figures.by_channel) == [
        "来信",
        "来访（走访）",
        "网上信访",
        "电话",
        "传真",
        "上级转送/交办",
    ]
    assert figures.by_kind == {"建议意见类": 1, "检举控告类": 2, "申诉求决类": 3, "未填写": 1}
    # Largest first, then in the category list's order.
    assert list(figures.by_category.items()) == [
        ("邻里", 3),
        ("土地征收与承包", 1),
        ("劳动社保", 1),
        ("城乡建设", 1),
        ("环境", 1),
    ]
    assert list(figures.by_village.items()) == [("庙坝村", 4), ("石坝村", 2), ("未填写", 1)]
    assert figures.by_month == {
        1: 0,
        2: 0,
        3: 1,
        4: 1,
        5: 1,
        6: 1,
        7: 0,
        8: 0,
        9: 1,
        10: 0,
        11: 1,
        12: 1,
    }
    assert figures.repeat_count == 1
    assert figures.collective_count == 2  # P3 (6 people) and P5 (exactly 5)
    assert figures.extended_count == 1


def test_timely_acceptance_counts_the_holiday_shift(petitions):
    figures = petition_figures(2020)

    # Decided: P1 P2 P3 P4 P5 P7. On time: P1 (day 23, shifted), P3, P4, P5.
    assert figures.decided == 6
    assert figures.accepted == 5
    assert figures.rejected == 1
    assert figures.timely_decided == 4
    assert figures.timely_acceptance_rate == Decimal("66.7")


def test_on_time_conclusion_includes_the_approved_extension(petitions):
    figures = petition_figures(2020)

    # Concluded: P1 (day 60), P2 (late), P3 (day 86 of 60+30), P5, P7 (late).
    assert figures.concluded == 5
    assert figures.concluded_on_time == 3
    assert figures.on_time_conclusion_rate == Decimal("60.0")


def test_reply_rate_counts_a_rejection_notice_as_a_reply(petitions):
    figures = petition_figures(2020)

    # Replied: P1 P2 P3 P5 and P4's notice; P6 and P7 not.
    assert figures.replied == 5
    assert figures.reply_rate == Decimal("71.4")


def test_rating_and_satisfaction_rates(petitions):
    figures = petition_figures(2020)

    # Rateable: P1 P2 P3 P5 (P4 was rejected); rated P1 满意, P2 不满意, P3 基本满意.
    assert figures.rateable == 4
    assert figures.rated == 3
    assert figures.rating_rate == Decimal("75.0")
    assert figures.satisfied == 2
    assert figures.satisfaction_rate == Decimal("66.7")


def test_petition_figures_as_of_exclude_later_cases_and_later_steps(petitions):
    figures = petition_figures(2020, as_of=d(2020, 10, 5))

    # P5 and P6 were received later; P1 was received but accepted only on 10-09.
    assert figures.total == 5
    assert figures.by_channel["来信"] == 2
    assert figures.by_channel["来访（走访）"] == 2
    assert figures.by_channel["电话"] == 0
    assert list(figures.by_month) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert figures.decided == 4
    assert figures.timely_decided == 2
    assert figures.timely_acceptance_rate == Decimal("50.0")
    assert figures.concluded == 3
    assert figures.concluded_on_time == 1
    assert figures.on_time_conclusion_rate == Decimal("33.3")
    assert figures.replied == 3
    assert figures.reply_rate == Decimal("60.0")
    assert figures.rateable == 2
    assert figures.rating_rate == Decimal("100.0")
    assert figures.satisfaction_rate == Decimal("50.0")
    assert figures.extended_count == 1


def test_petition_rate_without_a_decision_yet_is_none_but_no_reply_is_zero(petitions):
    figures = petition_figures(2020, as_of=d(2020, 3, 10))

    assert figures.total == 1  # P2, accepted only on 03-18
    assert figures.timely_acceptance_rate is None
    assert figures.on_time_conclusion_rate is None
    assert figures.rating_rate is None
    assert figures.satisfaction_rate is None
    assert figures.reply_rate == Decimal("0.0")


def test_petition_figures_of_an_empty_year(petitions):
    figures = petition_figures(2015)

    assert figures.total == 0
    assert figures.by_category == {}
    assert figures.by_village == {}
    assert figures.by_channel["来信"] == 0
    assert figures.timely_acceptance_rate is None
    assert figures.on_time_conclusion_rate is None
    assert figures.reply_rate is None
    assert figures.rating_rate is None
    assert figures.satisfaction_rate is None


def test_petition_figures_of_a_span_sum_the_years(petitions):
    figures = petition_figures(2016, 2020)

    assert figures.total == 9  # 2020's seven, P8 (2019-12-31) and P9 (2016-01-01)
    assert len(figures.by_month) == 60
    assert figures.by_month[(2016, 1)] == 1
    assert figures.by_month[(2019, 12)] == 1
    assert figures.by_month[(2020, 9)] == 1
    assert sum(figures.by_month.values()) == 9
    assert figures.by_channel["传真"] == 1
    assert figures.decided == 8
    assert figures.timely_acceptance_rate == Decimal("75.0")  # 6 of 8
    assert figures.on_time_conclusion_rate == Decimal("66.7")  # 4 of 6
    assert figures.reply_rate == Decimal("77.8")  # 7 of 9
    assert figures.rating_rate == Decimal("80.0")  # 4 of 5
    assert figures.satisfaction_rate == Decimal("75.0")  # 3 of 4


def test_petition_year_starts_and_ends_on_the_calendar_day(petitions):
    assert petition_figures(2019).total == 1  # P8, received 2019-12-31
    assert petition_figures(2021).total == 1  # P10, received 2021-01-01


def test_petition_figures_as_dict_is_keyed_by_figure_name(petitions):
    figures = petition_figures(2020).as_dict()

    assert figures["total"] == 7
    assert figures["timely_acceptance_rate"] == Decimal("66.7")


# --- Disputes --------------------------------------------------------------------------------


def test_dispute_counts_of_a_year_are_of_accepted_disputes(disputes):
    figures = dispute_figures(2020)

    assert figures.registered == 8
    assert figures.accepted == 6  # D5 rejected, D7 not yet decided
    assert figures.rejected == 1
    assert figures.by_type == {
        "婚姻家庭": 1,
        "邻里": 1,
        "土地承包/山林权属": 1,
        "宅基地": 0,
        "损害赔偿": 1,
        "劳动争议（劳资）": 1,
        "合同": 1,
        "征地拆迁": 0,
        "其他": 0,
    }
    assert figures.by_source == {"当事人申请": 3, "主动排查发现": 1, "部门移交": 1, "法院委派": 1}
    assert list(figures.by_village.items()) == [("庙坝村", 4), ("石坝村", 1), ("未填写", 1)]
    assert figures.by_month == {
        1: 1,
        2: 0,
        3: 1,
        4: 0,
        5: 1,
        6: 0,
        7: 1,
        8: 1,
        9: 0,
        10: 0,
        11: 0,
        12: 1,
    }


def test_mediation_rates(disputes):
    figures = dispute_figures(2020)

    # Concluded: D1 D2 D8 succeeded, D3 failed, D4 terminated; D5 (rejected) is left out.
    assert figures.concluded == 5
    assert (figures.succeeded, figures.failed, figures.terminated) == (3, 1, 1)
    assert figures.success_rate == Decimal("60.0")
    assert figures.written == 1
    assert figures.written_rate == Decimal("33.3")
    assert figures.performed == 2
    assert figures.performance_rate == Decimal("66.7")
    assert figures.court_confirmation_count == 1
    assert figures.replied == 5
    assert figures.reply_rate == Decimal("62.5")
    assert figures.amount_total == Decimal("41846.17")


def test_one_month_rate_counts_the_holiday_shift(disputes):
    figures = dispute_figures(2020)

    # Within one month: D1 (day 14) and D2 (day 38, due 10-09); D3, D4, D8 late.
    assert figures.concluded_within_month == 2
    assert figures.within_month_rate == Decimal("40.0")


def test_dispute_figures_as_of_exclude_later_cases_and_later_steps(disputes):
    figures = dispute_figures(2020, as_of=d(2020, 9, 15))

    # D6 and D7 received later; D2 accepted 09-01 but concluded 10-09; D8 checked 09-30.
    assert figures.registered == 6
    assert figures.accepted == 5
    assert figures.concluded == 4
    assert figures.succeeded == 2
    assert figures.success_rate == Decimal("50.0")
    assert figures.concluded_within_month == 1
    assert figures.within_month_rate == Decimal("25.0")
    assert figures.written_rate == Decimal("50.0")
    assert figures.performed == 1
    assert figures.performance_rate == Decimal("50.0")
    assert figures.replied == 4
    assert figures.reply_rate == Decimal("66.7")
    assert figures.court_confirmation_count == 1
    assert figures.amount_total == Decimal("29500.50")
    assert figures.by_month == {1: 1, 2: 0, 3: 1, 4: 0, 5: 1, 6: 0, 7: 1, 8: 1, 9: 0}


def test_dispute_figures_of_an_empty_year(disputes):
    figures = dispute_figures(2015)

    assert figures.registered == 0
    assert figures.accepted == 0
    assert figures.by_village == {}
    assert figures.success_rate is None
    assert figures.within_month_rate is None
    assert figures.written_rate is None
    assert figures.performance_rate is None
    assert figures.reply_rate is None
    assert figures.amount_total == Decimal("0.00")


def test_dispute_figures_of_a_span_sum_the_years(disputes):
    figures = dispute_figures(2016, 2020)

    assert figures.registered == 10  # 2020's eight, D9 (2019-12-31) and D10 (2016)
    assert figures.accepted == 7
    assert figures.succeeded == 4
    assert figures.success_rate == Decimal("66.7")  # 4 of 6
    assert figures.written_rate == Decimal("50.0")  # D1 and D9 of 4
    assert figures.reply_rate == Decimal("60.0")  # 6 of 10
    assert figures.amount_total == Decimal("41846.67")
    assert figures.by_month[(2019, 12)] == 1
    assert figures.by_month[(2016, 3)] == 0  # D10 was never accepted
    assert len(figures.by_month) == 60


def test_dispute_year_starts_and_ends_on_the_calendar_day(disputes):
    assert dispute_figures(2019).registered == 1  # D9, received 2019-12-31
    assert dispute_figures(2021).registered == 1  # D11, received 2021-01-01


# --- Query budget ----------------------------------------------------------------------------


def _many_petitions(new_petition, village, n: int) -> list[Petition]:
    """Petitions in every state, many of them in the band checked against the calendar."""
    rows = []
    for i in range(n):
        received = d(2020, 1, 2) + dt.timedelta(days=i % 330)
        if i % 5 == 0:
            rows.append(new_petition(received, village=village if i % 2 else None))
            continue
        decided = received + dt.timedelta(days=10 + i % 20)
        if i % 5 == 1:
            rows.append(
                new_petition(
                    received,
                    status=P.REJECTED,
                    decided_on=decided,
                    rejection_reason="不属于本机关职权范围",
                    replied_on=decided,
                )
            )
            continue
        concluded = decided + dt.timedelta(days=55 + i % 25)
        rows.append(
            new_petition(
                received,
                channel=Petition.Channel.VISIT,
                kind=Petition.Kind.CLAIM,
                village=village,
                headcount=1 + i % 7,
                status=P.REPLIED,
                decided_on=decided,
                extension_days=10 if i % 5 == 2 else None,
                concluded_on=concluded,
                outcome="支持",
                replied_on=concluded,
                satisfaction="满意" if i % 5 == 3 else "",
            )
        )
    return rows


def _many_disputes(new_dispute, village, n: int) -> list[Dispute]:
    rows = []
    for i in range(n):
        received = d(2020, 1, 2) + dt.timedelta(days=i % 330)
        if i % 4 == 0:
            rows.append(new_dispute(received, amount=Decimal("10.00")))
            continue
        concluded = received + dt.timedelta(days=20 + i % 30)
        rows.append(
            new_dispute(
                received,
                village=village if i % 2 else None,
                status=D.SUCCEEDED if i % 4 == 1 else D.FAILED,
                decided_on=received,
                concluded_on=concluded,
                agreement_form="书面" if i % 4 == 1 else "",
                performance="已履行" if i % 4 == 1 else "",
                court_applied_on=concluded if i % 8 == 1 else None,
                replied_on=concluded,
                amount=Decimal("12.34"),
            )
        )
    return rows


@pytest.mark.parametrize("n", [5, 500])
def test_petition_figures_cost_the_same_queries_for_5_or_500_petitions(
    n, new_petition, villages, django_assert_num_queries
):
    Petition.objects.bulk_create(_many_petitions(new_petition, villages[0], n))

    # calendar, counts by month/channel/kind, by category/village, the calendar band
    with django_assert_num_queries(4):
        figures = petition_figures(2020, as_of=d(2020, 12, 31))
    assert figures.total == n


@pytest.mark.parametrize("n", [5, 500])
def test_dispute_figures_cost_the_same_queries_for_5_or_500_disputes(
    n, new_dispute, villages, django_assert_num_queries
):
    Dispute.objects.bulk_create(_many_disputes(new_dispute, villages[0], n))

    # calendar, counts by month/type/source, by village, the calendar band
    with django_assert_num_queries(4):
        figures = dispute_figures(2020, as_of=d(2020, 12, 31))
    assert figures.registered == n


def test_a_loaded_calendar_saves_its_query(petitions, django_assert_num_queries):
    calendar = WorkCalendar.load()

    with django_assert_num_queries(3):
        petition_figures(2020, calendar=calendar)
    with django_assert_num_queries(3):
        dispute_figures(2020, calendar=calendar)


# --- The SQL shortcut agrees with the clocks -------------------------------------------------


def test_deadline_figures_agree_with_the_clocks_case_by_case(new_petition, new_dispute, villages):
    Petition.objects.bulk_create(_many_petitions(new_petition, villages[0], 400))
    Dispute.objects.bulk_create(_many_disputes(new_dispute, villages[0], 400))
    calendar = WorkCalendar.load()
    as_of = d(2020, 11, 30)

    timely = concluded_on_time = within_month = 0
    for petition in Petition.objects.filter(received_on__lte=as_of):
        for clock in petition_clocks(petition, calendar):
            if clock.stopped_on is None or clock.stopped_on > as_of:
                continue
            on_time = clock.stopped_on <= clock.due.date
            timely += clock.label == "受理期限" and on_time
            concluded_on_time += clock.label == "办结期限" and on_time
    for dispute in Dispute.objects.filter(received_on__lte=as_of):
        for clock in dispute_clocks(dispute, calendar):
            if clock.label == "调解期限" and clock.stopped_on and clock.stopped_on <= as_of:
                within_month += clock.stopped_on <= clock.due.date

    petition_result = petition_figures(2020, as_of=as_of)
    dispute_result = dispute_figures(2020, as_of=as_of)
    assert petition_result.timely_decided == timely
    assert petition_result.concluded_on_time == concluded_on_time
    assert dispute_result.concluded_within_month == within_month
    # The data reach into the band on both sides, so the exact check is exercised.
    assert 0 < timely < petition_result.decided
    assert 0 < concluded_on_time < petition_result.concluded
    assert 0 < within_month < dispute_result.concluded

"""The workflow of a petition (信访件): registration, acceptance, extension, conclusion, reply, review.

Due dates were checked by hand against the State Council holiday schedules:
- 2020 (国办发明电〔2019〕16号): 劳动节 5月1日至5日放假; 国庆中秋 10月1日至8日放假,
  9月27日（星期日）、10月10日（星期六）上班.
- 2022 (国办发明电〔2021〕11号): 劳动节 4月30日至5月4日放假, 4月24日（星期日）、
  5月7日（星期六）上班.
"""

import datetime as dt
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError

from disputes.clocks import current_clock, petition_clocks
from disputes.models import Event, Petition
from disputes.services import (
    petition_accept,
    petition_conclude,
    petition_extend,
    petition_rate,
    petition_record_review,
    petition_reject,
    petition_reply,
)
from disputes.tests.builders import register_petition, someone
from miaoba.models import CalendarDay
from miaoba.workcalendar import WorkCalendar

pytestmark = pytest.mark.django_db


def clock(petition: Petition, label: str):
    return next(c for c in petition_clocks(petition, WorkCalendar.load()) if c.label == label)


@pytest.fixture
def petition(clerk, justice_office) -> Petition:
    """A petition received and accepted on Monday 2 March 2020 (2005 rule)."""
    return register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2))


@pytest.fixture
def accepted(petition, clerk) -> Petition:
    return petition_accept(petition, by=clerk, on=dt.date(2020, 3, 2))


@pytest.fixture
def replied(clerk, justice_office) -> Petition:
    """A petition replied to on Monday 1 March 2021."""
    p = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 4))
    petition_accept(p, by=clerk, on=dt.date(2021, 1, 5))
    petition_conclude(p, by=clerk, on=dt.date(2021, 2, 1), outcome=Petition.Outcome.EXPLAIN)
    return petition_reply(p, by=clerk, on=dt.date(2021, 3, 1), form="书面送达")


def messages(excinfo) -> list[str]:
    return excinfo.value.messages


# --- Registration ----------------------------------------------------------------------------


def test_registration_numbers_run_per_year_and_restart_at_one(clerk, justice_office):
    first = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2))
    second = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 3))
    next_year = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 4))

    assert first.number == "信〔2020〕1号"
    assert second.number == "信〔2020〕2号"
    assert next_year.number == "信〔2021〕1号"
    assert (next_year.year, next_year.serial) == (2021, 1)


def test_five_petitioners_make_a_collective_petition(clerk, justice_office):
    people = [someone(name) for name in ["张一", "张二", "张三", "张四", "张五"]]
    petition = register_petition(
        by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2), petitioners=people
    )

    assert petition.headcount == 5
    assert petition.is_collective
    assert petition.petitioners.count() == 5
    assert "5人集体访" in petition.events.get(action="登记").note


def test_headcount_of_five_with_one_registered_petitioner_is_collective(clerk, justice_office):
    petition = register_petition(
        by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2), headcount=5
    )

    assert petition.is_collective


def test_four_petitioners_are_not_collective(clerk, justice_office):
    petition = register_petition(
        by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2), headcount=4
    )

    assert not petition.is_collective


def test_headcount_below_registered_petitioners_is_refused(clerk, justice_office):
    with pytest.raises(ValidationError) as excinfo:
        register_petition(
            by=clerk,
            unit=justice_office,
            received_on=dt.date(2020, 3, 2),
            petitioners=[someone("张一"), someone("张二")],
            headcount=1,
        )

    assert excinfo.value.message_dict == {"headcount": ["信访人数不能少于已登记的信访人（2人）。"]}


def test_petition_received_2022_04_30_falls_under_the_2005_rule(clerk, justice_office):
    petition = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2022, 4, 30))

    assert petition.rule == "2005"
    assert petition.rule_name == "《信访条例》（2005年）"
    acceptance = clock(petition, "受理期限")
    assert acceptance.basis == "《信访条例》第二十一条、第二十二条"
    # 4月30日 + 15 = 5月15日, a Sunday
    assert acceptance.due.date == dt.date(2022, 5, 16)


def test_petition_received_2022_05_01_falls_under_the_2022_rule(clerk, justice_office):
    petition = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2022, 5, 1))

    assert petition.rule == "2022"
    assert petition.rule_name == "《信访工作条例》（2022年）"
    acceptance = clock(petition, "受理期限")
    assert acceptance.basis == "《信访工作条例》第二十三条"
    assert acceptance.due.date == dt.date(2022, 5, 16)
    petition_accept(petition, by=clerk, on=dt.date(2022, 5, 5))
    assert clock(petition, "办结期限").basis == "《信访工作条例》第三十四条"


# --- Deadlines -------------------------------------------------------------------------------


def test_acceptance_deadline_is_fifteen_days_from_receipt(petition):
    due = clock(petition, "受理期限").due

    assert due.date == dt.date(2020, 3, 17)
    assert due.explanation == "自2020年3月2日起15日，至2020年3月17日"


def test_acceptance_deadline_ending_on_national_day_moves_to_the_day_after_it(
    clerk, justice_office
):
    petition = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 9, 16))

    due = clock(petition, "受理期限").due

    assert due.date == dt.date(2020, 10, 9)
    assert due.explanation == (
        "自2020年9月16日起15日，期满日2020年10月1日为国庆中秋假期，顺延至2020年10月9日"
    )


def test_conclusion_deadline_is_sixty_days_from_acceptance(accepted):
    conclusion = clock(accepted, "办结期限")

    # 3月2日 + 60 = 5月1日, in the 劳动节 holiday (5月1日至5日)
    assert conclusion.due.date == dt.date(2020, 5, 6)
    assert conclusion.due.explanation == (
        "自2020年3月2日起60日，期满日2020年5月1日为劳动节假期，顺延至2020年5月6日"
    )
    assert conclusion.basis == "《信访条例》第三十三条"


# --- Extension (延期) ------------------------------------------------------------------------


def test_extension_of_30_days_approved_by_a_leader_moves_the_due_date(accepted, clerk, leader):
    petition_extend(
        accepted,
        by=clerk,
        on=dt.date(2020, 4, 20),
        days=30,
        reason="需要实地勘查排水沟走向",
        approved_by=leader,
    )

    accepted.refresh_from_db()
    assert accepted.extension_days == 30
    assert accepted.extension_approved_by == leader
    due = clock(accepted, "办结期限").due
    # 3月2日 + 90 = 5月31日, a Sunday
    assert due.date == dt.date(2020, 6, 1)
    assert due.explanation == (
        "受理后60日，经批准延期30日；自2020年3月2日起90日，期满日2020年5月31日为星期日，"
        "顺延至2020年6月1日"
    )


def test_extension_beyond_30_days_is_refused(accepted, clerk, leader):
    with pytest.raises(ValidationError) as excinfo:
        petition_extend(
            accepted, by=clerk, on=dt.date(2020, 4, 20), days=31, reason="勘查", approved_by=leader
        )

    assert excinfo.value.message_dict == {
        "extension_days": ["延期不得超过30日（《信访条例》（2005年）），您填写的是31日。"]
    }
    accepted.refresh_from_db()
    assert accepted.extension_days is None


def test_second_extension_is_refused(accepted, clerk, leader):
    petition_extend(
        accepted, by=clerk, on=dt.date(2020, 4, 20), days=10, reason="勘查", approved_by=leader
    )

    with pytest.raises(ValidationError) as excinfo:
        petition_extend(
            accepted,
            by=clerk,
            on=dt.date(2020, 4, 21),
            days=10,
            reason="再勘查",
            approved_by=leader,
        )

    assert messages(excinfo) == ["该信访件已延期一次，办理期限只能延长一次。"]


def test_extension_approved_by_a_non_leader_is_refused(accepted, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_extend(
            accepted, by=clerk, on=dt.date(2020, 4, 20), days=30, reason="勘查", approved_by=clerk
        )

    assert excinfo.value.message_dict == {
        "extension_approved_by": ["延期须经领导批准，请选择批准领导。"]
    }


def test_extension_on_the_last_day_of_the_sixty_days_is_allowed(accepted, clerk, leader):
    petition_extend(
        accepted, by=clerk, on=dt.date(2020, 5, 6), days=30, reason="勘查", approved_by=leader
    )

    assert accepted.extension_days == 30


def test_extension_after_the_sixty_days_ran_out_is_refused(accepted, clerk, leader):
    with pytest.raises(ValidationError) as excinfo:
        petition_extend(
            accepted, by=clerk, on=dt.date(2020, 5, 7), days=30, reason="勘查", approved_by=leader
        )

    assert excinfo.value.message_dict == {
        "extended_on": ["办结期限已于2020年5月6日届满，不能再批准延期。"]
    }


# --- Conclusion, reply, rejection ------------------------------------------------------------


def test_conclusion_without_an_outcome_is_refused(accepted, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_conclude(accepted, by=clerk, on=dt.date(2020, 4, 1), outcome="")

    assert excinfo.value.message_dict == {
        "outcome": ["办结须选择处理意见（支持、解释说明或不予支持）。"]
    }
    accepted.refresh_from_db()
    assert accepted.status == Petition.Status.ACCEPTED


def test_conclusion_before_acceptance_is_refused(petition, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_conclude(
            petition, by=clerk, on=dt.date(2020, 4, 1), outcome=Petition.Outcome.SUPPORT
        )

    assert "尚未受理" in messages(excinfo)[0]


def test_reply_before_acceptance_is_refused(petition, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_reply(petition, by=clerk, on=dt.date(2020, 4, 1), form="书面送达")

    assert messages(excinfo) == ["信访件尚未受理，不能答复。请先作出受理决定。"]


def test_reply_before_conclusion_is_refused(accepted, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_reply(accepted, by=clerk, on=dt.date(2020, 4, 1), form="书面送达")

    assert messages(excinfo) == ["信访件尚未办结，不能答复。请先出具处理意见书办结。"]


def test_rejection_without_a_reason_is_refused(petition, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_reject(
            petition, by=clerk, on=dt.date(2020, 3, 5), reason="  ", redirect_to="县信访办"
        )

    assert excinfo.value.message_dict == {"rejection_reason": ["不予受理须写明理由。"]}


def test_rejection_with_a_reason_is_the_reply(petition, clerk):
    petition_reject(
        petition,
        by=clerk,
        on=dt.date(2020, 3, 5),
        reason="已进入诉讼程序",
        redirect_to="城口县人民法院",
    )

    petition.refresh_from_db()
    assert petition.status == Petition.Status.REJECTED
    assert petition.is_closed
    assert petition.replied_on == dt.date(2020, 3, 5)
    assert petition.reply_form == "不予受理告知书"
    assert petition.events.get(action="不予受理").note == (
        "理由：已进入诉讼程序；告知向城口县人民法院提出"
    )


# --- 复查 and 复核 ---------------------------------------------------------------------------


def test_review_requested_30_days_after_the_reply_is_accepted(replied, clerk):
    petition_record_review(replied, by=clerk, level="review", requested_on=dt.date(2021, 3, 31))

    replied.refresh_from_db()
    assert replied.review_requested_on == dt.date(2021, 3, 31)


def test_review_requested_31_days_after_the_reply_is_refused(replied, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_record_review(replied, by=clerk, level="review", requested_on=dt.date(2021, 4, 1))

    assert excinfo.value.message_dict == {
        "review_requested_on": [
            "复查申请应在答复日期后30日内提出（自2021年3月1日起30日，至2021年3月31日），"
            "已超过期限。"
        ]
    }


def test_review_window_ending_on_national_day_runs_to_the_day_after_it(clerk, justice_office):
    petition = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 7, 1))
    petition_accept(petition, by=clerk, on=dt.date(2020, 7, 2))
    petition_conclude(petition, by=clerk, on=dt.date(2020, 8, 3), outcome=Petition.Outcome.DENY)
    petition_reply(petition, by=clerk, on=dt.date(2020, 9, 1), form="书面送达")

    # 9月1日 + 30 = 10月1日, in the 国庆中秋 holiday: the window runs to 10月9日
    petition_record_review(petition, by=clerk, level="review", requested_on=dt.date(2020, 10, 9))

    assert petition.review_requested_on == dt.date(2020, 10, 9)


def test_recheck_before_a_review_opinion_is_refused(replied, clerk):
    petition_record_review(replied, by=clerk, level="review", requested_on=dt.date(2021, 3, 10))

    with pytest.raises(ValidationError) as excinfo:
        petition_record_review(
            replied, by=clerk, level="recheck", requested_on=dt.date(2021, 3, 20)
        )

    assert messages(excinfo) == ["复查意见作出后才能登记复核。"]


def test_recheck_within_30_days_of_the_review_opinion_is_recorded(replied, clerk):
    petition_record_review(
        replied,
        by=clerk,
        level="review",
        requested_on=dt.date(2021, 3, 10),
        result=Petition.ReviewResult.UPHELD,
        concluded_on=dt.date(2021, 4, 6),
    )

    petition_record_review(replied, by=clerk, level="recheck", requested_on=dt.date(2021, 4, 20))

    replied.refresh_from_db()
    assert replied.recheck_requested_on == dt.date(2021, 4, 20)


# --- Timeline and dates ----------------------------------------------------------------------


def test_every_step_writes_an_event_with_who_and_what(accepted, clerk, leader):
    petition_extend(
        accepted, by=clerk, on=dt.date(2020, 4, 20), days=15, reason="勘查", approved_by=leader
    )
    petition_conclude(accepted, by=clerk, on=dt.date(2020, 5, 8), outcome=Petition.Outcome.SUPPORT)
    petition_reply(accepted, by=clerk, on=dt.date(2020, 5, 11), form="当面答复")
    petition_rate(
        accepted, by=clerk, on=dt.date(2020, 5, 12), satisfaction=Petition.Satisfaction.SATISFIED
    )

    timeline = [
        (e.action, e.on, e.by.username, e.note)
        for e in Event.objects.filter(petition=accepted).select_related("by")
    ]
    assert timeline == [
        ("登记", dt.date(2020, 3, 2), "clerk", "来访（走访），1名信访人"),
        ("受理", dt.date(2020, 3, 2), "clerk", "书面告知信访人已受理"),
        ("延期", dt.date(2020, 4, 20), "clerk", "延长15日，经王镇长批准；理由：勘查"),
        ("办结", dt.date(2020, 5, 8), "clerk", "处理意见：支持"),
        ("答复", dt.date(2020, 5, 11), "clerk", "答复方式：当面答复"),
        ("满意度评价", dt.date(2020, 5, 12), "clerk", "满意"),
    ]


def test_registration_dated_in_the_future_is_refused(clerk, justice_office):
    with (
        patch("miaoba.workflow.today", return_value=dt.date(2020, 3, 10)),
        pytest.raises(ValidationError) as excinfo,
    ):
        register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 11))

    assert excinfo.value.message_dict == {
        "received_on": ["日期2020年3月11日晚于今天，不能预先登记。"]
    }
    assert not Petition.objects.exists()


def test_acceptance_dated_in_the_future_is_refused(petition, clerk):
    with (
        patch("miaoba.workflow.today", return_value=dt.date(2020, 3, 10)),
        pytest.raises(ValidationError) as excinfo,
    ):
        petition_accept(petition, by=clerk, on=dt.date(2020, 3, 11))

    assert "decided_on" in excinfo.value.message_dict


def test_rating_dated_in_the_future_is_refused(clerk, justice_office):
    petition = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2))
    petition_accept(petition, by=clerk, on=dt.date(2020, 3, 3))
    petition_conclude(petition, by=clerk, on=dt.date(2020, 3, 4), outcome=Petition.Outcome.SUPPORT)
    petition_reply(petition, by=clerk, on=dt.date(2020, 3, 5), form="当面答复")

    with (
        patch("miaoba.workflow.today", return_value=dt.date(2020, 3, 10)),
        pytest.raises(ValidationError) as excinfo,
    ):
        petition_rate(
            petition,
            by=clerk,
            on=dt.date(2020, 3, 11),
            satisfaction=Petition.Satisfaction.BASICALLY,
        )

    assert "satisfaction" in excinfo.value.message_dict


# --- Traffic light ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "light", "text"),
    [
        (dt.date(2020, 3, 13), "green", "剩余4天"),
        (dt.date(2020, 3, 14), "amber", "剩余3天"),
        (dt.date(2020, 3, 17), "amber", "今日到期"),
        (dt.date(2020, 3, 22), "red", "超期5天"),
    ],
)
def test_acceptance_clock_light_and_text_on_a_given_day(petition, today, light, text):
    acceptance = clock(petition, "受理期限")  # due 2020-03-17

    assert acceptance.light(today) == light
    assert acceptance.status_text(today) == text


def test_acceptance_clock_done_in_time_is_grey(petition, clerk):
    petition_accept(petition, by=clerk, on=dt.date(2020, 3, 10))

    acceptance = clock(petition, "受理期限")
    assert acceptance.light(dt.date(2020, 6, 1)) == "grey"
    assert acceptance.status_text(dt.date(2020, 6, 1)) == "按期完成"


def test_acceptance_clock_done_late_is_red_and_says_by_how_much(petition, clerk):
    petition_accept(petition, by=clerk, on=dt.date(2020, 3, 19))

    acceptance = clock(petition, "受理期限")
    assert acceptance.light(dt.date(2020, 6, 1)) == "red"
    assert acceptance.status_text(dt.date(2020, 6, 1)) == "超期2天完成"


# --- Transferred petitions and the calendar --------------------------------------------------


def test_transferred_petition_under_2022_rule_has_a_five_working_day_objection_window(
    clerk, justice_office
):
    petition = register_petition(
        by=clerk,
        unit=justice_office,
        received_on=dt.date(2022, 5, 5),
        channel=Petition.Channel.TRANSFERRED,
    )

    window = clock(petition, "转送异议期限")
    # 5/6, 5/7 (Saturday worked for 劳动节), 5/9, 5/10, 5/11
    assert window.due.date == dt.date(2022, 5, 11)
    assert window.due.explanation == (
        "自2022年5月5日起5个工作日，含5月7日调休上班日，至2022年5月11日"
    )
    assert window.basis == "《信访工作条例》第二十三条"


def test_accepting_a_transferred_petition_after_the_objection_window_is_not_late(
    clerk, justice_office
):
    petition = register_petition(
        by=clerk,
        unit=justice_office,
        received_on=dt.date(2022, 5, 5),
        channel=Petition.Channel.TRANSFERRED,
    )
    today = dt.date(2022, 5, 13)  # window ended 5/11; acceptance due 5/20

    assert current_clock(petition_clocks(petition, WorkCalendar.load())).label == "受理期限"
    assert clock(petition, "转送异议期限").light(today) == "grey"

    petition_accept(petition, by=clerk, on=today)

    assert clock(petition, "转送异议期限").light(today) == "grey"
    assert clock(petition, "受理期限").light(today) == "grey"


def test_transferred_petition_under_2005_rule_has_no_objection_window(clerk, justice_office):
    petition = register_petition(
        by=clerk,
        unit=justice_office,
        received_on=dt.date(2021, 5, 6),
        channel=Petition.Channel.TRANSFERRED,
    )

    labels = [c.label for c in petition_clocks(petition, WorkCalendar.load())]
    assert labels == ["受理期限"]


def test_adding_a_holiday_to_the_calendar_moves_an_open_petitions_due_date(petition):
    assert clock(petition, "受理期限").due.date == dt.date(2020, 3, 17)

    CalendarDay.objects.create(
        date=dt.date(2020, 3, 17), kind=CalendarDay.Kind.HOLIDAY, name="防汛"
    )

    due = clock(petition, "受理期限").due
    assert due.date == dt.date(2020, 3, 18)
    assert (
        due.explanation
        == "自2020年3月2日起15日，期满日2020年3月17日为防汛假期，顺延至2020年3月18日"
    )

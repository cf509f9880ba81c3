"""Each step's date checked against the dates it depends on, with the rule named (issue 17).

The petition of the issue: replied on Friday 3 September 2021; 复查 requested on 8 October 2021
(the first working day after National Day, the last day of the 30-day window: 3 September + 30
= 3 October, inside the 1–7 October holiday), opinion 维持 on 31 December 2021; 复核 requested
on 30 January 2022. Received in 2021, so 《信访条例》(2005) governs it.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disputes.clocks import petition_clocks
from disputes.models import Dispute, Petition
from disputes.services import (
    dispute_accept,
    dispute_conclude,
    dispute_record_court,
    petition_accept,
    petition_conclude,
    petition_record_review,
    petition_record_review_opinion,
    petition_reply,
)
from disputes.tests.builders import register_dispute, register_petition
from miaoba.workcalendar import WorkCalendar

pytestmark = pytest.mark.django_db
d = dt.date
UPHELD, CHANGED = Petition.ReviewResult.UPHELD, Petition.ReviewResult.CHANGED


@pytest.fixture
def concluded(clerk, justice_office) -> Petition:
    """Received 2 August 2021, accepted 3 August, concluded (解释说明) 1 September 2021."""
    p = register_petition(by=clerk, unit=justice_office, received_on=d(2021, 8, 2))
    petition_accept(p, by=clerk, on=d(2021, 8, 3))
    return petition_conclude(p, by=clerk, on=d(2021, 9, 1), outcome=Petition.Outcome.EXPLAIN)


@pytest.fixture
def replied(concluded, clerk) -> Petition:
    return petition_reply(concluded, by=clerk, on=d(2021, 9, 3), form="书面送达")


@pytest.fixture
def reviewed(replied, clerk) -> Petition:
    """复查 requested 2021-10-08, 维持 on 2021-12-31 (84 days after the request)."""
    petition_record_review(replied, by=clerk, level="review", requested_on=d(2021, 10, 8))
    return petition_record_review_opinion(
        replied, by=clerk, level="review", result=UPHELD, concluded_on=d(2021, 12, 31)
    )


@pytest.fixture
def rechecked(reviewed, clerk) -> Petition:
    """复核 requested 2022-01-30 and 维持 on 2022-02-25."""
    return petition_record_review(
        reviewed,
        by=clerk,
        level="recheck",
        requested_on=d(2022, 1, 30),
        result=UPHELD,
        concluded_on=d(2022, 2, 25),
    )


# --- Recorded once -----------------------------------------------------------------------------


def test_a_second_review_over_a_recorded_one_is_refused_and_the_file_is_unchanged(rechecked, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_record_review(
            rechecked,
            by=clerk,
            level="review",
            requested_on=d(2021, 9, 5),
            result=CHANGED,
            concluded_on=d(2021, 9, 10),
        )

    assert excinfo.value.messages == [
        "复查申请已于2021-10-08登记，不能再次登记；复查意见请用“登记复查意见”，登记有误的请更正。"
    ]
    rechecked.refresh_from_db()
    assert (
        rechecked.review_requested_on,
        rechecked.review_result,
        rechecked.review_concluded_on,
    ) == (d(2021, 10, 8), UPHELD, d(2021, 12, 31))


def test_posting_the_recheck_opinion_step_after_its_result_is_on_file_overwrites_nothing(
    client, clerk, rechecked
):
    client.force_login(clerk)

    response = client.post(
        f"/disputes/petitions/{rechecked.pk}/recheck_opinion/",
        {
            "recheck_result": CHANGED,
            "recheck_concluded_on": "2022-03-01",
            "version": str(rechecked.version),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "复核意见已于2022-02-25登记，不能再次登记；如有错误请更正。"
    ]
    rechecked.refresh_from_db()
    assert (rechecked.recheck_result, rechecked.recheck_concluded_on) == (UPHELD, d(2022, 2, 25))


# --- Dates against the dates they depend on -------------------------------------------------


def test_reply_before_the_conclusion_is_refused(concluded, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_reply(concluded, by=clerk, on=d(2021, 8, 31), form="书面送达")

    assert excinfo.value.message_dict == {
        "replied_on": [
            "日期不能早于办结日期（2021年9月1日）：答复送达的是办结时出具的处理意见书，应在办结之后。"
        ]
    }


def test_review_opinion_before_its_request_is_refused(replied, clerk):
    petition_record_review(replied, by=clerk, level="review", requested_on=d(2021, 10, 8))

    with pytest.raises(ValidationError) as excinfo:
        petition_record_review_opinion(
            replied, by=clerk, level="review", result=UPHELD, concluded_on=d(2021, 10, 1)
        )

    assert excinfo.value.message_dict == {
        "review_concluded_on": [
            "日期不能早于复查申请日期（2021年10月8日）：复查意见在收到复查请求之后作出，"
            "《信访条例》第三十四条。"
        ]
    }


def test_recheck_requested_before_the_review_opinion_is_refused(reviewed, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_record_review(reviewed, by=clerk, level="recheck", requested_on=d(2021, 12, 20))

    assert excinfo.value.message_dict == {
        "recheck_requested_on": [
            "日期不能早于复查意见日期（2021年12月31日）：复核应在收到复查意见之后请求。"
        ]
    }
    reviewed.refresh_from_db()
    assert reviewed.recheck_requested_on is None


def test_recheck_opinion_before_its_request_is_refused(reviewed, clerk):
    petition_record_review(reviewed, by=clerk, level="recheck", requested_on=d(2022, 1, 30))

    with pytest.raises(ValidationError) as excinfo:
        petition_record_review_opinion(
            reviewed, by=clerk, level="recheck", result=UPHELD, concluded_on=d(2022, 1, 29)
        )

    assert excinfo.value.message_dict == {
        "recheck_concluded_on": [
            "日期不能早于复核申请日期（2022年1月30日）：复核意见在收到复核请求之后作出，"
            "《信访条例》第三十五条。"
        ]
    }


@pytest.fixture
def mediated(clerk, justice_office) -> Dispute:
    """A dispute received 13 September 2021 and accepted the next day."""
    dispute = register_dispute(by=clerk, unit=justice_office, received_on=d(2021, 9, 13))
    return dispute_accept(dispute, by=clerk, on=d(2021, 9, 14))


def _agree(dispute, clerk, **extra):
    return dispute_conclude(
        dispute,
        by=clerk,
        on=d(2021, 10, 12),
        result=Dispute.Status.SUCCEEDED,
        agreement_form=Dispute.AgreementForm.WRITTEN,
        agreement_text="李四于2021年11月1日前拆除堵路的柴堆",
        **extra,
    )


def test_agreement_taking_effect_before_mediation_ended_is_refused(mediated, clerk):
    with pytest.raises(ValidationError) as excinfo:
        _agree(mediated, clerk, effective_on=d(2021, 9, 1))

    assert excinfo.value.message_dict == {
        "agreement_effective_on": [
            "日期不能早于调结日期（2021年10月12日）：调解协议自各方签字或达成之日起生效，"
            "不早于调解结束（《人民调解法》第二十九条、第三十条）。"
        ]
    }
    mediated.refresh_from_db()
    assert (mediated.status, mediated.agreement_effective_on) == (Dispute.Status.ACCEPTED, None)


def test_court_confirmation_applied_for_before_the_agreement_took_effect_is_refused(
    mediated, clerk
):
    _agree(mediated, clerk)

    with pytest.raises(ValidationError) as excinfo:
        dispute_record_court(mediated, by=clerk, applied_on=d(2021, 10, 8))

    assert excinfo.value.message_dict == {
        "court_applied_on": [
            "日期不能早于协议生效日期（2021年10月12日）：司法确认申请的是已生效的调解协议"
            "（《人民调解法》第三十三条）。"
        ]
    }
    mediated.refresh_from_db()
    assert mediated.court_applied_on is None


# --- 复查 and 复核 opinion clocks (30 days each) ----------------------------------------------


def _clock(petition, label):
    return next(c for c in petition_clocks(petition, WorkCalendar.load()) if c.label == label)


def test_review_opinion_84_days_after_the_request_shows_late(reviewed):
    review = _clock(reviewed, "复查意见期限")

    # 8 October + 30 days = Sunday 7 November 2021, moved to Monday 8 November (民法典 第二百零三条)
    assert review.due.date == d(2021, 11, 8)
    assert review.basis == "《信访条例》第三十四条"
    assert review.status_text(d(2022, 1, 5)) == "超期53天完成"
    assert review.light(d(2022, 1, 5)) == "red"


def test_recheck_opinion_clock_runs_from_the_request(reviewed, clerk):
    petition_record_review(reviewed, by=clerk, level="recheck", requested_on=d(2022, 1, 30))

    recheck = _clock(reviewed, "复核意见期限")

    # 30 January + 30 days = 1 March 2022
    assert recheck.due.date == d(2022, 3, 1)
    assert recheck.basis == "《信访条例》第三十五条"
    assert recheck.status_text(d(2022, 2, 27)) == "剩余2天"
    assert recheck.light(d(2022, 2, 27)) == "amber"
    assert recheck.status_text(d(2022, 3, 4)) == "超期3天"


@pytest.fixture
def review_requested(replied, clerk) -> Petition:
    return petition_record_review(replied, by=clerk, level="review", requested_on=d(2021, 10, 8))


def test_open_review_shows_on_the_workbench_due_soon_then_overdue(
    review_requested, clerk, outsider
):
    from disputes.selectors import open_deadlines_for

    soon = open_deadlines_for(clerk, today=d(2021, 11, 6))
    late = open_deadlines_for(clerk, today=d(2021, 11, 20))

    assert [(i["title"], i["due"], i["light"], i["remaining"]) for i in soon] == [
        ("信〔2021〕1号 复查意见期限", d(2021, 11, 8), "amber", "剩余2天")
    ]
    assert [(i["title"], i["light"], i["remaining"]) for i in late] == [
        ("信〔2021〕1号 复查意见期限", "red", "超期12天")
    ]
    assert open_deadlines_for(outsider, today=d(2021, 11, 20)) == []


def test_open_recheck_is_counted_overdue_after_its_30_days(reviewed, clerk):
    from disputes.clocks import overdue_petition_ids

    petition_record_review(reviewed, by=clerk, level="recheck", requested_on=d(2022, 1, 30))

    assert overdue_petition_ids(Petition.objects.all(), today=d(2022, 3, 1)) == []
    assert overdue_petition_ids(Petition.objects.all(), today=d(2022, 3, 2)) == [reviewed.pk]


def test_petition_page_shows_both_opinion_clocks(client, clerk, reviewed):
    petition_record_review(reviewed, by=clerk, level="recheck", requested_on=d(2022, 1, 30))
    client.force_login(clerk)

    page = client.get(f"/disputes/petitions/{reviewed.pk}/").content.decode()

    assert "复查意见期限" in page
    assert "复查意见期限</strong>：2021年11月8日" in page
    assert "超期53天完成" in page
    assert "复核意见期限" in page
    assert "复核意见期限</strong>：2022年3月1日" in page


# --- A ledger does not write over a step on file --------------------------------------------


def _reimport(clerk, **cells):
    from disputes.resources import PetitionResource, import_ledger
    from disputes.tests.ledger_data import petition_row
    from miaoba.tests.ledger_files import xlsx_bytes

    rows = [PetitionResource.headers(), petition_row(**cells)]
    return import_ledger("petitions", xlsx_bytes(rows), "台账.xlsx", user=clerk)


def test_ledger_row_changing_a_recorded_conclusion_is_refused(concluded, clerk):
    from miaoba.ledger import RowError

    plan = _reimport(
        clerk,
        编号=concluded.number,
        登记日期="2021-08-02",
        主要内容=concluded.summary,
        状态="已办结",
        受理决定日期="2021-08-03",
        办结日期="2021-09-06",
        处理意见="解释说明",
    )

    assert plan.errors == [
        RowError(
            2,
            "办结日期",
            "信〔2021〕1号的“办结”已登记（2021-09-01），导入不能改写已登记的办理环节；"
            "如有错误请在该件页面“更正”并写明理由。",
        )
    ]
    concluded.refresh_from_db()
    assert concluded.concluded_on == d(2021, 9, 1)


def test_ledger_row_adding_the_reply_to_a_concluded_petition_is_imported(concluded, clerk):
    plan = _reimport(
        clerk,
        编号=concluded.number,
        登记日期="2021-08-02",
        主要内容=concluded.summary,
        状态="已答复",
        受理决定日期="2021-08-03",
        办结日期="2021-09-01",
        处理意见="解释说明",
        答复日期="2021-09-03",
        答复方式="书面送达",
    )

    assert plan.errors == []
    concluded.refresh_from_db()
    assert (concluded.status, concluded.replied_on) == (Petition.Status.REPLIED, d(2021, 9, 3))

"""The workflow of a dispute (矛盾纠纷) in people's mediation (人民调解).

Due dates were checked by hand against the 2021 State Council schedule (国办发明电〔2020〕27号):
春节 2月11日至17日放假, 2月7日（星期日）、2月20日（星期六）上班.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from disputes.clocks import dispute_clocks
from disputes.models import Dispute, Party
from disputes.services import (
    dispute_accept,
    dispute_conclude,
    dispute_follow_up,
    dispute_record_court,
    dispute_record_performance,
    dispute_reject,
    dispute_reply,
)
from disputes.tests.builders import register_dispute, someone
from miaoba.workcalendar import WorkCalendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(clerk, justice_office) -> Dispute:
    """A dispute registered on 11 January 2021 and accepted on 12 January 2021."""
    d = register_dispute(by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 11))
    return dispute_accept(d, by=clerk, on=dt.date(2021, 1, 12))


def written_success(dispute: Dispute, by, on: dt.date) -> Dispute:
    return dispute_conclude(
        dispute,
        by=by,
        on=on,
        result=Dispute.Status.SUCCEEDED,
        agreement_form=Dispute.AgreementForm.WRITTEN,
        agreement_text="李四于2021年3月1日前拆除堵路的柴堆",
    )


# --- Registration ----------------------------------------------------------------------------


def test_dispute_with_one_party_is_refused(clerk, justice_office):
    with pytest.raises(ValidationError) as excinfo:
        register_dispute(
            by=clerk,
            unit=justice_office,
            received_on=dt.date(2021, 1, 11),
            parties=[(someone("张三"), Party.Side.APPLICANT)],
        )

    assert excinfo.value.message_dict == {"parties": ["矛盾纠纷至少有两方当事人。"]}


def test_dispute_without_a_respondent_is_refused(clerk, justice_office):
    with pytest.raises(ValidationError) as excinfo:
        register_dispute(
            by=clerk,
            unit=justice_office,
            received_on=dt.date(2021, 1, 11),
            parties=[
                (someone("张三"), Party.Side.APPLICANT),
                (someone("王五"), Party.Side.THIRD),
            ],
        )

    assert excinfo.value.message_dict == {"parties": ["请至少登记一名申请方和一名被申请方当事人。"]}
    assert not Dispute.objects.exists()


def test_negative_amount_is_refused(clerk, justice_office):
    with pytest.raises(ValidationError) as excinfo:
        register_dispute(
            by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 11), amount=Decimal("-1")
        )

    assert excinfo.value.message_dict == {"amount": ["涉及金额不能为负数。"]}


def test_amount_is_kept_with_two_decimals(clerk, justice_office):
    dispute = register_dispute(
        by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 11), amount=Decimal("12800.5")
    )

    dispute.refresh_from_db()
    assert dispute.amount == Decimal("12800.50")
    assert str(dispute.amount) == "12800.50"


def test_amount_with_three_decimals_is_refused(clerk, justice_office):
    with pytest.raises(ValidationError) as excinfo:
        register_dispute(
            by=clerk,
            unit=justice_office,
            received_on=dt.date(2021, 1, 11),
            amount=Decimal("100.125"),
        )

    assert "amount" in excinfo.value.message_dict


# --- Acceptance and the mediation month ------------------------------------------------------


def test_mediation_month_ending_in_spring_festival_runs_to_the_day_after_it(dispute):
    (mediation,) = dispute_clocks(dispute, WorkCalendar.load())

    assert mediation.label == "调解期限"
    assert mediation.due.date == dt.date(2021, 2, 18)
    assert mediation.due.explanation == (
        "自2021年1月12日起1个月，期满日2021年2月12日为春节假期，顺延至2021年2月18日"
    )
    assert mediation.basis == "《人民调解工作若干规定》第三十三条"


def test_declined_dispute_has_no_mediation_clock_and_may_be_replied(clerk, justice_office):
    d = register_dispute(by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 11))
    dispute_reject(d, by=clerk, on=dt.date(2021, 1, 12), reason="被申请方明确拒绝调解")

    assert dispute_clocks(d, WorkCalendar.load()) == []
    dispute_reply(d, by=clerk, on=dt.date(2021, 1, 13), form="当面告知")
    assert d.replied_on == dt.date(2021, 1, 13)


# --- Conclusion ------------------------------------------------------------------------------


def test_success_without_an_agreement_form_is_refused(dispute, clerk):
    with pytest.raises(ValidationError) as excinfo:
        dispute_conclude(
            dispute,
            by=clerk,
            on=dt.date(2021, 2, 1),
            result=Dispute.Status.SUCCEEDED,
            agreement_text="李四拆除柴堆",
        )

    assert excinfo.value.message_dict == {
        "agreement_form": ["调解成功须选择协议形式（书面或口头）。"]
    }


def test_oral_agreement_with_its_content_recorded_is_accepted(dispute, clerk):
    dispute_conclude(
        dispute,
        by=clerk,
        on=dt.date(2021, 2, 1),
        result=Dispute.Status.SUCCEEDED,
        agreement_form=Dispute.AgreementForm.ORAL,
        agreement_text="李四当场移走柴堆",
    )

    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.SUCCEEDED
    assert dispute.agreement_effective_on == dt.date(2021, 2, 1)
    assert dispute.performance == Dispute.Performance.ONGOING
    assert dispute.events.get(action="调解成功（口头协议）").note == "李四当场移走柴堆"


def test_oral_agreement_without_its_content_is_refused(dispute, clerk):
    with pytest.raises(ValidationError) as excinfo:
        dispute_conclude(
            dispute,
            by=clerk,
            on=dt.date(2021, 2, 1),
            result=Dispute.Status.SUCCEEDED,
            agreement_form=Dispute.AgreementForm.ORAL,
        )

    assert excinfo.value.message_dict == {
        "agreement_text": ["请填写口头协议的内容（第三十条要求记录）。"]
    }


def test_agreement_taking_effect_in_the_future_is_refused(dispute, clerk):
    with pytest.raises(ValidationError) as excinfo:
        dispute_conclude(
            dispute,
            by=clerk,
            on=dt.date(2021, 2, 1),
            result=Dispute.Status.SUCCEEDED,
            agreement_form=Dispute.AgreementForm.WRITTEN,
            agreement_text="李四拆除柴堆",
            effective_on=dt.date.today() + dt.timedelta(days=1),
        )

    assert "agreement_effective_on" in excinfo.value.message_dict


@pytest.mark.parametrize("result", [Dispute.Status.FAILED, Dispute.Status.TERMINATED])
def test_failure_or_termination_without_the_note_of_other_routes_is_refused(dispute, clerk, result):
    with pytest.raises(ValidationError) as excinfo:
        dispute_conclude(dispute, by=clerk, on=dt.date(2021, 2, 1), result=result)

    assert excinfo.value.message_dict == {
        "conclusion_note": ["请写明情况及告知当事人的其他解决途径（仲裁、行政、司法途径）。"]
    }


@pytest.mark.parametrize("result", [Dispute.Status.FAILED, Dispute.Status.TERMINATED])
def test_failure_or_termination_with_the_note_of_other_routes_is_recorded(dispute, clerk, result):
    dispute_conclude(
        dispute, by=clerk, on=dt.date(2021, 2, 1), result=result, note="已告知可向法院起诉"
    )

    dispute.refresh_from_db()
    assert dispute.status == result
    assert dispute.conclusion_note == "已告知可向法院起诉"
    assert dispute.events.get(action=Dispute.Status(result).label).note == "已告知可向法院起诉"


def test_conclusion_before_acceptance_is_refused(clerk, justice_office):
    d = register_dispute(by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 11))

    with pytest.raises(ValidationError) as excinfo:
        dispute_conclude(d, by=clerk, on=dt.date(2021, 2, 1), result=Dispute.Status.FAILED)

    assert excinfo.value.messages == ["纠纷尚未受理，不能登记调解结果。请先受理。"]


# --- Performance and court confirmation ------------------------------------------------------


def test_performance_before_success_is_refused(dispute, clerk):
    with pytest.raises(ValidationError) as excinfo:
        dispute_record_performance(
            dispute, by=clerk, on=dt.date(2021, 2, 1), performance=Dispute.Performance.DONE
        )

    assert excinfo.value.messages == ["只有调解成功的纠纷才有协议履行情况。"]


def test_performance_after_failed_mediation_is_refused(dispute, clerk):
    dispute_conclude(
        dispute, by=clerk, on=dt.date(2021, 2, 1), result=Dispute.Status.FAILED, note="告知起诉"
    )

    with pytest.raises(ValidationError):
        dispute_record_performance(
            dispute, by=clerk, on=dt.date(2021, 2, 2), performance=Dispute.Performance.DONE
        )


def test_performance_after_success_is_recorded(dispute, clerk):
    written_success(dispute, clerk, dt.date(2021, 2, 1))

    dispute_record_performance(
        dispute, by=clerk, on=dt.date(2021, 3, 2), performance=Dispute.Performance.DONE
    )

    dispute.refresh_from_db()
    assert dispute.performance == Dispute.Performance.DONE
    assert dispute.performance_checked_on == dt.date(2021, 3, 2)


def test_court_confirmation_of_an_oral_agreement_is_refused(dispute, clerk):
    dispute_conclude(
        dispute,
        by=clerk,
        on=dt.date(2021, 2, 1),
        result=Dispute.Status.SUCCEEDED,
        agreement_form=Dispute.AgreementForm.ORAL,
        agreement_text="李四当场移走柴堆",
    )

    with pytest.raises(ValidationError) as excinfo:
        dispute_record_court(dispute, by=clerk, applied_on=dt.date(2021, 2, 5))

    assert excinfo.value.messages == ["只有书面调解协议才能申请司法确认。"]


def test_court_confirmation_applied_30_days_after_the_agreement_is_recorded(dispute, clerk):
    written_success(dispute, clerk, dt.date(2021, 2, 1))

    dispute_record_court(dispute, by=clerk, applied_on=dt.date(2021, 3, 3))

    dispute.refresh_from_db()
    assert dispute.court_applied_on == dt.date(2021, 3, 3)
    window = next(c for c in dispute_clocks(dispute, WorkCalendar.load()) if not c.binding)
    assert window.label == "司法确认申请期"
    assert window.due.date == dt.date(2021, 3, 3)
    assert window.status_text(dt.date(2021, 3, 10)) == "按期完成"


def test_court_confirmation_applied_31_days_after_the_agreement_is_refused(dispute, clerk):
    written_success(dispute, clerk, dt.date(2021, 2, 1))

    with pytest.raises(ValidationError) as excinfo:
        dispute_record_court(dispute, by=clerk, applied_on=dt.date(2021, 3, 4))

    assert excinfo.value.message_dict == {
        "court_applied_on": [
            "司法确认应自协议生效之日（2021年2月1日）起30日内申请"
            "（自2021年2月1日起30日，至2021年3月3日）。"
        ]
    }


def test_court_window_ending_in_spring_festival_runs_to_the_day_after_it(clerk, justice_office):
    d = register_dispute(by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 4))
    dispute_accept(d, by=clerk, on=dt.date(2021, 1, 5))
    written_success(d, clerk, dt.date(2021, 1, 12))

    # 1月12日 + 30 = 2月11日, the first day of 春节 (2月11日至17日)
    dispute_record_court(d, by=clerk, applied_on=dt.date(2021, 2, 18))

    assert d.court_applied_on == dt.date(2021, 2, 18)


# --- Follow-up and reply ---------------------------------------------------------------------


def test_follow_up_during_mediation_is_refused(dispute, clerk):
    with pytest.raises(ValidationError) as excinfo:
        dispute_follow_up(dispute, by=clerk, on=dt.date(2021, 2, 1), note="双方关系缓和")

    assert excinfo.value.messages == ["调解结束后才能回访。"]


def test_reply_before_acceptance_is_refused(clerk, justice_office):
    d = register_dispute(by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 11))

    with pytest.raises(ValidationError) as excinfo:
        dispute_reply(d, by=clerk, on=dt.date(2021, 1, 12), form="当面答复")

    assert excinfo.value.messages == ["纠纷尚未受理，不能答复。"]


def test_reply_during_mediation_is_refused(dispute, clerk):
    with pytest.raises(ValidationError) as excinfo:
        dispute_reply(dispute, by=clerk, on=dt.date(2021, 2, 1), form="当面答复")

    assert excinfo.value.messages == ["纠纷尚未调解结束，不能答复。"]


def test_follow_up_and_reply_after_mediation_ended_are_on_the_timeline(dispute, clerk):
    written_success(dispute, clerk, dt.date(2021, 2, 1))
    dispute_follow_up(dispute, by=clerk, on=dt.date(2021, 3, 15), note="柴堆已拆除，通行正常")
    dispute_reply(dispute, by=clerk, on=dt.date(2021, 3, 16), form="当面答复")

    dispute.refresh_from_db()
    assert dispute.followed_up_on == dt.date(2021, 3, 15)
    assert dispute.replied_on == dt.date(2021, 3, 16)
    assert [(e.action, e.on, e.by_id) for e in dispute.events.all()] == [
        ("登记", dt.date(2021, 1, 11), clerk.pk),
        ("受理", dt.date(2021, 1, 12), clerk.pk),
        ("调解成功（书面协议）", dt.date(2021, 2, 1), clerk.pk),
        ("回访", dt.date(2021, 3, 15), clerk.pk),
        ("答复", dt.date(2021, 3, 16), clerk.pk),
    ]

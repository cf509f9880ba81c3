"""Each step of a 行政复议/行政应诉 case: recorded once, in order, guarded by the declared flow."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disputes.services import PersonData
from reconsideration import services as s
from reconsideration.models import Case
from reconsideration.tests.builders import register_case

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def lawsuit(clerk, justice_office):
    return register_case(by=clerk, unit=justice_office, received_on=d(2024, 3, 4))


def _refused(service, *args, **kwargs) -> ValidationError:
    """Call `service`, which must refuse; return its ValidationError."""
    with pytest.raises(ValidationError) as e:
        service(*args, **kwargs)
    return e.value


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_registration_keeps_the_plaintiff_masked_and_starts_the_timeline(lawsuit):
    link = lawsuit.applicant_links.get()
    assert link.name == "张三"
    assert link.masked_id_number == "500***********1237"
    assert lawsuit.status == Case.Status.REGISTERED
    assert [(e.action, e.note) for e in lawsuit.events.all()] == [
        ("登记", "行政诉讼，城口县人民法院，行政处罚；原告1名")
    ]


def test_the_same_case_number_is_not_registered_twice(clerk, justice_office, lawsuit):
    e = _refused(
        register_case,
        by=clerk,
        unit=justice_office,
        received_on=d(2024, 3, 5),
        case_number=lawsuit.case_number,
    )
    assert _message(e) == f"案号{lawsuit.case_number}已登记，请勿重复登记。"


def test_a_case_needs_an_applicant(clerk, justice_office):
    e = _refused(
        s.case_register,
        by=clerk, kind="行政复议", case_number="城府复〔2024〕9号", body="城口县人民政府",
        received_on=d(2024, 3, 4), act="罚款", act_kind="行政处罚", unit=justice_office,
        applicants=[],
    )  # fmt: skip
    assert _message(e) == "至少登记一名申请人（原告）。"


def test_answer_is_recorded_once_and_named_for_the_kind(clerk, lawsuit):
    s.case_answer(lawsuit, by=clerk, on=d(2024, 3, 15), note="事实清楚，程序合法")
    assert lawsuit.status == Case.Status.ANSWERED
    assert lawsuit.events.last().action == "提交答辩状"
    e = _refused(s.case_answer, lawsuit, by=clerk, on=d(2024, 3, 16))
    assert "不能办理“答复答辩”" in _message(e)


def test_an_entrusted_staff_member_needs_the_reason(clerk, lawsuit):
    s.case_answer(lawsuit, by=clerk, on=d(2024, 3, 15))
    e = _refused(
        s.case_hearing,
        lawsuit, by=clerk, on=d(2024, 4, 10), appearance="委托工作人员", name="司法所 李文静",
    )  # fmt: skip
    assert e.message_dict["entrust_reason"] == [s.ENTRUST_REQUIRED]
    s.case_hearing(
        lawsuit, by=clerk, on=d(2024, 4, 10), appearance="委托工作人员", name="司法所 李文静",
        reason="镇长参加县防汛紧急会议",
    )  # fmt: skip
    assert not lawsuit.is_head_appearance
    assert lawsuit.events.last().note == (
        "委托工作人员出庭：司法所 李文静；未能由负责人出庭的原因：镇长参加县防汛紧急会议"
    )


def test_a_reconsideration_outcome_is_not_a_judgment(clerk, justice_office):
    case = register_case(
        by=clerk, unit=justice_office, received_on=d(2024, 3, 4), kind=Case.Kind.RECONSIDERATION
    )
    s.case_answer(case, by=clerk, on=d(2024, 3, 12))
    e = _refused(s.case_decide, case, by=clerk, on=d(2024, 5, 6), outcome="驳回诉讼请求")
    assert e.message_dict["outcome"] == [
        "行政复议的结果只能是：维持、驳回复议请求、撤销、变更、确认违法、"
        "责令履行 / 判决履行、调解 / 和解、终止。"
    ]
    s.case_decide(case, by=clerk, on=d(2024, 5, 6), outcome="撤销")
    e = _refused(s.case_appeal, case, by=clerk, on=d(2024, 5, 10), appellant="本机关")
    assert _message(e) == "行政复议决定不能上诉；不服的可依法提起行政诉讼。"
    s.case_correct(case, by=clerk, on=d(2024, 6, 1), note="撤销原处罚决定，重新调查")
    assert case.corrected_on == d(2024, 6, 1)
    _refused(s.case_correct, case, by=clerk, on=d(2024, 6, 2), note="再次纠正")


def test_an_appeal_after_the_period_is_refused(clerk, lawsuit):
    s.case_answer(lawsuit, by=clerk, on=d(2024, 3, 15))
    s.case_decide(lawsuit, by=clerk, on=d(2024, 9, 10), outcome="撤销", served_on=d(2024, 9, 16))
    e = _refused(s.case_appeal, lawsuit, by=clerk, on=d(2024, 10, 9), appellant="本机关")
    assert e.message_dict["appealed_on"] == [
        "上诉期限已于2024年10月8日届满（自2024年9月16日起15日，期满日2024年10月1日为国庆节假期，"
        "顺延至2024年10月8日）。"
    ]
    s.case_appeal(lawsuit, by=clerk, on=d(2024, 10, 8), appellant="本机关")
    assert lawsuit.status == Case.Status.APPEALED


def test_no_correction_when_the_act_was_upheld(clerk, lawsuit):
    s.case_answer(lawsuit, by=clerk, on=d(2024, 3, 15))
    s.case_decide(lawsuit, by=clerk, on=d(2024, 6, 3), outcome="驳回诉讼请求")
    assert not lawsuit.can_correct
    e = _refused(s.case_correct, lawsuit, by=clerk, on=d(2024, 6, 4), note="无")
    assert _message(e) == "结果为“判决驳回诉讼请求”，行政行为未被纠正，无需登记纠正。"


def test_a_voided_case_takes_no_step_and_leaves_the_register(clerk, lawsuit):
    s.case_void(lawsuit, by=clerk, reason="重复登记")
    assert not Case.objects.active().filter(pk=lawsuit.pk).exists()
    e = _refused(s.case_answer, lawsuit, by=clerk, on=d(2024, 3, 15))
    assert _message(e) == f"行政复议应诉案件{lawsuit.case_number}已作废，不能再办理。"


def test_the_same_person_on_a_petition_and_a_lawsuit_is_one_person(clerk, justice_office):
    from disputes.tests.builders import register_petition

    someone = PersonData(name="王五", id_number="500229198001011237")
    petition = register_petition(
        by=clerk, unit=justice_office, received_on=d(2024, 1, 8), petitioners=[someone]
    )
    case = register_case(
        by=clerk, unit=justice_office, received_on=d(2024, 3, 4), applicants=[someone]
    )
    assert case.applicant_links.get().person == petition.petitioner_links.get().person

"""Clean-up campaigns (清理) and major decisions (重大行政决策) with their required steps."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from normative_docs import services as s
from normative_docs.models import Decision, Document
from normative_docs.tests.builders import make_advisor, published

d = dt.date
pytestmark = pytest.mark.django_db


def _five_documents(clerk, unit):
    return [published(clerk, unit, on=d(2018, 3, 1) + dt.timedelta(days=30 * i)) for i in range(5)]


def test_a_clean_up_totals_reconcile_with_the_documents_covered(clerk, justice_office):
    docs = _five_documents(clerk, justice_office)
    campaign = s.cleanup_start(
        by=clerk, title="2019年规范性文件集中清理", started_on=d(2019, 9, 2), documents=docs
    )
    items = {i.document_id: i.pk for i in campaign.items.all()}
    outcomes = ["继续有效", "继续有效", "修改", "废止", "宣布失效"]
    s.cleanup_record(
        campaign, outcomes={items[doc.pk]: (o, "") for doc, o in zip(docs, outcomes, strict=True)}
    )

    totals = s.cleanup_finish(campaign, by=clerk, finished_on=d(2019, 11, 29))

    assert totals == {
        "继续有效": 2, "修改": 1, "废止": 1, "宣布失效": 1, "不属于规范性文件": 0, "未确定": 0, "合计": 5,
    }  # fmt: skip
    assert sum(v for k, v in totals.items() if k != "合计") == totals["合计"] == len(docs)
    statuses = [Document.objects.get(pk=doc.pk).status for doc in docs]
    assert statuses == ["published", "published", "amended", "repealed", "expired"]
    assert Document.objects.get(pk=docs[3].pk).ended_on == d(2019, 11, 29)


def test_a_clean_up_with_an_open_outcome_cannot_finish(clerk, justice_office):
    docs = _five_documents(clerk, justice_office)
    campaign = s.cleanup_start(by=clerk, title="清理", started_on=d(2019, 9, 2), documents=docs)
    first = campaign.items.first()
    s.cleanup_record(campaign, outcomes={first.pk: ("继续有效", "")})

    with pytest.raises(ValidationError, match="还有4件文件未确定清理结果"):
        s.cleanup_finish(campaign, by=clerk, finished_on=d(2019, 11, 29))
    assert s.cleanup_totals(campaign)["未确定"] == 4
    assert s.cleanup_totals(campaign)["合计"] == 5


def test_a_clean_up_covers_only_documents_in_force(clerk, justice_office):
    docs = _five_documents(clerk, justice_office)
    s.document_end(docs[0], by=clerk, outcome="repealed", on=d(2019, 1, 2), reason="已被替代")

    with pytest.raises(ValidationError, match="已不是现行有效文件"):
        s.cleanup_start(by=clerk, title="清理", started_on=d(2019, 9, 2), documents=docs)


def _decision(clerk, unit):
    return s.decision_start(
        by=clerk, title="庙坝场镇污水管网改造", unit=unit, started_on=d(2021, 3, 1)
    )


def _steps_but_review(decision, clerk):
    s.decision_record_participation(
        decision, by=clerk, participation_from=d(2021, 3, 8), participation_to=d(2021, 4, 6)
    )
    s.decision_record_expert(decision, by=clerk, required=True, on=d(2021, 4, 15), note="方案可行")
    s.decision_record_risk(
        decision, by=clerk, required=False, on=d(2021, 4, 16), reason="不涉及群众切身利益的重大调整"
    )


def test_a_decision_without_legality_review_cannot_be_taken(clerk, justice_office):
    decision = _decision(clerk, justice_office)
    _steps_but_review(decision, clerk)

    with pytest.raises(ValidationError) as exc:
        s.decision_discuss(
            decision, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2021, 5, 10)
        )

    assert exc.value.messages == ["不能登记集体讨论决定，以下必经程序尚未完成：合法性审查。"]
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_PROGRESS


def test_a_legality_review_completed_after_the_meeting_does_not_count(
    clerk, advisor, justice_office
):
    decision = _decision(clerk, justice_office)
    _steps_but_review(decision, clerk)
    review = s.decision_send_for_review(
        decision, by=clerk, advisor=make_advisor(advisor), submitted_on=d(2021, 4, 21)
    )
    s.review_complete(review, by=advisor, completed_on=d(2021, 5, 12), conclusion="通过")

    with pytest.raises(ValidationError, match="合法性审查"):
        s.decision_discuss(
            decision, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2021, 5, 10)
        )
    s.decision_discuss(decision, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2021, 5, 13))
    assert decision.status == Decision.Status.DECIDED


def test_a_rejected_legality_review_does_not_count(clerk, advisor, justice_office):
    decision = _decision(clerk, justice_office)
    _steps_but_review(decision, clerk)
    review = s.decision_send_for_review(
        decision, by=clerk, advisor=make_advisor(advisor), submitted_on=d(2021, 4, 21)
    )
    s.review_complete(review, by=advisor, completed_on=d(2021, 4, 30), conclusion="不予通过")

    with pytest.raises(ValidationError, match="合法性审查"):
        s.decision_discuss(
            decision, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2021, 5, 10)
        )


def test_every_missing_step_is_named(clerk, justice_office):
    decision = _decision(clerk, justice_office)

    with pytest.raises(ValidationError) as exc:
        s.decision_discuss(
            decision, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2021, 5, 10)
        )

    assert "公众参与、专家论证、风险评估、合法性审查" in exc.value.messages[0]


def test_a_comment_period_under_30_days_is_refused(clerk, justice_office):
    decision = _decision(clerk, justice_office)

    with pytest.raises(ValidationError) as exc:
        s.decision_record_participation(
            decision, by=clerk, participation_from=d(2021, 3, 8), participation_to=d(2021, 4, 5)
        )
    assert "征求意见期限为29日，少于30日" in str(exc.value)


def test_skipping_the_expert_step_needs_a_reason(clerk, justice_office):
    decision = _decision(clerk, justice_office)

    with pytest.raises(ValidationError, match="须写明理由"):
        s.decision_record_expert(decision, by=clerk, required=False, reason="  ")


def test_a_decision_with_all_five_steps_is_taken_published_and_archived(
    clerk, advisor, justice_office
):
    decision = _decision(clerk, justice_office)
    _steps_but_review(decision, clerk)
    review = s.decision_send_for_review(
        decision, by=clerk, advisor=make_advisor(advisor), submitted_on=d(2021, 4, 21)
    )
    s.review_complete(review, by=advisor, completed_on=d(2021, 4, 30), conclusion="修改后通过")

    s.decision_discuss(decision, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2021, 5, 10))
    s.decision_publish(decision, by=clerk, published_on=d(2021, 5, 14))
    s.decision_archive(decision, by=clerk, archived_on=d(2021, 6, 30))

    assert decision.status == Decision.Status.ARCHIVED
    assert all(step["done"] for step in s.decision_checklist(decision))
    assert [e.action for e in decision.events.all()] == [
        "启动决策程序", "公众参与", "专家论证", "风险评估", "送合法性审查", "合法性审查",
        "集体讨论决定", "公布", "归档",
    ]  # fmt: skip

"""Unified numbering (统一编号): only after review and decision, gapless, per issuer and year."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from miaoba.models import NumberSequence
from normative_docs import services as s
from normative_docs.models import Document, Issuer
from normative_docs.tests.builders import draft, make_advisor, registered, signed

d = dt.date
pytestmark = pytest.mark.django_db


def test_a_draft_gets_no_number_before_review_and_decision(clerk, justice_office):
    doc = draft(clerk, justice_office)

    with pytest.raises(ValidationError) as exc:
        s.document_register(doc, by=clerk, registered_on=d(2020, 3, 20))

    assert "尚未通过合法性审核" in exc.value.messages[0]
    assert "尚未经集体讨论决定" in exc.value.messages[0]
    doc.refresh_from_db()
    assert doc.number == "" and doc.register_number == ""
    assert not NumberSequence.objects.exists()


def test_a_reviewed_draft_without_decision_gets_no_number(clerk, justice_office):
    doc = draft(clerk, justice_office)
    s.document_record_review(
        doc, by=clerk, reviewed_on=d(2020, 3, 5), reviewer="司法所", conclusion="通过"
    )

    with pytest.raises(ValidationError, match="尚未经集体讨论决定"):
        s.document_register(doc, by=clerk, registered_on=d(2020, 3, 20))


def test_a_failed_review_sends_the_draft_back_and_blocks_discussion(clerk, justice_office):
    doc = draft(clerk, justice_office)
    s.document_record_review(
        doc, by=clerk, reviewed_on=d(2020, 3, 5), reviewer="司法所", conclusion="不予通过"
    )

    assert doc.status == Document.Status.DRAFTING
    with pytest.raises(ValidationError, match="尚未通过合法性审核"):
        s.document_discuss(
            doc, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2020, 3, 9), passed=True
        )


def test_discussion_before_the_review_date_is_refused(clerk, justice_office):
    doc = draft(clerk, justice_office)
    s.document_record_review(
        doc, by=clerk, reviewed_on=d(2020, 3, 5), reviewer="司法所", conclusion="通过"
    )

    with pytest.raises(ValidationError) as exc:
        s.document_discuss(
            doc, by=clerk, meeting_name="镇政府常务会议", meeting_on=d(2020, 3, 4), passed=True
        )
    assert "不能早于合法性审核日期" in str(exc.value)


def test_numbers_run_per_issuer_and_year_with_one_register_series(clerk, justice_office):
    a = registered(clerk, justice_office, on=d(2020, 3, 12))
    b = registered(clerk, justice_office, on=d(2020, 3, 13), issuer=Issuer.OFFICE)
    c = registered(clerk, justice_office, on=d(2020, 3, 16))

    assert [a.number, b.number, c.number] == [
        "庙坝府发〔2020〕1号",
        "庙坝府办发〔2020〕1号",
        "庙坝府发〔2020〕2号",
    ]
    assert [a.register_number, b.register_number, c.register_number] == [
        "庙坝规登〔2020〕1号",
        "庙坝规登〔2020〕2号",
        "庙坝规登〔2020〕3号",
    ]


def test_serials_restart_across_the_year_boundary_without_gaps(clerk, justice_office):
    docs = [signed(clerk, justice_office, on=d(2020, 12, 1)) for _ in range(3)]
    s.document_register(docs[0], by=clerk, registered_on=d(2020, 12, 30))
    s.document_register(docs[1], by=clerk, registered_on=d(2020, 12, 31))
    s.document_register(docs[2], by=clerk, registered_on=d(2021, 1, 4))

    assert [x.number for x in docs] == [
        "庙坝府发〔2020〕1号",
        "庙坝府发〔2020〕2号",
        "庙坝府发〔2021〕1号",
    ]
    assert docs[2].register_number == "庙坝规登〔2021〕1号"


def test_a_withdrawn_number_stays_void_and_the_next_one_follows_it(clerk, justice_office):
    first = registered(clerk, justice_office, on=d(2020, 3, 12))
    second = registered(clerk, justice_office, on=d(2020, 3, 13))
    s.document_withdraw(second, by=clerk, on=d(2020, 3, 14), reason="内容需重大调整")
    third = registered(clerk, justice_office, on=d(2020, 3, 16))

    second.refresh_from_db()
    assert second.number == "庙坝府发〔2020〕2号"
    assert second.status == Document.Status.WITHDRAWN and second.is_void_number
    assert third.number == "庙坝府发〔2020〕3号"
    numbers = Document.objects.filter(year=2020).order_by("serial").values_list("serial", flat=True)
    assert list(numbers) == [1, 2, 3]
    assert first.number == "庙坝府发〔2020〕1号"


def test_a_registration_that_fails_gives_its_serial_back(clerk, justice_office):
    doc = signed(clerk, justice_office, on=d(2020, 3, 2))
    with pytest.raises(ValidationError):
        s.document_register(doc, by=clerk, registered_on=d(2020, 3, 1))  # before signing
    registered_doc = s.document_register(doc, by=clerk, registered_on=d(2020, 3, 12))

    assert registered_doc.number == "庙坝府发〔2020〕1号"
    assert NumberSequence.objects.get(register="庙坝府发", year=2020).last == 1


def test_the_unique_constraint_backs_the_counter_up(clerk, justice_office):
    registered(clerk, justice_office, on=d(2020, 3, 12))
    other = signed(clerk, justice_office)
    other.year, other.serial, other.number = 2020, 1, "x"

    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_a_numbered_document_cannot_be_numbered_again(clerk, justice_office):
    doc = registered(clerk, justice_office)
    with pytest.raises(ValidationError, match="已有发文字号"):
        s.document_register(doc, by=clerk, registered_on=d(2020, 3, 20))


def test_advisor_review_that_passes_opens_the_way_to_a_number(clerk, justice_office, advisor):
    counsel = make_advisor(advisor)
    doc = draft(clerk, justice_office)
    review = s.document_send_for_review(doc, by=clerk, advisor=counsel, submitted_on=d(2020, 9, 25))
    s.review_complete(
        review,
        by=advisor,
        completed_on=d(2020, 10, 22),
        conclusion="修改后通过",
        opinions=["建议删除罚款条款"],
    )
    doc.refresh_from_db()

    # 2020-09-25 to 10-22: 15 working days (国庆中秋 10-01..08 skipped, 09-27 and 10-10 worked)
    review.refresh_from_db()
    assert review.working_days == 15
    assert doc.status == Document.Status.REVIEWED
    assert doc.reviewed_on == d(2020, 10, 22) and doc.reviewer == "法律顾问陈律师"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (SELECT ... FOR UPDATE) and serialises all writers anyway; "
    "concurrent numbering is proved on PostgreSQL only",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_registrations_get_fifty_consecutive_numbers(clerk, justice_office):
    workers = 50
    docs = [signed(clerk, justice_office, on=d(2020, 3, 2)) for _ in range(workers)]
    start = threading.Barrier(workers)
    numbers: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def register(doc) -> None:
        try:
            start.wait(timeout=20)
            done = s.document_register(doc, by=clerk, registered_on=d(2020, 3, 12))
            with lock:
                numbers.append(done.number)
        except BaseException as exc:  # reported below, on the test's thread
            with lock:
                failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(doc,)) for doc in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert failures == []
    assert sorted(numbers) == sorted(f"庙坝府发〔2020〕{n}号" for n in range(1, workers + 1))
    assert sorted(Document.objects.values_list("serial", flat=True)) == list(range(1, workers + 1))
    assert sorted(Document.objects.values_list("register_serial", flat=True)) == list(
        range(1, workers + 1)
    )

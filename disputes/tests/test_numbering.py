"""Case numbers (编号) run 1, 2, 3 ... per register and year, with no gap and no repeat."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from disputes.models import Petition
from disputes.tests.builders import register_dispute, register_petition, someone
from miaoba.models import NumberSequence


@pytest.mark.django_db
def test_serials_run_without_gaps_per_year_and_per_register(clerk, justice_office):
    petitions = [
        register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, day))
        for day in (2, 3, 4)
    ]
    dispute = register_dispute(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 5))
    next_year = register_dispute(by=clerk, unit=justice_office, received_on=dt.date(2021, 1, 4))

    assert [p.number for p in petitions] == ["信〔2020〕1号", "信〔2020〕2号", "信〔2020〕3号"]
    assert dispute.number == "纠〔2020〕1号"
    assert next_year.number == "纠〔2021〕1号"


@pytest.mark.django_db
def test_registration_that_fails_validation_gives_its_serial_back(clerk, justice_office):
    register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2))

    # fails in Petition.full_clean, after the serial was taken
    with pytest.raises(ValidationError):
        register_petition(
            by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 3), channel="托梦"
        )
    # fails on the petitioner, after the petition row was saved
    with pytest.raises(ValidationError):
        register_petition(
            by=clerk,
            unit=justice_office,
            received_on=dt.date(2020, 3, 3),
            petitioners=[someone(id_number="500229198503124566")],  # wrong check digit
        )
    after = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 4))

    assert after.number == "信〔2020〕2号"
    assert list(Petition.objects.order_by("serial").values_list("serial", flat=True)) == [1, 2]
    assert NumberSequence.objects.get(register="petition", year=2020).last == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (SELECT ... FOR UPDATE) and serialises all writers anyway; "
    "concurrent numbering is proved on PostgreSQL only",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_registrations_get_twenty_distinct_numbers(clerk, justice_office):
    workers = 20
    start = threading.Barrier(workers)
    numbers: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def register(i: int) -> None:
        try:
            start.wait(timeout=10)
            petition = register_petition(
                by=clerk,
                unit=justice_office,
                received_on=dt.date(2020, 3, 2),
                petitioners=[someone(f"信访人{i}")],
            )
            with lock:
                numbers.append(petition.number)
        except BaseException as exc:  # reported below, on the test's thread
            with lock:
                failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert failures == []
    assert sorted(numbers) == sorted(f"信〔2020〕{n}号" for n in range(1, workers + 1))
    assert sorted(Petition.objects.values_list("serial", flat=True)) == list(range(1, workers + 1))

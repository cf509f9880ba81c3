"""Figures cost a fixed number of queries even when many steps fall in the checked band."""

import datetime as dt

import pytest

from disputes.models import Dispute
from disputes.selectors import DISPUTE_FIGURES_QUERIES, dispute_figures


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 120])
def test_dispute_figures_do_not_query_per_case_with_written_agreements(
    clerk, justice_office, n, django_assert_num_queries
):
    Dispute.objects.bulk_create(
        Dispute(
            number=f"纠〔2020〕{i}号", year=2020, serial=i, received_on=dt.date(2020, 1, 6), source="当事人申请",
            type="邻里", unit=justice_office, summary="批量", created_by=clerk, status="succeeded",
            decided_on=dt.date(2020, 1, 7), concluded_on=dt.date(2020, 2, 8),  # in the band past 28 days
            agreement_form="书面", agreement_effective_on=dt.date(2020, 2, 8),
        )
        for i in range(1, n + 1)
    )  # fmt: skip
    with django_assert_num_queries(DISPUTE_FIGURES_QUERIES):
        figures = dispute_figures(2020)
    # 2020-01-07 + 1 month = 2020-02-07 (a Friday, working day): concluded 02-08 is late
    assert (figures.concluded, figures.concluded_within_month) == (n, 0)

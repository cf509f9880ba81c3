"""A period reads and writes one way everywhere (miaoba.periods), and a change is worded as
reports word it (reports.composer)."""

import datetime as dt

import pytest

from miaoba.periods import Period, parse_span, span_param, span_text
from reports.composer import change_phrase


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("2020", (2020, 2020)),
        ("2016-2020", (2016, 2020)),
        ("2016—2020年", (2016, 2020)),
        ("2020-2016", (2016, 2020)),
        ("0000", None),
        ("9999-99999", None),
        ("abc", None),
        ("", None),
    ],
)
def test_a_span_is_read_from_links_and_text(value, span):
    assert parse_span(value) == span


def test_a_span_is_written_one_way_in_text_and_in_links():
    assert span_text(2016, 2020) == "2016—2020年"
    assert span_text(2020, 2020) == "2020年"
    assert span_param(2016, 2020) == "2016-2020"


def test_a_link_carries_the_as_of_date_only_when_it_cuts_the_period_short():
    assert Period(2020, 2020, dt.date(2020, 12, 31)).query(figure="replied") == (
        "?year=2020&figure=replied"
    )
    assert Period(2026, 2026, dt.date(2026, 11, 30)).query(village=3) == (
        "?year=2026&as_of=2026-11-30&village=3"
    )
    assert Period(2016, 2020, None).end == dt.date(2020, 12, 31)


def test_the_period_before_has_the_same_length_and_the_same_cut():
    before = Period(2025, 2026, dt.date(2026, 6, 30)).previous()
    assert (before.first, before.last, before.as_of) == (2023, 2024, dt.date(2024, 6, 30))


@pytest.mark.parametrize(
    ("current", "previous", "phrase"),
    [
        (31, 35, "，同比下降11.4%"),
        (6, 2, "，同比增长200%"),
        (5, 5, "，与上年持平"),
        (5, 0, ""),  # nothing last year to compare with
        (5, None, ""),
    ],
)
def test_change_against_last_year_is_worded_as_reports_word_it(current, previous, phrase):
    assert change_phrase(current, previous) == phrase

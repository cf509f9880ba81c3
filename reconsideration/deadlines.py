"""The statutory periods of 行政复议 and 行政应诉 cases, in one place (DOMAIN.md §11).

Clocks (`reconsideration.clocks`), figures (`reconsideration.selectors`) and steps
(`reconsideration.services`) read these; no other module writes the numbers.

How each period counts:
- 复议 written answer (书面答复): 10 days from receiving the copy of the application.
  《行政复议法》(2023年修订, in force from 2024-01-01) 第四十八条; its 第八十八条第二款 makes its
  "三日、五日、七日、十日" working days (工作日, 不含法定休假日). Under the 1999 text (as amended
  2009/2017, 第二十三条) only "五日、七日" were working days (第四十条第二款): a copy received
  before 2024-01-01 has 10 calendar days, counted as 《民法典》第二百零一条、第二百零三条 say
  (a last day that is a rest day moves to the next working day).
  DOMAIN.md §11 says calendar days for both; the law's text wins (see DOMAIN.md's preamble).
- 诉讼 答辩状 and evidence: 15 days from receiving the 起诉状副本 (《行政诉讼法》第六十七条), in
  calendar days with the rest-day rule (the Act counts periods as the 民事诉讼法 does).
- 上诉: 15 days from service of a judgment, 10 days from service of a ruling (第八十五条).
"""

from __future__ import annotations

import datetime as dt

# 《行政复议法》(2023年修订) applies to copies received from this day on.
RULE_2023_FROM = dt.date(2024, 1, 1)

ANSWER_DAYS = 10
ANSWER_BASIS = {
    "2017": "《行政复议法》（2017年修正）第二十三条",
    "2023": "《行政复议法》（2023年修订）第四十八条、第八十八条",
}

DEFENCE_DAYS = 15
DEFENCE_BASIS = "《行政诉讼法》第六十七条"

APPEAL_JUDGMENT_DAYS = 15
APPEAL_RULING_DAYS = 10
APPEAL_BASIS = "《行政诉讼法》第八十五条"

HEAD_APPEARANCE_BASIS = "《行政诉讼法》第三条第三款"


def answer_in_working_days(received_on: dt.date) -> bool:
    """Return True when the 复议 answer period counts working days (a copy received under the
    2023 revision), False for calendar days (the 2017 text)."""
    return received_on >= RULE_2023_FROM


def answer_rule(received_on: dt.date) -> str:
    """Return the 复议 rule in force for a copy received on `received_on`: "2017" or "2023"."""
    return "2023" if answer_in_working_days(received_on) else "2017"

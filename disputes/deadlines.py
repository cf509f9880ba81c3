"""The statutory periods of petitions (信访件) and disputes (矛盾纠纷), in one place.

Clocks (`disputes.clocks`), figures (`disputes.selectors`), steps (`disputes.services`),
ledgers (`disputes.resources`) and constraints (`disputes.models`) read these; no other module
writes the numbers. Periods in days count from the day after the start, and a last day that is a
rest day moves to the next working day (《民法典》第二百零一条至第二百零三条, DOMAIN.md §9).
"""

from __future__ import annotations

import datetime as dt

# 《信访工作条例》 (2022) governs petitions received from this day on; 《信访条例》 (2005) before.
RULE_2022_FROM = dt.date(2022, 5, 1)

# Decide on acceptance and tell the petitioner in writing: 15 days from receipt.
ACCEPTANCE_DAYS = 15
ACCEPTANCE_BASIS = {
    "2005": "《信访条例》第二十一条、第二十二条",
    "2022": "《信访工作条例》第二十三条",
}

# A transferred item that is not ours: object within 5 working days (2022 rule only).
TRANSFER_OBJECTION_WORKING_DAYS = 5
TRANSFER_OBJECTION_BASIS = "《信访工作条例》第二十三条"

# Conclude within 60 days of acceptance; one extension of at most 30 days, approved by a leader.
CONCLUSION_DAYS = 60
MAX_EXTENSION_DAYS = 30
CONCLUSION_BASIS = {"2005": "《信访条例》第三十三条", "2022": "《信访工作条例》第三十四条"}

# 复查: requested within 30 days of the reply, opinion within 30 days of the request;
# 复核: requested within 30 days of the 复查 opinion, opinion within 30 days of the request.
REVIEW_REQUEST_DAYS = 30
REVIEW_OPINION_DAYS = 30
REVIEW_BASIS = {"2005": "《信访条例》第三十四条", "2022": "《信访工作条例》第三十五条"}
RECHECK_BASIS = {"2005": "《信访条例》第三十五条", "2022": "《信访工作条例》第三十五条、第三十六条"}

# The same person on the same matter within a year is a repeat petition (重复信访).
REPEAT_WINDOW_MONTHS = 12

# Mediation concludes generally within one month of acceptance (司法部令第75号第三十三条).
MEDIATION_MONTHS = 1
MEDIATION_BASIS = "《人民调解工作若干规定》第三十三条"
# One month is 28 to 31 days before any rest-day shift.
MONTH_MIN_DAYS = 28
MONTH_MAX_DAYS = 31

# Court confirmation (司法确认) may be applied for within 30 days of the agreement taking effect.
COURT_WINDOW_DAYS = 30
COURT_BASIS = "《人民调解法》第三十三条"


def rule_of(received_on: dt.date) -> str:
    """Return the petition rule in force for a date of receipt: "2005" or "2022"."""
    return "2022" if received_on >= RULE_2022_FROM else "2005"

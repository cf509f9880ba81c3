"""The periods of normative documents, reviews and major decisions, in one place.

Clocks (`normative_docs.clocks`), figures (`normative_docs.selectors`), steps
(`normative_docs.services`), forms and ledgers read these; no other module writes the numbers.

Rules marked **(check)** in `DOMAIN.md` §4 were not read from the official text; they are read
from settings at call time so a township (or a test) can change them without a code change:

- `NORMATIVE_DOCS_VALIDITY_YEARS` (5): validity (有效期) of a document, in years. **(check)**
- `NORMATIVE_DOCS_PROVISIONAL_VALIDITY_YEARS` (2): validity of a 暂行/试行 document. **(check)**
- `NORMATIVE_DOCS_FILING_DAYS` (30): filing (报备) within this many days of publication, counted
  by 《民法典》第二百零一条、第二百零三条 (the 重庆 rule sets it). **(check)**
- `NORMATIVE_DOCS_EFFECTIVE_AFTER_DAYS` (30): a document takes effect this many days after
  publication unless it says otherwise. **(check)**
- `NORMATIVE_DOCS_EXPIRY_WARNING_DAYS` (90): warn this many days before expiry. **(check)**
- `NORMATIVE_DOCS_REVIEW_MIN_WORKING_DAYS` (5) and `NORMATIVE_DOCS_REVIEW_MAX_WORKING_DAYS` (15):
  a legality review takes 5 to 15 working days (国办发〔2018〕115号). **(check)**

Not configurable, from the law itself:
- `COMMENT_MIN_DAYS` (30): the public comment period of a major decision is at least 30 days
  (《重大行政决策程序暂行条例》第十五条).
"""

from __future__ import annotations

from django.conf import settings

COMMENT_MIN_DAYS = 30  # 《重大行政决策程序暂行条例》第十五条
PROVISIONAL_WORDS = ("暂行", "试行")


def validity_years(*, provisional: bool) -> int:
    """Return the default validity in years: 5, or 2 for 暂行/试行 (check; settings)."""
    if provisional:
        return getattr(settings, "NORMATIVE_DOCS_PROVISIONAL_VALIDITY_YEARS", 2)
    return getattr(settings, "NORMATIVE_DOCS_VALIDITY_YEARS", 5)


def filing_days() -> int:
    """Return the filing (报备) period in calendar days after publication: 30 (check; settings)."""
    return getattr(settings, "NORMATIVE_DOCS_FILING_DAYS", 30)


def effective_after_days() -> int:
    """Return the days from publication to taking effect by default: 30 (check; settings)."""
    return getattr(settings, "NORMATIVE_DOCS_EFFECTIVE_AFTER_DAYS", 30)


def expiry_warning_days() -> int:
    """Return how many days before expiry a warning shows: 90 (check; settings)."""
    return getattr(settings, "NORMATIVE_DOCS_EXPIRY_WARNING_DAYS", 90)


def review_min_working_days() -> int:
    """Return the shortest legality review in working days: 5 (国办发〔2018〕115号, check)."""
    return getattr(settings, "NORMATIVE_DOCS_REVIEW_MIN_WORKING_DAYS", 5)


def review_max_working_days() -> int:
    """Return the longest legality review in working days: 15 (国办发〔2018〕115号, check)."""
    return getattr(settings, "NORMATIVE_DOCS_REVIEW_MAX_WORKING_DAYS", 15)


def register_prefix() -> str:
    """Return the prefix of the register's 登记号, e.g. 庙坝规登 in 庙坝规登〔2020〕3号."""
    return getattr(settings, "NORMATIVE_DOCS_REGISTER_PREFIX", "庙坝规登")


def is_provisional(title: str) -> bool:
    """Return True for a 暂行 or 试行 document (by its title), which is valid 2 years (check)."""
    return any(word in title for word in PROVISIONAL_WORDS)

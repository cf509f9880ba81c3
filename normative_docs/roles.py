"""What each role may do with documents, reviews, decisions and clean-ups; merged into
`miaoba.roles`.

Clerks work on their units' documents and decisions and send reviews; a legal advisor sees and
records only the reviews sent to them (`LegalReview.objects.visible_to`); leaders read
everything; administrators keep the list of legal advisors.
"""

from miaoba.roles import ADMINISTRATOR, ADVISOR, CLERK, LEADER

_READ = {
    "normative_docs.view_reviewfile",
    "normative_docs.view_document",
    "normative_docs.view_decision",
    "normative_docs.view_legalreview",
    "normative_docs.view_reviewopinion",
    "normative_docs.view_advisor",
    "normative_docs.view_cleanupcampaign",
}
_READ_ALL = _READ | {"normative_docs.view_all_documents", "normative_docs.view_all_reviews"}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    CLERK: _READ
    | {
        "normative_docs.add_document",
        "normative_docs.change_document",
        "normative_docs.add_decision",
        "normative_docs.change_decision",
        "normative_docs.add_legalreview",
        "normative_docs.change_legalreview",
        "normative_docs.add_reviewfile",
        "normative_docs.change_reviewopinion",
        "normative_docs.add_cleanupcampaign",
        "normative_docs.change_cleanupcampaign",
    },
    ADVISOR: {
        # the files sent with a review, and their own written opinion
        "normative_docs.view_reviewfile",
        "normative_docs.add_reviewfile",
        "normative_docs.view_legalreview",
        "normative_docs.change_legalreview",
        "normative_docs.view_reviewopinion",
        "normative_docs.add_reviewopinion",
    },
    LEADER: _READ_ALL,
    ADMINISTRATOR: _READ_ALL | {"normative_docs.add_advisor", "normative_docs.change_advisor"},
}

"""Records for the tests, made through the services (so every rule applies)."""

from __future__ import annotations

import datetime as dt

from normative_docs import services as s
from normative_docs.models import Advisor, Document, Issuer

d = dt.date
MARCH_2 = d(2020, 3, 2)
MARCH_12 = d(2020, 3, 12)
MARCH_14 = d(2020, 3, 14)


def make_advisor(user=None, *, name="陈律师", licence="15002201610123456") -> Advisor:
    return Advisor.objects.create(
        name=name,
        law_firm="重庆渝东北律师事务所",
        licence_number=licence,
        contract_from=d(2016, 1, 1),
        contract_to=d(2030, 12, 31),
        user=user,
    )


def draft(
    by, unit, *, title="庙坝镇农村宅基地管理办法", issuer=Issuer.GOVERNMENT, on=MARCH_2
) -> Document:
    return s.document_draft(by=by, title=title, issuer=issuer, drafting_unit=unit, drafted_on=on)


def signed(
    by, unit, *, title="庙坝镇农村宅基地管理办法", issuer=Issuer.GOVERNMENT, on=MARCH_2
) -> Document:
    """Return a document reviewed (by 司法所), discussed and signed, ready to be numbered."""
    doc = draft(by, unit, title=title, issuer=issuer, on=on)
    s.document_record_review(
        doc, by=by, reviewed_on=on + dt.timedelta(days=5), reviewer="司法所", conclusion="通过"
    )
    s.document_discuss(
        doc, by=by, meeting_name="镇政府常务会议", meeting_on=on + dt.timedelta(days=7), passed=True
    )
    s.document_sign(doc, by=by, signed_by="王镇长", signed_on=on + dt.timedelta(days=8))
    return doc


def registered(by, unit, *, on=MARCH_12, **kwargs) -> Document:
    doc = signed(by, unit, on=on - dt.timedelta(days=10), **kwargs)
    return s.document_register(doc, by=by, registered_on=on)


def published(by, unit, *, on=MARCH_14, **kwargs) -> Document:
    doc = registered(by, unit, on=on - dt.timedelta(days=2), **kwargs)
    return s.document_publish(doc, by=by, published_on=on)

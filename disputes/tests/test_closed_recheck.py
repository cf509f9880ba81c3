"""A matter closed by 复核 is not accepted again (《信访工作条例》第三十五条; issue 17 point 4).

司法所's petition of 张桂兰: replied 2021-09-03, 复查 requested 2021-10-08 (维持 2021-12-31),
复核 requested 2022-01-30 and 维持 on 2022-02-25. She comes back on 6 June 2022 (2022 rule).
The registering clerk is warned with the earlier case, within what they may see (another
unit learns only which unit to ask, test_other_units.py), and may record 不予受理 with that
reason.
"""

import datetime as dt

import pytest

from disputes import services as s
from disputes.models import Petition
from disputes.tests.builders import register_petition
from disputes.tests.ledger_data import make_id
from disputes.tests.test_pages import _petition_post

pytestmark = pytest.mark.django_db
d = dt.date
ID = make_id(17)
UPHELD = Petition.ReviewResult.UPHELD


def _replied(clerk, unit) -> Petition:
    p = register_petition(
        by=clerk,
        unit=unit,
        received_on=d(2021, 8, 2),
        petitioners=[s.PersonData(name="张桂兰", id_number=ID)],
    )
    s.petition_accept(p, by=clerk, on=d(2021, 8, 3))
    s.petition_conclude(p, by=clerk, on=d(2021, 9, 1), outcome=Petition.Outcome.DENY)
    s.petition_reply(p, by=clerk, on=d(2021, 9, 3), form="书面送达")
    s.petition_record_review(
        p,
        by=clerk,
        level="review",
        requested_on=d(2021, 10, 8),
        result=UPHELD,
        concluded_on=d(2021, 12, 31),
    )
    return s.petition_record_review(p, by=clerk, level="recheck", requested_on=d(2022, 1, 30))


@pytest.fixture
def rechecked(clerk, justice_office) -> Petition:
    p = _replied(clerk, justice_office)
    return s.petition_record_review_opinion(
        p, by=clerk, level="recheck", result=UPHELD, concluded_on=d(2022, 2, 25)
    )


def _post(unit, **extra):
    return _petition_post(
        unit,
        [{"name": "张桂兰", "id_number": ID}],
        received_on="2022-06-06",
        summary="再次反映承包地被占用",
        **extra,
    )


def test_registration_warns_with_the_case_closed_by_recheck(
    client, clerk, justice_office, rechecked
):
    client.force_login(clerk)

    text = client.post("/disputes/petitions/new/", _post(justice_office)).content.decode()

    assert "同一信访人的信访事项已复核终结" in text
    assert f">{rechecked.number}</a>" in text
    assert "2022年2月25日复核终结（维持原处理意见）" in text
    assert "不再受理（《信访工作条例》第三十五条）" in text
    assert Petition.objects.count() == 1


def test_the_clerk_confirms_and_records_the_new_petition_as_not_accepted(
    client, clerk, justice_office, rechecked
):
    client.force_login(clerk)
    client.post("/disputes/petitions/new/", _post(justice_office, confirm_repeat="1"))
    new = Petition.objects.exclude(pk=rechecked.pk).get()

    page = client.get(f"/disputes/petitions/{new.pk}/").content.decode()
    form = client.get(f"/disputes/petitions/{new.pk}/reject/").context["form"]
    reason = form.initial["rejection_reason"]
    client.post(
        f"/disputes/petitions/{new.pk}/reject/",
        {
            "decided_on": "2022-06-08",
            "rejection_reason": reason,
            "redirect_to": "如有新的事实和理由，可依法通过诉讼等法定途径解决",
            "version": str(new.version),
        },
    )

    assert "同一信访人的信访事项已复核终结" in page
    assert reason == (
        f"该信访事项已于2022年2月25日经复核终结（{rechecked.number}），"
        "同一事项、同一事实和理由不再受理（《信访工作条例》第三十五条）"
    )
    new.refresh_from_db()
    assert (new.status, new.rejection_reason) == (Petition.Status.REJECTED, reason)
    assert (
        "同一信访人的信访事项已复核终结"
        not in client.get(f"/disputes/petitions/{new.pk}/").content.decode()
    )


def test_a_recheck_without_its_opinion_raises_no_warning(client, clerk, justice_office):
    _replied(clerk, justice_office)
    client.force_login(clerk)

    text = client.post("/disputes/petitions/new/", _post(justice_office)).content.decode()

    assert "发现同一人近12个月内的登记记录" in text  # received 2021-08-02
    assert "已复核终结" not in text


def test_another_unit_is_told_only_which_unit_to_ask(client, outsider, party_office, rechecked):
    client.force_login(outsider)

    text = client.post("/disputes/petitions/new/", _post(party_office)).content.decode()

    assert "同一信访人的信访事项已复核终结" in text
    assert (
        "司法所登记过可能为同一人的信访事项，已复核终结。如需核实是否为同一事项，请联系该单位。"
        in text
    )
    assert rechecked.number not in text
    assert rechecked.summary not in text
    assert "2022年2月25日" not in text


def test_another_units_new_petition_gets_no_reason_naming_the_earlier_case(
    client, outsider, party_office, rechecked
):
    client.force_login(outsider)
    client.post("/disputes/petitions/new/", _post(party_office, confirm_repeat="1"))
    new = Petition.objects.exclude(pk=rechecked.pk).get()

    page = client.get(f"/disputes/petitions/{new.pk}/").content.decode()
    form = client.get(f"/disputes/petitions/{new.pk}/reject/").context["form"]

    assert "请联系该单位" in page and rechecked.number not in page
    assert "rejection_reason" not in form.initial


def test_a_recheck_closed_long_ago_still_warns(client, clerk, justice_office, rechecked):
    client.force_login(clerk)

    text = client.post(
        "/disputes/petitions/new/", {**_post(justice_office), "received_on": "2023-09-04"}
    ).content.decode()

    assert "发现同一人近12个月内的登记记录" not in text
    assert "同一信访人的信访事项已复核终结" in text
    assert Petition.objects.count() == 1

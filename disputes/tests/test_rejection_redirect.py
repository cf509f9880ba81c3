"""不予受理 says where the petitioner should go instead, on every path: form, service, ledger.

《信访条例》第二十一条; 《信访工作条例》第三十条 (issue 17 point 6).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disputes.models import Petition
from disputes.resources import PetitionResource, import_ledger
from disputes.services import REDIRECT_REQUIRED, petition_reject
from disputes.tests.builders import register_petition
from disputes.tests.ledger_data import petition_row
from miaoba.ledger import RowError
from miaoba.tests.ledger_files import xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(clerk, justice_office) -> Petition:
    """A petition received on Friday 8 October 2021, the first working day after National Day."""
    return register_petition(by=clerk, unit=justice_office, received_on=dt.date(2021, 10, 8))


def test_service_refuses_a_rejection_without_where_to_go(petition, clerk):
    with pytest.raises(ValidationError) as excinfo:
        petition_reject(
            petition, by=clerk, on=dt.date(2021, 10, 12), reason="属于劳动仲裁事项", redirect_to=" "
        )

    assert excinfo.value.message_dict == {"redirect_to": [REDIRECT_REQUIRED]}
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REGISTERED


def test_reject_page_refuses_a_blank_redirect_and_keeps_the_petition_registered(
    client, clerk, petition
):
    client.force_login(clerk)

    response = client.post(
        f"/disputes/petitions/{petition.pk}/reject/",
        {
            "decided_on": "2021-10-12",
            "rejection_reason": "属于劳动仲裁事项",
            "redirect_to": "",
            "version": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["redirect_to"] == [REDIRECT_REQUIRED]
    petition.refresh_from_db()
    assert (petition.status, petition.redirect_to) == (Petition.Status.REGISTERED, "")


def test_reject_page_records_where_to_go(client, clerk, petition):
    client.force_login(clerk)

    client.post(
        f"/disputes/petitions/{petition.pk}/reject/",
        {
            "decided_on": "2021-10-12",
            "rejection_reason": "属于劳动仲裁事项",
            "redirect_to": "县劳动人事争议仲裁院",
            "version": "1",
        },
    )

    petition.refresh_from_db()
    assert (petition.status, petition.redirect_to) == (
        Petition.Status.REJECTED,
        "县劳动人事争议仲裁院",
    )


@pytest.mark.parametrize("state", ["不予受理", ""])
def test_ledger_row_rejected_without_where_to_go_is_refused(clerk, justice_office, state):
    rows = [
        PetitionResource.headers(),
        petition_row(
            登记日期="2021-10-08",
            状态=state,
            受理决定日期="2021-10-12",
            不予受理理由="属于劳动仲裁事项",
        ),
    ]

    plan = import_ledger("petitions", xlsx_bytes(rows), "台账.xlsx", user=clerk)

    assert plan.errors == [RowError(2, "告知其向何处提出", REDIRECT_REQUIRED)]
    assert not Petition.objects.exists()


def test_ledger_row_rejected_with_where_to_go_is_imported(clerk, justice_office):
    rows = [
        PetitionResource.headers(),
        petition_row(
            登记日期="2021-10-08",
            状态="不予受理",
            受理决定日期="2021-10-12",
            不予受理理由="属于劳动仲裁事项",
            告知其向何处提出="县劳动人事争议仲裁院",
        ),
    ]

    plan = import_ledger("petitions", xlsx_bytes(rows), "台账.xlsx", user=clerk)

    assert plan.errors == []
    assert Petition.objects.get().redirect_to == "县劳动人事争议仲裁院"

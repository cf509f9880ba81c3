"""An edit posted without its `version` is a conflict, never a save (issue 14 point 8).

Before, `expect_version(obj, None)` let such a post through, so a stale page, a script or a
form with the hidden field removed overwrote a newer save without a word. Every versioned edit
page calls `miaoba.records.expect_version`; each test below removes the field from one kind of
edit (a workflow step, a record's form, the report's text, voiding) and checks that nothing is
saved, that the clerk is told why, and that what they typed is kept.
"""

import datetime as dt

import pytest
from django.test import Client

from disputes.models import Petition
from disputes.tests.test_pages import _petition
from miaoba.records import expect_version
from reports import services as report_services
from reports.models import AnnualReport, WorkRecord, WorkRecordKind

pytestmark = pytest.mark.django_db

MISSING = "表单缺少版本号，无法确认您是在最新内容上修改，您的修改未保存。"


def test_expect_version_without_a_version_raises_a_conflict(clerk, justice_office):
    from miaoba.records import MissingVersion

    petition = _petition(clerk, justice_office)
    with pytest.raises(MissingVersion) as raised:
        expect_version(petition, None)
    assert raised.value.current_version == 1
    assert raised.value.messages[0].startswith(MISSING)


def test_a_step_without_its_version_is_not_recorded(client, clerk, justice_office):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)

    response = client.post(
        f"/disputes/petitions/{petition.pk}/accept/", {"decided_on": "2020-03-03"}
    )

    assert response.status_code == 200
    assert MISSING in response.content.decode()
    petition.refresh_from_db()
    assert (petition.status, petition.version) == (Petition.Status.REGISTERED, 1)


def test_a_newer_save_is_not_overwritten_by_an_edit_without_version(client, clerk, justice_office):
    """The attack of the issue: A saves, B (stale page, version field removed) saves over it."""
    report = report_services.report_create(by=clerk, year=2020, span_from=2016)
    section = report.sections.exclude(heading="").first()
    url = f"/reports/annual/2020/sections/{section.order}/"
    other = Client()
    other.force_login(clerk)
    other.post(url, {"heading": section.heading, "text": "第一稿", "version": 1})
    client.force_login(clerk)

    response = client.post(url, {"heading": section.heading, "text": "我的第二稿"})

    text = response.content.decode()
    assert MISSING in text and "我的第二稿" in text  # told why, and the input is kept
    assert AnnualReport.objects.get().sections.get(pk=section.pk).text == "第一稿"


def test_after_the_conflict_the_kept_input_can_be_saved(client, clerk, justice_office):
    record = WorkRecord.objects.create(
        on=dt.date(2020, 6, 18),
        kind=WorkRecordKind.objects.get(name="法治培训"),
        title="民法典专题培训",
        sessions=1,
        participants=60,
        unit=justice_office,
        created_by=clerk,
    )
    client.force_login(clerk)
    data = {
        "on": "2020-06-18",
        "kind": record.kind_id,
        "title": record.title,
        "sessions": 1,
        "participants": 85,
        "unit": record.unit_id,
    }

    first = client.post(f"/reports/records/{record.pk}/", data)
    assert MISSING in first.content.decode()
    assert WorkRecord.objects.get(pk=record.pk).participants == 60
    # The page came back with the current version: submitting it again is a conscious save.
    assert first.context["form"].data["version"] == "1"
    again = client.post(f"/reports/records/{record.pk}/", first.context["form"].data)
    assert again.status_code == 302
    assert WorkRecord.objects.get(pk=record.pk).participants == 85


def test_voiding_without_a_version_voids_nothing(client, clerk, justice_office):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)

    response = client.post(
        f"/disputes/petitions/{petition.pk}/void/", {"void_reason": "重复登记", "confirm": "on"}
    )

    assert MISSING in response.content.decode()
    assert not Petition.objects.get(pk=petition.pk).is_voided

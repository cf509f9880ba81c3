"""Work records and the report stay safe: voiding, stale edits, one record per form, history."""

import datetime as dt

import pytest
from django.test import Client

from reports import services
from reports.models import AnnualReport, WorkRecord, WorkRecordKind
from reports.selectors import record_report_figures

pytestmark = pytest.mark.django_db


def _record(clerk, unit, title="民法典专题培训") -> WorkRecord:
    return WorkRecord.objects.create(
        on=dt.date(2020, 6, 18),
        kind=WorkRecordKind.objects.get(name="法治培训"),
        title=title,
        sessions=1,
        participants=60,
        unit=unit,
        created_by=clerk,
    )


def _post(record: WorkRecord, **changes) -> dict:
    data = {
        "on": "2020-06-18",
        "kind": record.kind_id,
        "title": record.title,
        "sessions": 1,
        "participants": 60,
        "unit": record.unit_id,
        "version": 1,
    }
    data.update(changes)
    return data


def test_voided_record_leaves_the_figures_and_the_list(client, clerk, justice_office):
    voided = _record(clerk, justice_office)
    _record(clerk, justice_office, title="宪法宣传周培训")
    key = "法治培训.participants"

    def people():
        return record_report_figures(2020, 2020, as_of=None).figures[key].value

    assert people() == 120
    client.force_login(clerk)

    client.post(
        f"/reports/records/{voided.pk}/void/",
        {"void_reason": "重复录入", "confirm": "on", "version": 1},
        follow=True,
    )

    assert WorkRecord.objects.get(pk=voided.pk).is_voided
    assert people() == 60
    listing = client.get("/reports/records/").content.decode()
    assert "宪法宣传周培训" in listing and "民法典专题培训" not in listing
    assert "民法典专题培训" in client.get("/reports/records/?voided=only").content.decode()
    # The same record may be entered again correctly.
    _record(clerk, justice_office)


def test_stale_record_edit_keeps_the_input(client, clerk, justice_office):
    record = _record(clerk, justice_office)
    client.force_login(clerk)
    other = Client()
    other.force_login(clerk)
    other.post(f"/reports/records/{record.pk}/", _post(record, participants=70))
    response = client.post(f"/reports/records/{record.pk}/", _post(record, participants=85))
    text = response.content.decode()
    assert "该记录已被他人修改" in text and "人次：60 → 70" in text and 'value="85"' in text
    assert WorkRecord.objects.get(pk=record.pk).participants == 70


def test_the_same_record_form_posted_twice_creates_one(client, clerk, justice_office):
    client.force_login(clerk)
    token = client.get("/reports/records/new/").context["form"]["form_token"].value()
    data = {
        "on": "2020-06-18",
        "kind": WorkRecordKind.objects.get(name="法治培训").pk,
        "title": "民法典专题培训",
        "sessions": 1,
        "unit": justice_office.pk,
        "form_token": str(token),
        "created_by": "999",
        "version": "9",
    }
    client.post("/reports/records/new/", data)
    second = client.post("/reports/records/new/", data, follow=True)
    record = WorkRecord.objects.get()
    assert (record.created_by, record.version) == (clerk, 1)
    assert "该登记表已提交过" in second.content.decode()


def test_stale_section_edit_keeps_the_text_and_history_shows_the_change(
    client, clerk, leader, justice_office
):
    report = services.report_create(by=clerk, year=2020, span_from=2016)
    section = report.sections.exclude(heading="").first()
    client.force_login(clerk)
    url = f"/reports/annual/2020/sections/{section.order}/"
    other = Client()
    other.force_login(clerk)
    other.post(url, {"heading": section.heading, "text": "第一稿", "version": 1})
    response = client.post(url, {"heading": section.heading, "text": "我的第二稿", "version": 1})
    text = response.content.decode()
    assert "该记录已被他人修改" in text and "我的第二稿" in text
    detail = client.get("/reports/annual/2020/").content.decode()
    assert "修改记录" in detail and "第一稿" in detail.split("<h2>修改记录</h2>")[1]
    assert AnnualReport.objects.get().sections.get(pk=section.pk).text == "第一稿"

"""Documents stay safe: voiding before numbering, one draft per form, stale steps, history."""

import pytest
from django.test import Client

from normative_docs.models import Document
from normative_docs.tests.builders import draft, registered

pytestmark = pytest.mark.django_db


def test_a_draft_is_voided_with_a_reason_and_leaves_the_register(client, clerk, justice_office):
    doc = draft(clerk, justice_office)
    kept = draft(clerk, justice_office, title="庙坝镇集镇管理办法")
    client.force_login(clerk)

    response = client.post(
        f"/docs/documents/{doc.pk}/void/",
        {"void_reason": "起草重复", "confirm": "on", "version": doc.version},
        follow=True,
    )

    assert "已作废" in response.content.decode()
    doc.refresh_from_db()
    assert doc.is_voided and doc.void_reason == "起草重复"
    listing = client.get("/docs/documents/").content.decode()
    assert kept.title in listing and doc.title not in listing
    assert doc.title in client.get("/docs/documents/?voided=only").content.decode()
    text = client.get(f"/docs/documents/{doc.pk}/").content.decode()
    assert "起草重复" in text and "修改记录" in text and "作废理由：— → 起草重复" in text


def test_a_numbered_document_is_withdrawn_not_voided(client, clerk, justice_office):
    doc = registered(clerk, justice_office)
    client.force_login(clerk)
    response = client.post(
        f"/docs/documents/{doc.pk}/void/",
        {"void_reason": "写错", "confirm": "on", "version": doc.version},
    )
    assert "已编号的文件不能作废" in response.content.decode()
    assert not Document.objects.get(pk=doc.pk).is_voided


def test_the_same_draft_form_posted_twice_creates_one_document(client, clerk, justice_office):
    client.force_login(clerk)
    token = client.get("/docs/documents/new/").context["form"]["form_token"].value()
    data = {
        "title": "庙坝镇农村宅基地管理办法",
        "issuer": "庙坝府发",
        "drafting_unit": justice_office.pk,
        "drafted_on": "2020-03-02",
        "form_token": str(token),
    }
    client.post("/docs/documents/new/", data)
    second = client.post("/docs/documents/new/", data, follow=True)
    assert Document.objects.count() == 1
    assert "该登记表已提交过" in second.content.decode()


def test_stale_step_on_a_document_keeps_the_input(client, clerk, leader, justice_office):
    doc = draft(clerk, justice_office)
    client.force_login(clerk)
    other = Client()
    other.force_login(clerk)
    other.post(
        f"/docs/documents/{doc.pk}/consult/",
        {"comment_from": "2020-03-03", "comment_to": "2020-04-03", "note": "甲", "version": "1"},
    )
    response = client.post(
        f"/docs/documents/{doc.pk}/consult/",
        {
            "comment_from": "2020-03-04",
            "comment_to": "2020-04-04",
            "note": "乙丙丁",
            "version": "1",
        },
    )
    text = response.content.decode()
    assert "该记录已被他人修改" in text and "乙丙丁" in text
    assert Document.objects.get(pk=doc.pk).comment_note == "甲"


def test_forged_number_and_status_are_ignored_on_draft(client, clerk, justice_office):
    client.force_login(clerk)
    client.post(
        "/docs/documents/new/",
        {
            "title": "办法",
            "issuer": "庙坝府发",
            "drafting_unit": justice_office.pk,
            "drafted_on": "2020-03-02",
            "status": "filed",
            "number": "庙坝府发〔2020〕9号",
            "serial": "9",
            "version": "5",
        },
    )
    doc = Document.objects.get()
    assert (doc.status, doc.number, doc.serial, doc.version) == ("drafting", "", None, 1)

"""Records stay safe: stale saves, voiding, double posts, forged fields, history, personal data.

Issue 7 items 3 to 5 for petitions and disputes.
"""

import datetime as dt
import logging

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from disputes import selectors
from disputes import services as s
from disputes.models import Category, Event, Person, Petition
from disputes.resources import PetitionResource, import_ledger
from disputes.tests.ledger_data import petition_row
from disputes.tests.test_pages import ID_A, ID_B, _petition, _petition_post
from miaoba.models import SecurityEvent, User
from miaoba.roles import CLERK
from miaoba.tests.ledger_files import xlsx_bytes

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


@pytest.fixture
def clerk2(justice_office) -> User:
    """A second clerk of the same unit, editing the same records."""
    user = User.objects.create_user(
        username="clerk2", password="Test#Passw0rd-2020", last_name="赵", first_name="二"
    )
    user.groups.add(Group.objects.get(name=CLERK))
    user.units.set([justice_office])
    return user


def _url(p: Petition, step: str = "") -> str:
    return f"/disputes/petitions/{p.pk}/" + (f"{step}/" if step else "")


# --- Optimistic lock --------------------------------------------------------------------------


def test_stale_step_is_refused_with_who_changed_what_and_keeps_the_input(
    client, clerk, clerk2, justice_office
):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    form_page = client.get(_url(petition, "reject")).content.decode()
    assert 'name="version" value="1"' in form_page
    other = Client()
    other.force_login(clerk2)
    assert (
        other.post(_url(petition, "accept"), {"decided_on": "2020-03-03", "version": "1"})
    ).status_code == 302

    response = client.post(
        _url(petition, "reject"),
        {
            "decided_on": "2020-03-03",
            "rejection_reason": "不属于本机关职权范围甲乙丙",
            "redirect_to": "县人力社保局",
            "version": "1",
        },
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "该记录已被他人修改" in text and "您的修改未保存" in text
    assert "赵二" in text and "状态：待受理 → 办理中" in text
    assert "不属于本机关职权范围甲乙丙" in text  # what the clerk typed is still there
    assert 'name="version" value="2"' in text  # a second submit is a conscious decision
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ACCEPTED and petition.rejection_reason == ""
    assert petition.version == 2


def test_service_save_of_a_stale_copy_raises_and_writes_nothing(clerk, justice_office):
    petition = _petition(clerk, justice_office)
    stale = Petition.objects.get(pk=petition.pk)
    s.petition_accept(petition, by=clerk, on=dt.date(2020, 3, 3))
    with pytest.raises(s.ValidationError, match="该记录已被他人修改"):
        s.petition_reject(
            stale, by=clerk, on=dt.date(2020, 3, 3), reason="重复", redirect_to="县信访办"
        )
    fresh = Petition.objects.get(pk=petition.pk)
    assert (fresh.status, fresh.version, fresh.events.count()) == ("accepted", 2, 2)


# --- Voiding ----------------------------------------------------------------------------------


def test_voided_petition_leaves_list_and_figures_but_stays_readable(client, clerk, justice_office):
    voided = _petition(clerk, justice_office)
    kept = _petition(clerk, justice_office, id_number=ID_B, name="李四")
    assert selectors.petition_figures(2020).total == 2
    client.force_login(clerk)
    assert "作废理由" in client.get(_url(voided, "void")).content.decode()
    # Without the confirmation nothing happens.
    assert (
        client.post(_url(voided, "void"), {"void_reason": "重复登记", "version": "1"}).status_code
        == 200
    )
    assert not Petition.objects.get(pk=voided.pk).is_voided

    response = client.post(
        _url(voided, "void"),
        {"void_reason": "重复登记", "confirm": "on", "version": "1"},
        follow=True,
    )

    assert "已作废：" + voided.number in response.content.decode()
    voided.refresh_from_db()
    assert voided.is_voided and voided.voided_by == clerk and voided.void_reason == "重复登记"
    listing = client.get("/disputes/petitions/").content.decode()
    assert kept.number in listing and voided.number not in listing
    only_voided = client.get("/disputes/petitions/?voided=only").content.decode()
    assert voided.number in only_voided and kept.number not in only_voided
    assert "已作废" in only_voided
    detail = client.get(_url(voided)).content.decode()
    assert "已作废" in detail and "重复登记" in detail and "受理</a>" not in detail
    assert selectors.petition_figures(2020).total == 1
    assert SecurityEvent.objects.filter(kind="void", target__contains=voided.number).exists()
    # A voided petition takes no further step.
    client.post(_url(voided, "accept"), {"decided_on": "2020-03-03", "version": "2"})
    assert Petition.objects.get(pk=voided.pk).status == Petition.Status.REGISTERED
    # The export follows the list: voided ones only when asked for.
    export = client.get("/ledger/petitions/export/?format=csv").content.decode("utf-8-sig")
    assert kept.number in export and voided.number not in export


def test_no_delete_url_or_delete_permission_for_any_role():
    from miaoba.roles import ROLE_PERMISSIONS

    for role, perms in ROLE_PERMISSIONS.items():
        own = {p for p in perms if p.split(".")[0] in {"disputes", "normative_docs", "tasks"}}
        own |= {p for p in perms if p.startswith("reports.")}
        assert not [p for p in own if ".delete_" in p], role


# --- One record per form ------------------------------------------------------------------------


def test_the_same_registration_posted_twice_creates_one_petition(client, clerk, justice_office):
    client.force_login(clerk)
    token = client.get("/disputes/petitions/new/").context["form"]["form_token"].value()
    data = _petition_post(justice_office, [{"name": "王五"}], form_token=str(token))

    first = client.post("/disputes/petitions/new/", data)
    second = client.post("/disputes/petitions/new/", data, follow=True)

    petition = Petition.objects.get()
    assert first["Location"] == _url(petition)
    assert second.redirect_chain[-1][0] == _url(petition)
    assert "该登记表已提交过，未重复登记" in second.content.decode()
    # The number was not used up by the second post.
    assert s.allocate_serial("petition", 2020) == 2


def test_two_rendered_forms_register_two_petitions(client, clerk, justice_office):
    client.force_login(clerk)
    for name in ("王五", "赵六"):
        token = client.get("/disputes/petitions/new/").context["form"]["form_token"].value()
        data = _petition_post(justice_office, [{"name": name}], form_token=str(token))
        assert client.post("/disputes/petitions/new/", data).status_code == 302
    assert Petition.objects.count() == 2


# --- Forged fields ------------------------------------------------------------------------------


def test_forged_status_number_creator_and_version_are_ignored(
    client, clerk, outsider, justice_office, party_office
):
    client.force_login(clerk)
    forged = {
        "status": "replied",
        "number": "信〔2099〕99号",
        "year": "2099",
        "serial": "99",
        "created_by": str(outsider.pk),
        "version": "7",
        "voided_at": "2020-01-01 00:00",
        "void_reason": "伪造",
    }
    response = client.post(
        "/disputes/petitions/new/", _petition_post(justice_office, [{"name": "王五"}], **forged)
    )
    assert response.status_code == 302
    p = Petition.objects.get()
    assert (p.status, p.number, p.created_by, p.version) == (
        "registered",
        "信〔2020〕1号",
        clerk,
        1,
    )
    assert not p.is_voided

    # A step ignores a forged status too.
    client.post(
        _url(p, "accept"), {"decided_on": "2020-09-16", "status": "replied", "version": "1"}
    )
    p.refresh_from_db()
    assert p.status == "accepted"

    # A unit outside the clerk's units is refused.
    other = client.post(
        "/disputes/petitions/new/", _petition_post(party_office, [{"name": "赵六"}])
    )
    assert other.status_code == 200 and "unit" in other.context["form"].errors
    assert Petition.objects.count() == 1


# --- Change history ---------------------------------------------------------------------------


def test_history_tab_shows_who_changed_which_field_old_and_new(client, clerk, justice_office):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    client.post(_url(petition, "accept"), {"decided_on": "2020-03-03", "version": "1"})

    text = client.get(_url(petition)).content.decode()

    assert "修改记录" in text
    assert "状态：待受理 → 办理中" in text
    assert "受理决定日期：— → 2020-03-03" in text
    history = petition.history.order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~"]
    assert history.last().history_user == clerk
    assert clerk.display_name in text


def test_history_masks_personal_data_for_users_without_the_permission(
    client, clerk, leader, justice_office
):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    client.post(
        _url(petition, "reject"),
        {
            "decided_on": "2020-03-03",
            "rejection_reason": f"来电{PHONE}反映，已转交",
            "redirect_to": "县人力社保局",
            "version": "1",
        },
    )
    client.force_login(leader)
    text = client.get(_url(petition)).content.decode()
    history = text.split("<h2>修改记录</h2>")[1].split("</section>")[0]
    assert "不予受理理由：— → 来电138****8000反映，已转交" in history
    assert PHONE not in history


# --- Personal data ----------------------------------------------------------------------------


def test_full_personal_data_is_shown_on_request_and_each_view_is_recorded(
    client, clerk, leader, justice_office
):
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    masked = client.get(_url(petition)).content.decode()
    assert ID_A not in masked and PHONE not in masked and "显示完整信息" in masked
    assert not SecurityEvent.objects.filter(kind="personal_data_view").exists()

    full = client.get(_url(petition) + "?full=1").content.decode()

    assert ID_A in full and PHONE in full
    event = SecurityEvent.objects.get(kind="personal_data_view")
    assert event.user == clerk and petition.number in event.target
    # A leader without the permission sees it masked, even by asking, and nothing is recorded.
    client.force_login(leader)
    assert ID_A not in client.get(_url(petition) + "?full=1").content.decode()
    assert SecurityEvent.objects.filter(kind="personal_data_view").count() == 1


def test_export_with_full_personal_data_is_recorded_masked_export_is_not(
    client, clerk, leader, justice_office
):
    _petition(clerk, justice_office)
    client.force_login(leader)
    assert ID_A not in client.get("/ledger/petitions/export/?format=csv").content.decode(
        "utf-8-sig"
    )
    masked = SecurityEvent.objects.get(kind="personal_data_export", user=leader)
    assert masked.detail.endswith("（身份证号和联系电话已脱敏）")
    client.force_login(clerk)
    assert ID_A in client.get("/ledger/petitions/export/?format=csv").content.decode("utf-8-sig")
    event = SecurityEvent.objects.get(kind="personal_data_export", user=clerk)
    assert "信访件台账" in event.target and event.detail.endswith("（身份证号和联系电话完整）")


def _all_text_of(tables: list[str]) -> str:
    with connection.cursor() as cursor:
        chunks = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.append(repr(cursor.fetchall()))
    return "\n".join(chunks)


def test_no_history_row_security_event_or_log_line_holds_a_full_id_or_mobile(
    client, clerk, justice_office, caplog
):
    caplog.set_level(logging.DEBUG)
    petition = _petition(clerk, justice_office)
    client.force_login(clerk)
    client.post(
        "/disputes/cases/new/",
        {
            **{"parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "0"},
            **{"parties-MIN_NUM_FORMS": "0", "parties-MAX_NUM_FORMS": "50"},
            "parties-0-name": "王五",
            "parties-0-id_number": ID_B,
            "parties-0-phone": "13900139000",
            "parties-0-side": "申请方",
            "parties-1-name": "赵六",
            "parties-1-side": "被申请方",
            "received_on": "2020-09-16",
            "source": "当事人申请",
            "type": "邻里",
            "body": "镇人民调解委员会",
            "unit": str(justice_office.pk),
            "summary": "相邻通行纠纷",
        },
    )
    client.get(_url(petition) + "?full=1")
    client.get("/ledger/petitions/export/?format=csv")
    client.post(_url(petition, "void"), {"void_reason": f"重复，见{ID_A}", "confirm": "on"})
    person = Person.objects.get(id_number=ID_A)
    person.phone = "13700137000"
    person.save()

    tables = [
        t
        for t in connection.introspection.table_names()
        if "historical" in t or "securityevent" in t or t == "disputes_event"
    ]
    assert len(tables) >= 5
    stored = _all_text_of(tables)
    assert "500***********" + ID_A[-4:] in stored  # the person's history, masked
    for full in (ID_A, ID_B, PHONE, "13900139000", "13700137000"):
        assert full not in stored, full
        assert full not in caplog.text, full


# --- Imports ------------------------------------------------------------------------------------


def test_an_import_failing_midway_writes_no_row(clerk, justice_office, monkeypatch):
    headers = PetitionResource.headers()
    rows = [headers] + [petition_row(信访人姓名=name) for name in ("甲", "乙", "丙")]

    # The import writes in bulk: cases, people and their links are in when the last insert
    # (the timelines) fails; the transaction takes them all back.
    def failing_bulk_create(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(Event.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        import_ledger("petitions", xlsx_bytes(rows), "台账.xlsx", user=clerk)
    assert Petition.objects.count() == 0 and Person.objects.count() == 0
    assert Category.objects.filter(name="邻里").exists()


def test_a_case_written_without_history_rows_opens_with_an_empty_change_record(
    client, clerk, justice_office
):
    """Cases written in bulk (the demo's years, a restored copy) have no history rows; their
    page opens (it was a 500 on every demo petition) and the 修改记录 is simply empty."""
    petition = _petition(clerk, justice_office)
    petition.history.all().delete()
    client.force_login(clerk)

    response = client.get(_url(petition))

    assert response.status_code == 200
    assert response.context["history"] == []

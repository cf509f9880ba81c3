"""Reference lists cached per process (miaoba.refcache) and the filter selects built on them
(miaoba.choices): the same HTML as Django's, no query once cached, fresh after an edit."""

import datetime as dt
import os

import pytest
from django import forms
from django.contrib.auth.models import Group

from miaoba.calendar_seed import seed_calendar
from miaoba.choices import LightSelect, ReferenceChoiceField
from miaoba.models import CalendarDay, Unit
from miaoba.roles import LEADER
from miaoba.workcalendar import WorkCalendar


class _Form(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a<b", "甲&乙"), ("2", "二")], required=False)
    grouped = forms.ChoiceField(choices=[("组<1>", [("1", "一"), ("2", "二")]), ("3", "三")])
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")])


@pytest.mark.parametrize(
    "data",
    [{}, {"plain": "a<b", "grouped": "2", "many": ["1", "3"]}, {"plain": "nope", "grouped": ""}],
)
def test_light_select_writes_the_html_django_writes(data):
    form = _Form(data or None)
    for name in ("plain", "grouped"):
        field = form[name]
        light = field.as_widget(widget=LightSelect.like(field.field.widget))
        assert light == str(field)
    many = form["many"]
    light_many = type("LightMultiple", (LightSelect,), {"allow_multiple_selected": True})
    widget = light_many(choices=many.field.widget.choices)
    widget.is_required = True
    assert many.as_widget(widget=widget) == str(many)


def _units_field():
    return ReferenceChoiceField(
        Unit.objects.all(), cache_key="units", empty_label="全部单位", required=False
    )


@pytest.mark.django_db
def test_reference_choices_keep_the_pinyin_order_and_cost_no_query_once_read(
    django_assert_num_queries,
):
    for name in ("张家坝村委", "安乐社区", "白果村委"):
        Unit.objects.create(name=name, kind=Unit.Kind.OFFICE)
    with django_assert_num_queries(1):
        labels = [label for _value, label in _units_field().choices]
    assert labels == ["全部单位", "安乐社区", "白果村委", "张家坝村委"]
    chosen = Unit.objects.get(name="白果村委")
    with django_assert_num_queries(0):
        field = _units_field()
        assert [label for _v, label in field.choices][1] == "安乐社区"
        assert field.clean(str(chosen.pk)) == chosen
        with pytest.raises(forms.ValidationError):
            field.clean("999999")
        assert field.clean("") is None


@pytest.mark.django_db
def test_an_edited_or_deleted_unit_shows_on_the_next_page(django_assert_num_queries):
    unit = Unit.objects.create(name="安乐社区", kind=Unit.Kind.OFFICE)
    assert [label for _v, label in _units_field().choices] == ["全部单位", "安乐社区"]
    unit.name = "安乐新社区"
    unit.save()
    assert [label for _v, label in _units_field().choices] == ["全部单位", "安乐新社区"]
    unit.delete()
    assert [label for _v, label in _units_field().choices] == ["全部单位"]


@pytest.mark.django_db
def test_a_new_leader_joins_the_leader_filter(client, leader, clerk, django_assert_num_queries):
    client.force_login(leader)
    page = client.get("/tasks/").content.decode()
    assert "李文静" not in page.split('name="leader"')[1].split("</select>")[0]
    clerk.groups.add(Group.objects.get(name=LEADER))
    page = client.get("/tasks/").content.decode()
    assert "李文静" in page.split('name="leader"')[1].split("</select>")[0]


@pytest.mark.django_db
def test_the_header_shows_a_users_new_unit(client, clerk, party_office):
    client.force_login(clerk)
    assert '<span class="who-unit">司法所</span>' in client.get("/").content.decode()
    clerk.units.add(party_office)
    page = client.get("/").content.decode()
    assert '<span class="who-unit">党政办公室</span>' in page
    assert '<span class="tag">录入员</span>' in page


@pytest.mark.django_db
def test_a_login_stamp_is_not_an_edit(clerk, django_assert_num_queries):
    assert [label for _v, label in _units_field().choices] == ["全部单位", "司法所"]
    clerk.last_login = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    clerk.save(update_fields=["last_login"])
    with django_assert_num_queries(0):
        list(_units_field().choices)


@pytest.mark.django_db
def test_the_calendar_is_read_once_and_again_after_an_edit(django_assert_num_queries):
    with django_assert_num_queries(1):
        WorkCalendar.load()
    with django_assert_num_queries(0):
        assert not WorkCalendar.load().is_working_day(dt.date(2030, 1, 5))  # a Saturday
    CalendarDay.objects.create(date=dt.date(2030, 1, 5), kind=CalendarDay.Kind.WORKDAY, name="调休")
    assert WorkCalendar.load().is_working_day(dt.date(2030, 1, 5))
    seed_calendar(CalendarDay, [2031])  # bulk_create: no signal, the seed drops the cache
    assert 2031 in WorkCalendar.load().years


@pytest.mark.django_db
def test_an_edit_in_another_process_reaches_this_one(settings, django_assert_num_queries):
    list(_units_field().choices)
    Unit.objects.bulk_create([Unit(name="白果村委", kind=Unit.Kind.OFFICE)])  # no signal here
    with django_assert_num_queries(0):
        assert len(_units_field().choices) == 1
    # Another process's invalidate() replaces the stamp file.
    path = settings.REFERENCE_STAMP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    other = path.with_name("other-process")
    other.write_text("4321\n")
    os.replace(other, path)
    assert [label for _v, label in _units_field().choices] == ["全部单位", "白果村委"]


@pytest.mark.django_db
def test_admin_edits_reach_the_filters(client, administrator, justice_office):
    client.force_login(administrator)
    assert "司法所" in client.get("/reports/records/").content.decode()
    response = client.post(
        f"/admin/miaoba/unit/{justice_office.pk}/change/",
        {
            "name": "庙坝镇司法所",
            "kind": justice_office.kind,
            "order": justice_office.order,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert f'<option value="{justice_office.pk}">庙坝镇司法所</option>' in (
        client.get("/reports/records/").content.decode()
    )

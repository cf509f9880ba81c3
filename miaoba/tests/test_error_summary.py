"""Errors a clerk can find: a summary at the top of every form, each error linking to its
field, and required-field messages that name the field (请填写信访人姓名)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms

from disputes.forms import PetitionAcceptForm
from disputes.models import Category
from disputes.tests.builders import register_petition
from disputes.validators import id_check_digit
from miaoba.forms import required_message

ROOT = Path(__file__).resolve().parents[2]


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "页面顶部没有错误汇总"
    return match.group(0)


@pytest.mark.django_db
def test_a_long_petition_form_lists_every_error_at_the_top_with_links(
    client, clerk, justice_office
):
    client.force_login(clerk)
    bad_id = "500229196503121110"  # wrong check digit
    good = "50022919650312111"
    good += id_check_digit(good)
    data = {
        "received_on": "2020-09-16",
        "channel": "来访",
        "category": "",
        "unit": str(justice_office.pk),
        "summary": "",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "50",
        "people-0-name": "向明",
        "people-0-id_number": good,
        "people-1-name": "向秀英",
        "people-1-id_number": bad_id,
        "people-2-phone": "13896001234",  # a row with a phone but no name
    }
    html = client.post("/disputes/petitions/new/", data).content.decode()
    summary = _summary(html)

    assert html.index('<div class="error-summary"') < html.index('<form method="post" novalidate>')
    assert "请修改以下4处后再保存：" in summary
    assert '<a href="#id_category">问题分类</a>：请选择问题分类。' in summary
    assert '<a href="#id_summary">反映问题</a>：请填写反映问题。' in summary
    assert '<a href="#id_people-1-id_number">第2行身份证号</a>：' in summary
    assert '<a href="#id_people-2-name">第3行姓名</a>：请填写信访人姓名。' in summary
    # what was typed stays
    assert 'value="向秀英"' in html and f'value="{bad_id}"' in html
    # each field still says it beside itself
    assert '<small class="error">请填写信访人姓名。</small>' in html


@pytest.mark.django_db
def test_a_step_form_names_the_missing_date(client, clerk, justice_office):
    import datetime as dt

    petition = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2))
    client.force_login(clerk)
    html = client.post(f"/disputes/petitions/{petition.pk}/accept/", {"decided_on": ""}).content
    summary = _summary(html.decode())
    assert '<a href="#id_decided_on">受理日期</a>：请填写受理日期。' in summary


def test_required_messages_name_the_field_by_its_kind():
    assert required_message(forms.CharField(label="姓名"), "信访人") == "请填写信访人姓名。"
    assert required_message(forms.ChoiceField(label="来源渠道")) == "请选择来源渠道。"
    assert (
        required_message(forms.ModelChoiceField(label="问题分类", queryset=Category.objects.none()))
        == "请选择问题分类。"
    )
    assert required_message(forms.FileField(label="文件")) == "请选择要上传的文件。"
    assert (
        required_message(forms.BooleanField(label="确认作废此记录")) == "请勾选“确认作废此记录”。"
    )
    # a label that already names the subject is not named twice
    assert required_message(forms.ChoiceField(label="当事人地位"), "当事人") == "请选择当事人地位。"


def test_a_form_of_its_own_keeps_its_own_required_message():
    class F(forms.Form):
        reason = forms.CharField(label="理由", error_messages={"required": "请说明延期理由。"})

    assert F({}).errors["reason"] == ["请说明延期理由。"]
    assert PetitionAcceptForm({}).errors["decided_on"] == ["请填写受理日期。"]


# Forms whose errors come back otherwise: uploads redirect to the record and say why at the top
# (已上传 / 未上传：…, a red message); the login page says one thing for every failure.
OWN_SUMMARY = {
    "templates/disputes/_case_side.html",
    "templates/normative_docs/review_detail.html",
    "templates/registration/login.html",
}


def test_every_template_that_shows_a_forms_fields_has_the_summary():
    missing = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r'<form method="post".*?</form>', text, re.S):
            shows_fields = '"_field.html"' in form or "{{ field }}" in form
            name = str(path.relative_to(ROOT))
            summarised = "_form_errors.html" in text or "error_summary" in text
            if shows_fields and not summarised and name not in OWN_SUMMARY:
                missing.append(name)
    assert not missing, f"这些页面的表单没有顶部错误汇总：{sorted(set(missing))}"

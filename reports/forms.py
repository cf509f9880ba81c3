"""Forms of the work records, year figures and the annual report."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from miaoba.forms import DateInput
from miaoba.records import FormTokenField
from reports.models import (
    AnnualReport,
    Outline,
    ReportSection,
    WorkRecord,
    WorkRecordKind,
    YearFigure,
)


class WorkRecordForm(forms.ModelForm):
    """Enter a work record (工作记录登记); the unit is one of the user's."""

    class Meta:
        model = WorkRecord
        fields = [
            "on",
            "kind",
            "title",
            "sessions",
            "participants",
            "materials",
            "unit",
            "leader",
            "leader_part",
            "note",
        ]
        widgets = {"on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    form_token = FormTokenField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["form_token"]
        self.fields["kind"].queryset = WorkRecordKind.objects.filter(is_active=True)
        self.fields["kind"].empty_label = "请选择"
        units = user.units.filter(is_active=True)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = "请选择"
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self) -> dt.date:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError("日期晚于今天，不能预先登记。")
        if on.year < 2000:
            raise forms.ValidationError("日期早于2000年，请核对年份。")
        return on


class YearFiguresForm(forms.Form):
    """All year figures of one year on one form: value and source for each (年度指标填报)."""

    def __init__(self, *args, year: int, existing: dict[str, YearFigure], **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in YearFigure.Key.choices:
            unit = YearFigure.UNITS[key]
            figure = existing.get(key)
            self.fields[f"{key}__value"] = forms.DecimalField(
                label=f"{label}（{unit}）",
                required=False,
                min_value=0,
                max_value=100 if unit == "%" else None,
                decimal_places=1,
                initial=figure.value if figure else None,
                help_text="不填表示本年度无此数据",
            )
            self.fields[f"{key}__source"] = forms.CharField(
                label=f"{label}数据来源",
                required=False,
                max_length=100,
                initial=figure.source if figure else "",
            )


class ReportCreateForm(forms.Form):
    """Start the report of a year."""

    year = forms.IntegerField(label="报告年度", min_value=2000, max_value=2100)
    span_from = forms.IntegerField(
        label="累计起始年度",
        min_value=2000,
        max_value=2100,
        help_text="如 2016：累计数据按2016年至报告年度计算",
    )
    as_of = forms.DateField(
        label="数据截止日期",
        required=False,
        widget=DateInput(),
        help_text="不填为报告年度12月31日（或今天）",
    )
    outline = forms.ChoiceField(
        label="报告结构",
        required=False,
        choices=[("", "按年度默认（2021年起为督察工作规定五项内容）"), *Outline.choices],
    )

    def clean(self):
        data = super().clean()
        if data.get("year") and data.get("span_from") and data["span_from"] > data["year"]:
            self.add_error("span_from", "累计起始年度不能晚于报告年度。")
        return data


class ReportHeaderForm(forms.ModelForm):
    """The report's header fields (标题, 发文字号, 主送机关, 成文日期, 发布日期, 截止日期)."""

    class Meta:
        model = AnnualReport
        fields = [
            "title",
            "title_break",
            "doc_number",
            "addressee",
            "issuer",
            "written_on",
            "published_on",
            "as_of",
            "span_from",
        ]
        widgets = {"written_on": DateInput(), "published_on": DateInput(), "as_of": DateInput()}


class SectionForm(forms.ModelForm):
    """One section's heading and narrative; figures are tokens such as {信访·信访件数·2021年}."""

    class Meta:
        model = ReportSection
        fields = ["heading", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14, "id": "section-text"})}
        help_texts = {
            "text": "花括号中的数据（如 {信访·信访件数·2021年}）按记录自动计算；"
            "在右侧“插入数据”中点击“插入”即可加入。【待补充：…】处须补写后才能定稿。"
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新打开的原因", widget=forms.Textarea(attrs={"rows": 3}))

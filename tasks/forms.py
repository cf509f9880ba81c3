"""Forms of the problem and task pages. They check shapes; the rules live in `tasks.services`."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from miaoba.models import Unit, User
from miaoba.records import FormTokenField
from tasks.filters import UserChoiceField, _leaders
from tasks.models import Problem, Task
from tasks.validators import validate_evidence


class DateInput(forms.DateInput):
    """The browser's own date picker (works offline)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _text(
    label: str, *, required: bool = False, rows: int = 3, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files at once (整改佐证材料), each checked by `validate_evidence`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.ofd"}),
        )
        kwargs.setdefault(
            "help_text", "可一次选择多个文件；PDF、JPG、PNG、Word、Excel 或 OFD，单个不超过20 MB"
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        if not items and self.required:
            raise ValidationError("请上传佐证材料。")
        cleaned = [super(EvidenceField, self).clean(item, initial) for item in items]
        errors = []
        for upload in cleaned:
            try:
                validate_evidence(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _users():
    return User.objects.filter(is_active=True).order_by("name_pinyin")


# --- Problems --------------------------------------------------------------------------------


class ProblemForm(forms.ModelForm):
    """Registration and edit of a problem (问题登记)."""

    class Meta:
        model = Problem
        fields = [
            "source",
            "year",
            "document",
            "order",
            "category",
            "aspect",
            "title",
            "detail",
            "reported_in_year",
        ]
        widgets = {
            "detail": forms.Textarea(attrs={"rows": 5}),
            "title": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "year": "问题所在文件的年度，如2020年度法治政府建设报告填2020",
            "category": "如：思想认识、工作推进、组织保障",
            "aspect": "大类下的细分，如：学法用法、普法宣传",
            "reported_in_year": "督察、审计等发现的问题写入了哪一年的年度报告；年度报告本身的问题不填",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["source"].choices = [("", "请选择")] + Problem.Source.choices

    def validate_unique(self) -> None:
        """Leave the duplicate check to `services.problem_register`, which says it in Chinese."""


# --- Tasks -----------------------------------------------------------------------------------

_MILESTONE_LINE = re.compile(
    r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*[，,、：:\s]\s*(.+)$"
)


def parse_milestones(text: str) -> list[tuple[str, dt.date]]:
    """Read milestones typed one a line as "2021-03-31 第一季度集体学法".

    Returns (title, due date) pairs in order; raises ValidationError naming each bad line.
    """
    result, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _MILESTONE_LINE.match(line)
        if not match:
            errors.append(
                f"第{number}行“{line.strip()[:30]}”格式不对，应写成“2021-03-31 第一季度集体学法”。"
            )
            continue
        year, month, day, title = match.groups()
        try:
            due = dt.date(int(year), int(month), int(day))
        except ValueError:
            errors.append(f"第{number}行的日期{year}-{month}-{day}不存在。")
            continue
        if len(title.strip()) > 100:
            errors.append(f"第{number}行的阶段目标超过100个字。")
            continue
        result.append((title.strip(), due))
    if errors:
        raise ValidationError(errors)
    return result


class _TaskFields(forms.Form):
    measures = _text("整改措施", required=True, rows=4)
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Unit.objects.filter(is_active=True), empty_label="请选择"
    )
    co_units = forms.ModelMultipleChoiceField(
        label="配合单位",
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
    )
    responsible = UserChoiceField(
        label="责任人", queryset=User.objects.none(), empty_label="请选择"
    )
    leader = UserChoiceField(
        label="分管领导",
        queryset=User.objects.none(),
        empty_label="请选择",
        help_text="由分管领导或其他领导核验销号；责任人不能为自己的任务销号",
    )
    follows_up = forms.ModelChoiceField(
        label="回头看（原任务）",
        queryset=Task.objects.none(),
        required=False,
        empty_label="不是回头看任务",
        help_text="对以前已整改的问题开展回头看时，选择原任务",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _users()
        self.fields["leader"].queryset = _leaders()
        self.fields["follows_up"].queryset = Task.objects.visible_to(user).select_related("problem")
        self.fields["follows_up"].label_from_instance = lambda t: f"{t.number} {t.measures[:30]}"


class TaskForm(_TaskFields):
    """Registration of a rectification task (整改任务交办) for a problem."""

    form_token = FormTokenField()

    problem = forms.ModelChoiceField(
        label="问题", queryset=Problem.objects.all(), empty_label="请选择"
    )
    assigned_on = _date("交办日期", help_text="按期限计算整改时限时，自交办日期的次日起算")
    due_on = _date("整改时限", required=False, help_text="填写完成日期；或在下面填写期限天数或月数")
    period_days = forms.IntegerField(
        label="或：期限（日）", min_value=1, max_value=3650, required=False,
        help_text="自交办日期起算；最后一日为法定节假日或休息日的，顺延至其后第一个工作日",
    )  # fmt: skip
    period_months = forms.IntegerField(
        label="或：期限（月）", min_value=1, max_value=120, required=False
    )
    is_long_term = forms.BooleanField(
        label="长期坚持", required=False, help_text="长期坚持的任务不设整改时限，按阶段目标考核"
    )
    milestones = _text(
        "阶段目标",
        rows=4,
        help_text="每行一个：日期 + 空格 + 目标，如“2021-03-31 第一季度集体学法”；长期坚持的任务至少填一个",
    )
    field_order = [
        "problem", "measures", "lead_unit", "co_units", "responsible", "leader", "assigned_on",
        "due_on", "period_days", "period_months", "is_long_term", "milestones", "follows_up",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].label_from_instance = lambda p: (
            f"{p.year}年{p.source}：{p.title[:40]}"
        )
        self.fields["assigned_on"].initial = timezone.localdate()

    def clean_milestones(self) -> list[tuple[str, dt.date]]:
        return parse_milestones(self.cleaned_data.get("milestones", ""))


class TaskEditForm(_TaskFields):
    """Edit of a task's measures, units and people; the deadline changes only by 延期."""

    field_order = ["measures", "lead_unit", "co_units", "responsible", "leader", "follows_up"]

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follows_up"].queryset = self.fields["follows_up"].queryset.exclude(pk=task.pk)


# --- Steps: field names match the services' error keys --------------------------------------


class ProgressForm(forms.Form):
    on = _date("日期")
    text = _text("整改进展", required=True, rows=4, help_text="做了什么、取得什么效果")
    files = EvidenceField(label="佐证材料", required=False)


class CompleteForm(forms.Form):
    completed_on = _date("完成日期")
    text = _text("整改完成情况", required=True, rows=4)
    files = EvidenceField(
        label="佐证材料",
        required=False,
        help_text="报完成须有佐证材料；已在整改进展中上传的可不再上传。PDF、图片、Word、Excel 或 OFD，单个不超过20 MB",
    )


class VerifyForm(forms.Form):
    on = _date("核验日期")
    passed = forms.TypedChoiceField(
        label="核验结论",
        choices=[("1", "整改到位，同意销号"), ("0", "未整改到位，退回整改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = _text("核验意见", help_text="退回整改时必填，写明未整改到位之处")


class ReopenForm(forms.Form):
    on = _date("日期")
    reason = _text("重新整改原因", required=True, help_text="如：问题反弹、回头看发现整改不到位")


class ExtendForm(forms.Form):
    on = _date("批准日期")
    new_due_on = _date("延期至", help_text="应晚于现在的整改时限；每次延期都会计入延期次数")
    reason = _text("延期理由", required=True)
    approved_by = UserChoiceField(
        label="批准领导", queryset=User.objects.none(), empty_label="请选择"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = _leaders()


class MilestoneForm(forms.Form):
    title = forms.CharField(label="阶段目标", max_length=100)
    due_on = _date("完成时限")


class MilestoneReachForm(forms.Form):
    done_on = _date("完成日期")

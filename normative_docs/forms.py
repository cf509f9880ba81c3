"""Forms of the document, review, decision and clean-up pages. They check shapes; the rules
live in `normative_docs.services`.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone

from miaoba.models import Unit, User
from miaoba.records import FormTokenField
from miaoba.roles import ADVISOR
from normative_docs import deadlines
from normative_docs.models import (
    Advisor,
    CleanupItem,
    Conclusion,
    Document,
    Issuer,
    LegalReview,
)


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
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _advisors():
    return Advisor.objects.filter(is_active=True)


class _UnitForm(forms.Form):
    unit_field = "drafting_unit"

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True)
        if not user.is_superuser:
            units = units.filter(pk__in=user.units.values("pk"))
        field = self.fields[self.unit_field]
        field.queryset = units
        if len(units) == 1:
            field.initial = units[0].pk


# --- Documents -------------------------------------------------------------------------------


class DocumentForm(_UnitForm):
    """Start a document (起草): it has no number until registration."""

    title = forms.CharField(
        label="文件名称", max_length=200, help_text="标题含“暂行”“试行”的，有效期默认为2年"
    )
    issuer = forms.ChoiceField(
        label="制定机关",
        choices=[("", "请选择")] + Issuer.choices,
        help_text="镇人民政府发文用“庙坝府发”，镇政府办公室发文用“庙坝府办发”",
    )
    drafting_unit = forms.ModelChoiceField(
        label="起草单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    drafter = forms.CharField(label="起草人", max_length=30, required=False)
    drafted_on = _date("起草日期")
    summary = _text("主要内容", rows=4)
    form_token = FormTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drafted_on"].initial = timezone.localdate()


class ConsultForm(forms.Form):
    comment_from = _date("征求意见开始日期")
    comment_to = _date("征求意见截止日期")
    note = _text("征求意见情况", help_text="征求了哪些单位和群众的意见，收到几条，采纳几条")


class SendReviewForm(forms.Form):
    advisor = forms.ModelChoiceField(
        label="法律顾问", queryset=Advisor.objects.none(), empty_label="请选择"
    )
    submitted_on = _date(
        "送审日期",
        help_text=f"合法性审核一般需{deadlines.review_min_working_days()}至"
        f"{deadlines.review_max_working_days()}个工作日",
    )
    material = _text("送审材料及说明")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = _advisors()


class RecordReviewForm(forms.Form):
    reviewed_on = _date("审核日期")
    reviewer = forms.CharField(label="审核机构（人）", max_length=50, initial="司法所")
    conclusion = forms.ChoiceField(label="审核结论", choices=[("", "请选择")] + Conclusion.choices)
    note = _text("审核意见")


class DiscussForm(forms.Form):
    meeting_name = forms.CharField(label="会议名称", max_length=50, initial="镇政府常务会议")
    meeting_on = _date("会议日期", help_text="应在合法性审核之后")
    passed = forms.TypedChoiceField(
        label="讨论结果",
        choices=[("1", "审议通过"), ("0", "未通过，退回修改")],
        coerce=lambda v: v == "1",
        initial="1",
    )
    note = _text("会议情况")
    minutes = forms.FileField(label="会议纪要", required=False, help_text="PDF、Word 或图片")


class SignForm(forms.Form):
    signed_by = forms.CharField(label="签发人", max_length=30)
    signed_on = _date("签发日期")


class RegisterForm(forms.Form):
    registered_on = _date(
        "登记日期",
        help_text="确认后按制定机关和年度自动给出发文字号（如庙坝府发〔2020〕3号）和登记号，不能更改",
    )


class PublishForm(forms.Form):
    published_on = _date("印发日期")
    effective_on = _date(
        "施行日期",
        required=False,
        help_text=f"文件未另行规定的，不填，按印发后{deadlines.effective_after_days()}日施行",
    )
    validity_years = forms.IntegerField(
        label="有效期（年）",
        required=False,
        min_value=1,
        max_value=10,
        help_text="不填则按5年，暂行、试行文件按2年",
    )


class FileForm(forms.Form):
    filed_on = _date("报备日期", help_text=f"应在印发之日起{deadlines.filing_days()}日内报备")
    filed_to = forms.CharField(label="报备机关", max_length=50, initial="城口县人民政府")


class WithdrawForm(forms.Form):
    ended_on = _date("撤回日期")
    end_reason = _text(
        "撤回理由", required=True, help_text="撤回后该文号作废，保留在登记簿中，不再使用"
    )


class EndForm(forms.Form):
    outcome = forms.ChoiceField(
        label="处理结果",
        choices=[("", "请选择"), ("amended", "修改"), ("repealed", "废止"), ("expired", "失效")],
    )
    ended_on = _date("日期")
    end_reason = _text("说明", help_text="如：被庙坝府发〔2021〕2号废止；有效期届满自动失效")


# --- Reviews ---------------------------------------------------------------------------------


class ReviewCreateForm(_UnitForm):
    """Send a contract, an incident or another matter to the legal advisor."""

    unit_field = "unit"

    kind = forms.ChoiceField(
        label="审查类别",
        choices=[("", "请选择")]
        + [c for c in LegalReview.Kind.choices if c[0] not in {"规范性文件", "重大行政决策"}],
        help_text="规范性文件和重大行政决策请在该文件或决策的页面送审",
    )
    title = forms.CharField(label="审查事项", max_length=200, help_text="如合同名称、事件名称")
    unit = forms.ModelChoiceField(
        label="送审单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    advisor = forms.ModelChoiceField(
        label="法律顾问", queryset=Advisor.objects.none(), empty_label="请选择"
    )
    submitted_on = _date("送审日期")
    material = _text("送审材料及说明")
    files = forms.FileField(
        label="送审材料文件",
        required=False,
        help_text="合同文本、事件材料等（PDF、图片、Word、Excel、OFD，单个不超过20 MB）；"
        "送审后也可在审查页面补充",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = _advisors()
        self.fields["submitted_on"].initial = timezone.localdate()

    def clean_files(self) -> list:
        upload = self.cleaned_data.get("files")
        return [upload] if upload else []


class ReviewFileForm(forms.Form):
    """A file added to a review: more material from the unit, or the advisor's opinion."""

    title = forms.CharField(
        label="材料名称", max_length=100, required=False, help_text="不填则用文件名"
    )
    file = forms.FileField(label="文件")


class ReviewCompleteForm(forms.Form):
    completed_on = _date("完成日期")
    conclusion = forms.ChoiceField(label="审查结论", choices=[("", "请选择")] + Conclusion.choices)
    summary = _text("审查意见", rows=4)
    opinions = _text(
        "建议意见",
        rows=5,
        help_text="每行一条；没有具体建议的可不填",
    )

    def clean_opinions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["opinions"].splitlines() if line.strip()]


ADOPTION_CHOICES = [("", "待反馈"), ("1", "已采纳"), ("0", "未采纳")]


class AdoptionForm(forms.Form):
    """Mark each opinion of a review adopted or not (采纳情况)."""

    def __init__(self, *args, opinions, **kwargs):
        super().__init__(*args, **kwargs)
        self.opinions = list(opinions)
        for i, opinion in enumerate(self.opinions, start=1):
            self.fields[f"opinion_{opinion.pk}"] = forms.ChoiceField(
                label=f"{i}. {opinion.text}",
                choices=ADOPTION_CHOICES,
                required=False,
                initial={True: "1", False: "0", None: ""}[opinion.adopted],
            )

    def marks(self) -> dict[int, bool | None]:
        return {
            o.pk: {"1": True, "0": False}.get(self.cleaned_data[f"opinion_{o.pk}"])
            for o in self.opinions
        }


class AdvisorForm(forms.ModelForm):
    """A legal advisor (法律顾问) and their login."""

    class Meta:
        model = Advisor
        fields = [
            "name",
            "law_firm",
            "licence_number",
            "phone",
            "contract_from",
            "contract_to",
            "user",
            "is_active",
        ]
        widgets = {"contract_from": DateInput(), "contract_to": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        group = Group.objects.filter(name=ADVISOR).first()
        self.fields["user"].queryset = (
            User.objects.filter(groups=group) if group else User.objects.none()
        )
        self.fields[
            "user"
        ].help_text = "法律顾问登录用的账号（角色为“法律顾问”），只能看到送给本人的审查"
        self.fields["user"].empty_label = "无"

    def clean(self):
        data = super().clean()
        start, end = data.get("contract_from"), data.get("contract_to")
        if start and end and end < start:
            self.add_error("contract_to", "聘期结束日期不能早于开始日期。")
        return data


# --- Decisions -------------------------------------------------------------------------------


class DecisionForm(_UnitForm):
    unit_field = "unit"

    title = forms.CharField(label="决策事项", max_length=200)
    unit = forms.ModelChoiceField(
        label="承办单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    started_on = _date("启动日期")
    summary = _text("决策草案主要内容", rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()


class ParticipationForm(forms.Form):
    participation_from = _date("征求意见开始日期")
    participation_to = _date(
        "征求意见截止日期",
        help_text=f"征求意见期限不少于{deadlines.COMMENT_MIN_DAYS}日（第十五条）",
    )
    form = forms.CharField(
        label="公众参与方式", max_length=50, required=False, help_text="如：公示、座谈会、听证会"
    )
    note = _text("意见采纳情况")


_REQUIRED = [("1", "需要"), ("0", "不需要（须写明理由）")]


class _OptionalStepForm(forms.Form):
    required = forms.TypedChoiceField(
        label="是否需要", choices=_REQUIRED, coerce=lambda v: v == "1", initial="1"
    )
    on = _date("日期", required=False)
    note = _text("结论或意见")
    reason = _text("不需要的理由")


class ExpertForm(_OptionalStepForm):
    pass


class RiskForm(_OptionalStepForm):
    pass


class DecisionDiscussForm(forms.Form):
    meeting_name = forms.CharField(label="会议名称", max_length=50, initial="镇政府常务会议")
    meeting_on = _date("会议日期", help_text="合法性审查须在此日期前完成")
    adopted = forms.TypedChoiceField(
        label="讨论结果",
        choices=[("1", "审议通过"), ("0", "未通过")],
        coerce=lambda v: v == "1",
        initial="1",
    )
    result = _text("讨论决定情况")
    minutes = forms.FileField(label="会议纪要", required=False)


class DecisionPublishForm(forms.Form):
    published_on = _date("公布日期")


class DecisionArchiveForm(forms.Form):
    archived_on = _date("归档日期")


# --- Clean-up --------------------------------------------------------------------------------


class CleanupForm(forms.Form):
    title = forms.CharField(
        label="清理名称", max_length=100, help_text="如：2020年规范性文件集中清理"
    )
    started_on = _date("开始日期")
    scope = _text("清理范围")
    documents = forms.ModelMultipleChoiceField(
        label="清理文件",
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="列出的是现行有效的文件，默认全选",
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents
        self.fields["documents"].label_from_instance = lambda d: d.label
        self.fields["documents"].initial = [d.pk for d in documents]
        self.fields["started_on"].initial = timezone.localdate()


class CleanupRecordForm(forms.Form):
    """The outcome of each document in a clean-up (清理结果)."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                label=item.document.label,
                choices=[("", "未确定")] + CleanupItem.Outcome.choices,
                required=False,
                initial=item.outcome,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label="说明", max_length=200, required=False, initial=item.note
            )

    def rows(self):
        for item in self.items:
            yield item, self[f"outcome_{item.pk}"], self[f"note_{item.pk}"]

    def outcomes(self) -> dict[int, tuple[str, str]]:
        return {
            i.pk: (self.cleaned_data[f"outcome_{i.pk}"], self.cleaned_data[f"note_{i.pk}"])
            for i in self.items
        }


class CleanupFinishForm(forms.Form):
    finished_on = _date("完成日期", help_text="各文件的清理结果自此日起生效")

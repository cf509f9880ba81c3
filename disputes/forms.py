"""Forms of the petition and dispute pages. They check shapes; the rules live in services."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from disputes.models import Attachment, Category, Dispute, Mediator, Party, Person, Petition
from disputes.services import REDIRECT_REQUIRED, PersonData
from disputes.validators import validate_id_number, validate_phone
from miaoba.cleaning import normalise_id_number, normalise_name, normalise_phone
from miaoba.forms import DateInput
from miaoba.models import Unit, User, Village
from miaoba.records import FormTokenField
from miaoba.roles import LEADER


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _text(
    label: str,
    *,
    required: bool = False,
    rows: int = 3,
    help_text: str = "",
    max_length: int | None = None,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class PersonForm(forms.Form):
    """One petitioner or party, entered in place on the registration form."""

    required_subject = "信访人"  # 请填写信访人姓名

    name = forms.CharField(label="姓名", max_length=30)
    gender = forms.ChoiceField(
        label="性别", choices=[("", "—")] + Person.Gender.choices, required=False
    )
    # Longer than the stored values: "５００１０１ １９９００１０１ １２３ｘ" or "+86 138-0013-8000"
    # are normalised (miaoba.cleaning) before the stored length is checked.
    id_number = forms.CharField(
        label="身份证号", max_length=40, required=False, help_text="18位；全角数字、小写x会自动转换"
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=40,
        required=False,
        help_text="手机号可带 +86、空格或短横线，会自动整理为11位",
    )
    address = forms.CharField(label="住址", max_length=100, required=False)
    village = forms.ModelChoiceField(
        label="村（社区）",
        queryset=Village.objects.filter(is_active=True),
        required=False,
        empty_label="请选择",
    )

    def clean_name(self) -> str:
        return normalise_name(self.cleaned_data["name"])

    def clean_id_number(self) -> str:
        value = normalise_id_number(self.cleaned_data["id_number"])
        validate_id_number(value)
        return value

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data["phone"])
        validate_phone(value)
        return value

    def person_data(self) -> PersonData:
        """Return what the clerk typed as a PersonData for the registration service."""
        d = self.cleaned_data
        return PersonData(
            name=d["name"].strip(),
            gender=d.get("gender", ""),
            id_number=d.get("id_number", ""),
            phone=d.get("phone", ""),
            address=d.get("address", ""),
            village_id=d["village"].pk if d.get("village") else None,
        )


class PartyForm(PersonForm):
    """A party to a dispute, with their side."""

    required_subject = "当事人"

    # A blank first choice keeps an untouched row unchanged, so blank rows are ignored.
    side = forms.ChoiceField(label="当事人地位", choices=[("", "请选择")] + Party.Side.choices)


class _BasePeopleFormSet(forms.BaseFormSet):
    minimum = 1
    message = "至少登记一名信访人。"

    def filled_forms(self) -> list[PersonForm]:
        """Return the rows the clerk filled in (blank rows are ignored)."""
        return [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]

    def clean(self):
        if any(self.errors):
            return
        if len(self.filled_forms()) < self.minimum:
            raise forms.ValidationError(self.message)


class _BasePartiesFormSet(_BasePeopleFormSet):
    minimum = 2
    message = "矛盾纠纷至少有两方当事人。"


PetitionerFormSet = formset_factory(
    PersonForm, formset=_BasePeopleFormSet, extra=3, can_delete=True, max_num=50
)
PartyFormSet = formset_factory(
    PartyForm, formset=_BasePartiesFormSet, extra=4, can_delete=True, max_num=50
)


class _CaseForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="承办单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    village = forms.ModelChoiceField(
        label="村（社区）",
        queryset=Village.objects.filter(is_active=True),
        required=False,
        empty_label="请选择",
    )
    confirm_repeat = forms.BooleanField(required=False, widget=forms.HiddenInput)
    repeat_of = forms.IntegerField(required=False, widget=forms.HiddenInput)
    is_repeat = forms.BooleanField(label="标记为重复件", required=False)
    form_token = FormTokenField()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        units = user.units.filter(is_active=True)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["received_on"].initial = timezone.localdate()


class PetitionForm(_CaseForm):
    """Registration of a petition (信访件登记): basic facts; petitioners come in a formset."""

    received_on = _date(
        "登记日期", help_text="收到信件、接待来访或网上受理的日期；受理期限自此起算"
    )
    channel = forms.ChoiceField(label="来源渠道", choices=Petition.Channel.choices)
    kind = forms.ChoiceField(
        label="信访形式类别", choices=[("", "—")] + Petition.Kind.choices, required=False
    )
    category = forms.ModelChoiceField(
        label="问题分类", queryset=Category.objects.filter(is_active=True), empty_label="请选择"
    )
    summary = _text("反映问题", required=True, rows=4, max_length=5000)
    request = _text("诉求")
    headcount = forms.IntegerField(
        label="信访人数",
        min_value=1,
        max_value=10000,
        required=False,
        help_text="同一事项人数，5人及以上为集体访；不填按登记的信访人数",
    )
    field_order = [
        "received_on", "channel", "kind", "category", "village", "unit", "summary", "request", "headcount",
    ]  # fmt: skip


class DisputeForm(_CaseForm):
    """Registration of a dispute (矛盾纠纷登记); parties come in a formset."""

    received_on = _date("登记日期", help_text="排查发现或当事人申请的日期")
    source = forms.ChoiceField(label="纠纷来源", choices=Dispute.Source.choices)
    type = forms.ChoiceField(label="纠纷类型", choices=Dispute.Type.choices)
    summary = _text("纠纷简要情况", required=True, rows=4, max_length=5000)
    body = forms.ChoiceField(label="调解组织", choices=Dispute.Body.choices)
    mediator_people = forms.ModelMultipleChoiceField(
        label="调解员",
        queryset=Mediator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="从在册人民调解员中选择；与当事人同名或同姓同村的，系统提示确认是否回避",
    )
    amount = forms.DecimalField(
        label="涉及金额（元）", max_digits=14, decimal_places=2, min_value=0, required=False
    )
    field_order = [
        "received_on", "source", "type", "village", "unit", "summary", "body", "mediator_people",
        "amount",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator_people"].queryset = _mediators_on_record()


class AttachmentForm(forms.ModelForm):
    """Upload of a file to a case (扫描件、告知书、协议书)."""

    class Meta:
        model = Attachment
        fields = ["title", "file"]


def _leaders():
    return User.objects.filter(groups__name=LEADER, is_active=True).order_by("name_pinyin")


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.title}）" if obj.title else obj.display_name


# --- Step forms: field names match the services' error keys --------------------------------


class PetitionAcceptForm(forms.Form):
    decided_on = _date("受理日期", help_text="须在登记之日起15日内作出受理决定并书面告知")


class PetitionRejectForm(forms.Form):
    decided_on = _date("决定日期")
    rejection_reason = _text("不予受理理由", required=True)
    redirect_to = forms.CharField(
        label="告知其向何处提出",
        max_length=100,
        help_text="必填：有权处理的机关或途径，如县人力社保局、人民法院",
        error_messages={"required": REDIRECT_REQUIRED},
    )


class PetitionExtendForm(forms.Form):
    extended_on = _date("批准日期", help_text="须在办结期限届满前批准")
    extension_days = forms.IntegerField(
        label="延长天数", min_value=1, help_text="延期不得超过30日，且只能延期一次"
    )
    extension_reason = _text("延期理由", required=True, help_text="将书面告知信访人")
    extension_approved_by = LeaderChoiceField(
        label="批准领导", queryset=User.objects.none(), empty_label="请选择"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extension_approved_by"].queryset = _leaders()


class PetitionConcludeForm(forms.Form):
    concluded_on = _date("办结日期")
    outcome = forms.ChoiceField(
        label="处理意见", choices=[("", "—")] + Petition.Outcome.choices, required=False
    )
    outcome_text = _text("处理意见书内容", rows=5)


class PetitionReplyForm(forms.Form):
    replied_on = _date("答复日期")
    reply_form = forms.CharField(label="答复方式", max_length=20, initial="书面送达")
    satisfaction = forms.ChoiceField(
        label="满意度", choices=[("", "未评价")] + Petition.Satisfaction.choices, required=False
    )


class PetitionRateForm(forms.Form):
    on = _date("评价日期")
    satisfaction = forms.ChoiceField(label="满意度", choices=Petition.Satisfaction.choices)


class _ReviewForm(forms.Form):
    prefix_name = "review"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        p = self.prefix_name
        name = "复查" if p == "review" else "复核"
        self.fields[f"{p}_requested_on"] = _date(
            f"{name}申请日期", help_text="应在答复（或复查意见）后30日内提出"
        )
        self.fields[f"{p}_result"] = forms.ChoiceField(
            label=f"{name}结果",
            choices=[("", "尚无结果")] + Petition.ReviewResult.choices,
            required=False,
        )
        self.fields[f"{p}_concluded_on"] = _date(f"{name}意见日期", required=False)


class PetitionReviewForm(_ReviewForm):
    prefix_name = "review"


class PetitionRecheckForm(_ReviewForm):
    prefix_name = "recheck"


class _ReviewOpinionForm(forms.Form):
    """The opinion of a 复查 or 复核 already requested: its result and date."""

    prefix_name = "review"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        p = self.prefix_name
        name = "复查" if p == "review" else "复核"
        self.fields[f"{p}_result"] = forms.ChoiceField(
            label=f"{name}结果", choices=Petition.ReviewResult.choices
        )
        self.fields[f"{p}_concluded_on"] = _date(
            f"{name}意见日期", help_text=f"应自收到{name}请求之日起30日内提出{name}意见"
        )


class PetitionReviewOpinionForm(_ReviewOpinionForm):
    prefix_name = "review"


class PetitionRecheckOpinionForm(_ReviewOpinionForm):
    prefix_name = "recheck"


class DisputeAcceptForm(forms.Form):
    decided_on = _date("受理日期", help_text="受理后一般应在一个月内调结")


class DisputeRejectForm(forms.Form):
    decided_on = _date("决定日期")
    rejection_reason = _text(
        "不予受理理由",
        required=True,
        help_text="如：一方当事人明确拒绝调解（《人民调解法》第十七条）",
    )


class DisputeConcludeForm(forms.Form):
    concluded_on = _date("调结日期")
    result = forms.ChoiceField(
        label="调解结果",
        choices=[
            (Dispute.Status.SUCCEEDED, "调解成功"),
            (Dispute.Status.FAILED, "调解不成"),
            (Dispute.Status.TERMINATED, "终止调解"),
        ],
    )
    agreement_form = forms.ChoiceField(
        label="协议形式", choices=[("", "—")] + Dispute.AgreementForm.choices, required=False
    )
    agreement_text = _text(
        "协议内容", rows=4, help_text="口头协议也应记录协议内容（《人民调解法》第三十条）"
    )
    agreement_effective_on = _date(
        "协议生效日期",
        required=False,
        help_text="书面协议自各方签名、盖章之日起生效；不填即调结日期",
    )
    conclusion_note = _text(
        "情况说明及告知的其他途径", help_text="调解不成或终止时必填（第二十六条）"
    )


class DisputePerformanceForm(forms.Form):
    performance_checked_on = _date("核实日期")
    performance = forms.ChoiceField(label="履行情况", choices=Dispute.Performance.choices)


class DisputeCourtForm(forms.Form):
    court_applied_on = _date(
        "申请司法确认日期", help_text="自协议生效之日起30日内申请（《人民调解法》第三十三条）"
    )
    court_result = forms.ChoiceField(
        label="司法确认结果",
        choices=[("", "尚无结果")] + Dispute.CourtResult.choices,
        required=False,
    )
    court_decided_on = _date("法院裁定日期", required=False)


class DisputeCourtResultForm(forms.Form):
    court_result = forms.ChoiceField(label="司法确认结果", choices=Dispute.CourtResult.choices)
    court_decided_on = _date("法院裁定日期")


def _mediators_on_record():
    return Mediator.objects.filter(is_active=True).select_related("village")


class DisputeMediatorsForm(forms.Form):
    """Choose or change the mediators (指定调解员) from the list on record."""

    on = _date("指定日期")
    mediator_people = forms.ModelMultipleChoiceField(
        label="调解员",
        queryset=Mediator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一名调解员。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator_people"].queryset = _mediators_on_record()


class DisputeRecusalForm(forms.Form):
    """Confirm that a flagged mediator need not step aside (确认无需回避), with the reason."""

    recusal_confirmed_on = _date("确认日期")
    recusal_note = _text(
        "无需回避的理由",
        required=True,
        help_text="如：同姓不同宗，与当事人无亲属关系，双方当事人同意由其调解",
    )


class DisputeFollowUpForm(forms.Form):
    followed_up_on = _date("回访日期")
    follow_up_note = _text("回访情况", required=True)


class DisputeReplyForm(forms.Form):
    replied_on = _date("答复日期")
    reply_form = forms.CharField(label="答复方式", max_length=20, initial="当面答复")

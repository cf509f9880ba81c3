"""Forms of the 行政复议/行政应诉 register: registration (with the people formset) and steps.

Forms carry no domain rule: the services check and refuse (`reconsideration.services`).
"""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from disputes.forms import PersonForm, _BasePeopleFormSet, _date, _text
from miaoba.models import Unit, User
from miaoba.records import FormTokenField
from reconsideration.models import Case


class ApplicantForm(PersonForm):
    """One applicant (申请人) or plaintiff (原告)."""

    required_subject = "申请人（原告）"


class _BaseApplicantFormSet(_BasePeopleFormSet):
    minimum = 1
    message = "至少登记一名申请人（原告）。"


ApplicantFormSet = formset_factory(
    ApplicantForm, formset=_BaseApplicantFormSet, extra=2, can_delete=True, max_num=50
)


class CaseForm(forms.Form):
    """Registration of a case (登记): the copy of the application or complaint received."""

    kind = forms.ChoiceField(label="案件类型", choices=Case.Kind.choices)
    case_number = forms.CharField(
        label="案号", max_length=50, help_text="复议机关或人民法院的案号，如（2024）渝0154行初12号"
    )
    body = forms.CharField(
        label="复议机关或人民法院", max_length=50, help_text="如 城口县人民政府、城口县人民法院"
    )
    received_on = _date(
        "收到副本日期", help_text="收到申请书副本或起诉状副本之日；答复（答辩）期限自次日起算"
    )
    act = forms.CharField(label="被申请复议或被诉的行政行为", max_length=200)
    act_kind = forms.ChoiceField(label="行政行为类别", choices=Case.ActKind.choices)
    act_number = forms.CharField(label="行政行为文号", max_length=50, required=False)
    claims = _text("请求事项")
    unit = forms.ModelChoiceField(
        label="承办单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    form_token = FormTokenField()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        units = user.units.filter(is_active=True)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["received_on"].initial = timezone.localdate()


class AnswerForm(forms.Form):
    answered_on = _date("答复（答辩）日期", help_text="书面答复或答辩状及证据提交之日")
    answer_note = _text("答复（答辩）要点")


class HearingForm(forms.Form):
    heard_on = _date("开庭（听证）日期")
    appearance = forms.ChoiceField(label="出庭（听证）人员身份", choices=Case.Appearance.choices)
    appeared_name = forms.CharField(
        label="出庭（听证）人员", max_length=50, help_text="姓名及职务，如 王明 镇长"
    )
    entrust_reason = _text(
        "负责人未能出庭的原因", help_text="委托工作人员出庭的必填（《行政诉讼法》第三条第三款）"
    )


class DecisionForm(forms.Form):
    decided_on = _date("决定（判决）日期")
    outcome = forms.ChoiceField(label="结果", choices=Case.Outcome.choices)
    served_on = _date(
        "送达日期", required=False, help_text="判决、裁定送达之日；上诉期限自次日起算"
    )
    decision_note = _text("决定（判决）要点")


class AppealForm(forms.Form):
    appealed_on = _date("上诉日期")
    appellant = forms.ChoiceField(label="上诉人", choices=Case.Appellant.choices)


class CorrectionForm(forms.Form):
    corrected_on = _date("纠正日期")
    correction_note = _text(
        "纠正情况", required=True, help_text="如 撤销原决定、重新作出、履行职责"
    )


class ReviewLinkForm(forms.Form):
    """Pick the legal advisor's review (法律顾问审查) of the case: a review of an enforcement
    decision or of another matter; the service accepts only the user's units' reviews."""

    review = forms.ModelChoiceField(label="法律顾问审查", queryset=None, empty_label="请选择")

    def __init__(self, *args, **kwargs):
        from normative_docs.models import LegalReview

        super().__init__(*args, **kwargs)
        kinds = [LegalReview.Kind.ENFORCEMENT, LegalReview.Kind.OTHER]
        self.fields["review"].queryset = LegalReview.objects.filter(kind__in=kinds).order_by(
            "-submitted_on"
        )

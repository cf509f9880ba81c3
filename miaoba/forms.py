"""Form pieces every area uses."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker (works offline), values as 2020-12-31."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# --- Errors a clerk can find (issue 15 §3) -------------------------------------------------------

_DEFAULT_REQUIRED = str(forms.Field.default_error_messages["required"])


def required_message(field: forms.Field, subject: str = "") -> str:
    """Return the message for an empty required field, naming it: 请填写信访人姓名.

    A choice says 请选择…, a file 请选择要上传的…, a box to tick 请勾选“…”. `subject` names whose
    field it is in a row of people (信访人, 当事人).
    """
    label = str(field.label or "")
    if subject and not label.startswith(subject):
        label = f"{subject}{label}"
    widget = field.widget
    if isinstance(field, forms.FileField):
        return f"请选择要上传的{label}。"
    if isinstance(widget, forms.CheckboxInput):
        return f"请勾选“{label}”。"
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return f"请至少选择一项{label}。"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        widget, forms.Select | forms.RadioSelect
    ):
        return f"请选择{label}。"
    return f"请填写{label}。"


def name_required_fields(form: forms.BaseForm) -> None:
    """Give each field of `form` whose required message is Django's stock one
    ("这个字段是必填项。") a message naming the field; a message a form set itself stays.

    A form may set `required_subject` (e.g. "信访人") to name whose fields they are.
    """
    subject = getattr(form, "required_subject", "")
    for field in form.fields.values():
        if str(field.error_messages.get("required", "")) == _DEFAULT_REQUIRED and field.label:
            field.error_messages["required"] = required_message(field, subject)


def install_required_messages() -> None:
    """Name the field in every form's required message (called once from MiaobaConfig.ready).

    Every form of the project and of the admin is a BaseForm: its fields are copied per
    instance, so the messages are set on the copy after Django's own __init__.
    """
    if getattr(forms.BaseForm.__init__, "_names_required_fields", False):
        return
    original = forms.BaseForm.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        name_required_fields(self)

    __init__._names_required_fields = True
    forms.BaseForm.__init__ = __init__

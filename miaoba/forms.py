"""Form pieces every area uses."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker (works offline), values as 2020-12-31."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

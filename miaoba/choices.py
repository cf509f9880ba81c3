"""Cheap choice lists for the list filters (查询条件): options from the reference cache,
rendered without a template per option.

Django renders every `<option>` through the form renderer's templates: about 0.1 ms each, and a
filter form with 400 options cost 40–75% of a list page. `LightSelect` writes the same HTML
(attributes, selected option, escaping, optgroups, whitespace) in a loop. `ReferenceChoiceFilter`
is a django-filter `ModelChoiceFilter` whose options and lookup come from a list cached per
process (`miaoba.refcache`), in the queryset's order (pinyin for units and users), so a filter
costs no query.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from miaoba import refcache


def _attrs(attrs: dict) -> str:
    """Return attributes as Django's attrs.html writes them (True: bare name; False: left out)."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{conditional_escape(value)}"')
    return "".join(out)


class LightSelect(forms.Select):
    """A `<select>` written in a Python loop: the HTML of `forms.Select`, without a template
    render per option."""

    @classmethod
    def like(cls, widget: forms.Select) -> LightSelect:
        """Return a LightSelect with `widget`'s attributes, choices and required flag."""
        light = cls(attrs=widget.attrs, choices=widget.choices)
        light.is_required = widget.is_required
        light.is_localized = widget.is_localized
        return light

    def render(self, name, value, attrs=None, renderer=None):
        """Return the select's HTML, as `forms.Select.render` would."""
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = set(self.format_value(value))
        has_selected = False
        parts = ["<select", _attrs(final), ">"]
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group, choices = option_value, option_label
                parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
            else:
                group, choices = None, [(option_value, option_label)]
            for sub_value, sub_label in choices:
                if sub_value is None:
                    sub_value = ""
                chosen = (not has_selected or self.allow_multiple_selected) and str(
                    sub_value
                ) in selected
                has_selected |= chosen
                parts.append(
                    f'\n  <option value="{conditional_escape(sub_value)}"'
                    f"{' selected' if chosen else ''}>{conditional_escape(sub_label)}</option>\n"
                )
            if group is not None:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class ReferenceChoiceIterator(ModelChoiceIterator):
    """The choices of a `ReferenceChoiceField`, from its cached objects (no query)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.reference_objects():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.reference_objects()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.reference_objects())


class ReferenceChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose objects are read once per process (`miaoba.refcache`, under
    `cache_key`) and looked up there: rendering and cleaning cost no query. The queryset gives
    the model, the rows and their order; `cache_key` must name exactly that queryset."""

    iterator = ReferenceChoiceIterator
    widget = LightSelect

    def __init__(self, queryset, *, cache_key: str, **kwargs):
        self.cache_key = cache_key
        super().__init__(queryset, **kwargs)

    def reference_objects(self) -> tuple:
        """Return the cached objects (a tuple, in the queryset's order)."""
        return refcache.get(("choices", self.cache_key), lambda: tuple(self.queryset))

    def to_python(self, value):
        """Return the cached object whose key is `value`; ValidationError if there is none."""
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.reference_objects():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter over a cached reference list: every row of `model`, cached under its
    label (`ReferenceChoiceFilter(Advisor, label="法律顾问")`), or a `queryset=` with its own
    `cache_key=`."""

    field_class = ReferenceChoiceField

    def __init__(self, model=None, **kwargs):
        if model is not None:
            kwargs.setdefault("queryset", model._default_manager.all())
            kwargs.setdefault("cache_key", model._meta.label)
        super().__init__(**kwargs)


def unit_filter(label: str = "承办单位", **kwargs) -> ReferenceChoiceFilter:
    """Return a filter of the township's units (单位, all of them, in order and pinyin), with
    "全部单位" for no choice; `kwargs` go to the filter (e.g. `method=`)."""
    from miaoba.models import Unit

    return ReferenceChoiceFilter(Unit, label=label, empty_label="全部单位", **kwargs)

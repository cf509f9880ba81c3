"""The list filters (查询条件) of the 行政复议/行政应诉 register, with django-filter.

A period is the cases whose copy was received in it, as the figures count them
(`miaoba.periods`); `?figure=` keeps the records behind one figure (`selectors.FIGURE_FILTERS`).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

from disputes.models import Person
from disputes.services import name_key_expression
from miaoba.choices import unit_filter
from miaoba.cleaning import name_key
from miaoba.periods import PeriodFilterMixin, period_filters
from miaoba.records import VoidedFilterMixin, voided_filter
from reconsideration.models import Case
from reconsideration.selectors import FIGURE_FILTERS


class CaseFilter(PeriodFilterMixin, VoidedFilterMixin, django_filters.FilterSet):
    """Filters of the register: year, kind, act kind, status, outcome, unit, keyword."""

    period_field = "received_on"
    figure_filters = FIGURE_FILTERS

    voided = voided_filter()
    q = django_filters.CharFilter(label="关键词", method="search")
    year, month, as_of, figure = period_filters().values()
    kind = django_filters.ChoiceFilter(
        label="案件类型", choices=Case.Kind.choices, empty_label="全部类型"
    )
    act_kind = django_filters.ChoiceFilter(
        label="行政行为类别", choices=Case.ActKind.choices, empty_label="全部类别"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Case.Status.choices, empty_label="全部状态"
    )
    outcome = django_filters.ChoiceFilter(
        label="结果", choices=Case.Outcome.choices, empty_label="全部结果"
    )
    unit = unit_filter()

    class Meta:
        model = Case
        fields = [
            "q", "year", "month", "as_of", "figure", "kind", "act_kind", "status", "outcome",
            "unit",
        ]  # fmt: skip

    def search(self, queryset, name, value):
        """Match the 案号, the act, or an applicant's name (spaces ignored)."""
        value = value.strip()
        if not value:
            return queryset
        persons = Person.objects.annotate(key=name_key_expression()).filter(key=name_key(value))
        ids = queryset.filter(
            Q(case_number__icontains=value)
            | Q(act__icontains=value)
            | Q(applicant_links__person__in=persons.values("pk"))
        ).values("pk")
        return queryset.filter(pk__in=ids)

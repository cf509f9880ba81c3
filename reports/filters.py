"""List filters of the work records, shared by the list page and its export."""

from __future__ import annotations

import django_filters

from miaoba.choices import ReferenceChoiceFilter, unit_filter
from miaoba.periods import PeriodFilterMixin, period_filters
from miaoba.records import VoidedFilterMixin, voided_filter
from reports.models import WorkRecord, WorkRecordKind
from reports.selectors import RECORD_FILTERS


class WorkRecordFilter(PeriodFilterMixin, VoidedFilterMixin, django_filters.FilterSet):
    """Filters of the work records: year (or span "2016-2020"), kind, unit, keyword."""

    period_field = "on"
    figure_filters = RECORD_FILTERS

    voided = voided_filter()

    q = django_filters.CharFilter(label="关键词", field_name="title", lookup_expr="icontains")
    year, month, as_of, figure = period_filters().values()
    kind = ReferenceChoiceFilter(WorkRecordKind, label="类别", empty_label="全部类别")
    unit = unit_filter()

    class Meta:
        model = WorkRecord
        fields = ["q", "year", "month", "as_of", "figure", "kind", "unit"]

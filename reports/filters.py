"""List filters of the work records, shared by the list page and its export."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.utils import timezone

from miaoba.models import Unit
from miaoba.records import VoidedFilterMixin, voided_filter
from reports.models import WorkRecord, WorkRecordKind


def _years() -> list[tuple[str, str]]:
    return [(str(y), f"{y}年") for y in range(timezone.localdate().year, 2015, -1)]


class WorkRecordFilter(VoidedFilterMixin, django_filters.FilterSet):
    """Filters of the work records: year (or span "2016-2020"), kind, unit, keyword."""

    voided = voided_filter()

    q = django_filters.CharFilter(label="关键词", field_name="title", lookup_expr="icontains")
    year = django_filters.CharFilter(
        label="年度",
        method="in_years",
        widget=forms.Select(choices=lambda: [("", "全部年度"), *_years()]),
    )
    kind = django_filters.ModelChoiceFilter(
        label="类别", queryset=WorkRecordKind.objects.all(), empty_label="全部类别"
    )
    unit = django_filters.ModelChoiceFilter(
        label="承办单位", queryset=Unit.objects.all(), empty_label="全部单位"
    )

    class Meta:
        model = WorkRecord
        fields = ["q", "year", "kind", "unit"]

    def in_years(self, queryset, name, value):
        """Keep a year ("2020") or a span ("2016-2020")."""
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", value or "")
        if not match:
            return queryset
        first = int(match.group(1))
        return queryset.filter(on__year__gte=first, on__year__lte=int(match.group(2) or first))

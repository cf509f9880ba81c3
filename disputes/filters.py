"""The list filters (查询条件) of the petition and dispute registers, with django-filter.

The same filter serves the list page and the ledger export, so an export holds exactly what
the filters show.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

from disputes.models import Category, Dispute, Person, Petition
from disputes.selectors import DISPUTE_FILTERS, PETITION_FILTERS
from disputes.services import name_key_expression
from miaoba.choices import ReferenceChoiceFilter, unit_filter
from miaoba.cleaning import name_key, normalise_phone
from miaoba.models import Village
from miaoba.periods import PeriodFilterMixin, period_filters
from miaoba.records import VoidedFilterMixin, voided_filter

_OVERDUE_CHOICES = [("1", "仅超期")]
_YES = [("1", "是")]


class _CaseFilter(PeriodFilterMixin, VoidedFilterMixin, django_filters.FilterSet):
    # A period is the cases received (登记) in it, as the figures count them (miaoba.periods).
    period_field = "received_on"

    voided = voided_filter()
    q = django_filters.CharFilter(label="关键词", method="search")
    year, month, as_of, figure = period_filters().values()
    village = ReferenceChoiceFilter(Village, label="村（社区）", empty_label="全部村（社区）")
    unit = unit_filter()
    is_repeat = django_filters.ChoiceFilter(
        label="重复件", choices=_YES, method="only_repeat", empty_label="不限"
    )

    def search(self, queryset, name, value):
        """Match the number, the summary, a person's name (spaces ignored) or phone (exact)."""
        value = value.strip()
        if not value:
            return queryset
        people = "petitioners" if queryset.model is Petition else "parties"
        # A name typed with spaces or full-width characters finds the person all the same.
        match = Q(key=name_key(value))
        phone = normalise_phone(value)
        if phone[:1].isdigit() and len(phone.replace("-", "")) >= 7:
            match |= Q(phone=phone)  # "138 0013 8000" finds 13800138000
        persons = Person.objects.annotate(key=name_key_expression()).filter(match)
        ids = queryset.filter(
            Q(number__icontains=value)
            | Q(summary__icontains=value)
            | Q(**{f"{people}__in": persons.values("pk")})
        ).values("pk")
        return queryset.filter(pk__in=ids)

    def only_repeat(self, queryset, name, value):
        return queryset.filter(is_repeat=True) if value == "1" else queryset


class PetitionFilter(_CaseFilter):
    """Filters of the petition register: year, status, channel, category, village, unit ..."""

    figure_filters = PETITION_FILTERS

    status = django_filters.ChoiceFilter(
        label="状态", choices=Petition.Status.choices, empty_label="全部状态"
    )
    channel = django_filters.ChoiceFilter(
        label="来源渠道", choices=Petition.Channel.choices, empty_label="全部渠道"
    )
    kind = django_filters.ChoiceFilter(
        label="信访形式类别", choices=Petition.Kind.choices, empty_label="全部类别"
    )
    category = ReferenceChoiceFilter(Category, label="问题分类", empty_label="全部分类")
    overdue = django_filters.ChoiceFilter(
        label="超期", choices=_OVERDUE_CHOICES, method="only_overdue", empty_label="不限"
    )

    class Meta:
        model = Petition
        fields = [
            "q",
            "year",
            "month",
            "as_of",
            "figure",
            "status",
            "channel",
            "kind",
            "category",
            "village",
            "unit",
            "overdue",
            "is_repeat",
        ]

    def only_overdue(self, queryset, name, value):
        # Deadlines depend on the calendar, so the view computes them; see views.overdue_ids.
        from disputes.clocks import overdue_petition_ids

        return queryset.filter(pk__in=overdue_petition_ids(queryset)) if value == "1" else queryset


class DisputeFilter(_CaseFilter):
    """Filters of the dispute register: year, status, type, source, village, unit ..."""

    figure_filters = DISPUTE_FILTERS

    status = django_filters.ChoiceFilter(
        label="状态", choices=Dispute.Status.choices, empty_label="全部状态"
    )
    type = django_filters.ChoiceFilter(
        label="纠纷类型", choices=Dispute.Type.choices, empty_label="全部类型"
    )
    source = django_filters.ChoiceFilter(
        label="纠纷来源", choices=Dispute.Source.choices, empty_label="全部来源"
    )
    overdue = django_filters.ChoiceFilter(
        label="超期", choices=_OVERDUE_CHOICES, method="only_overdue", empty_label="不限"
    )

    class Meta:
        model = Dispute
        fields = [
            "q",
            "year",
            "month",
            "as_of",
            "figure",
            "status",
            "type",
            "source",
            "village",
            "unit",
            "overdue",
            "is_repeat",
        ]

    def only_overdue(self, queryset, name, value):
        from disputes.clocks import overdue_dispute_ids

        return queryset.filter(pk__in=overdue_dispute_ids(queryset)) if value == "1" else queryset

"""The list filters (查询条件) of the register, the review list and the decision list.

The same filter serves the list page and the ledger export, so an export holds exactly what
the filters show.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from miaoba.choices import ReferenceChoiceFilter
from miaoba.periods import PeriodFilterMixin, period_filters
from miaoba.records import VoidedFilterMixin, voided_filter
from miaoba.workcalendar import WorkCalendar
from normative_docs import deadlines
from normative_docs.clocks import filing_overdue_ids
from normative_docs.models import Advisor, Decision, Document, Issuer, LegalReview
from normative_docs.selectors import DECISION_FILTERS, DOCUMENT_FILTERS, REVIEW_FILTERS

_YES = [("1", "是")]


class DocumentFilter(PeriodFilterMixin, VoidedFilterMixin, django_filters.FilterSet):
    """Filters of the register: year, issuer, status, expiring, filing overdue; search.

    A period keeps the documents issued (印发) in it, as the figures count them, and the drafts
    not yet issued that were drafted in it.
    """

    period_field = "published_on"
    figure_filters = DOCUMENT_FILTERS
    first_year = 2010

    voided = voided_filter()

    q = django_filters.CharFilter(label="文号或标题", method="search")
    year, month, as_of, figure = period_filters().values()
    issuer = django_filters.ChoiceFilter(
        label="制定机关", choices=Issuer.choices, empty_label="全部机关"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Document.Status.choices, empty_label="全部状态"
    )
    expiring = django_filters.ChoiceFilter(
        label="即将到期（90日内）", choices=_YES, method="only_expiring", empty_label="不限"
    )
    filing_overdue = django_filters.ChoiceFilter(
        label="报备超期", choices=_YES, method="only_filing_overdue", empty_label="不限"
    )

    class Meta:
        model = Document
        fields = [
            "q",
            "year",
            "month",
            "as_of",
            "figure",
            "issuer",
            "status",
            "expiring",
            "filing_overdue",
        ]

    def search(self, queryset, name, value):
        """Match the 发文字号 (any bracket form), the 登记号 or the title."""
        from normative_docs.parsers import normalise_number

        value = value.strip()
        if not value:
            return queryset
        number = normalise_number(value)
        return queryset.filter(
            Q(number__icontains=number)
            | Q(register_number__icontains=number)
            | Q(title__icontains=value)
        )

    def in_period(self, queryset, period):
        """Documents issued in the period, or, not yet issued, drafted in it."""
        return queryset.filter(
            Q(published_on__range=(period.start, period.end))
            | Q(published_on__isnull=True, drafted_on__range=(period.start, period.end))
        )

    def only_expiring(self, queryset, name, value):
        if value != "1":
            return queryset
        return queryset.expiring(
            on=timezone.localdate(), within_days=deadlines.expiry_warning_days()
        )

    def only_filing_overdue(self, queryset, name, value):
        if value != "1":
            return queryset
        ids = filing_overdue_ids(queryset, today=timezone.localdate(), calendar=WorkCalendar.load())
        return queryset.filter(pk__in=ids)


class ReviewFilter(PeriodFilterMixin, django_filters.FilterSet):
    """Filters of the review list: year sent (送审), kind, advisor, open or done; search."""

    period_field = "submitted_on"
    figure_filters = REVIEW_FILTERS
    first_year = 2010

    q = django_filters.CharFilter(label="审查事项", field_name="title", lookup_expr="icontains")
    year, month, as_of, figure = period_filters().values()
    kind = django_filters.ChoiceFilter(
        label="审查类别", choices=LegalReview.Kind.choices, empty_label="全部类别"
    )
    advisor = ReferenceChoiceFilter(Advisor, label="法律顾问", empty_label="全部法律顾问")
    pending = django_filters.ChoiceFilter(
        label="办理情况",
        choices=[("1", "待审查"), ("0", "已审结")],
        method="only_pending",
        empty_label="全部",
    )

    class Meta:
        model = LegalReview
        fields = ["q", "year", "month", "as_of", "figure", "kind", "advisor", "pending"]

    def only_pending(self, queryset, name, value):
        if value == "1":
            return queryset.filter(completed_on__isnull=True)
        if value == "0":
            return queryset.filter(completed_on__isnull=False)
        return queryset


class DecisionFilter(PeriodFilterMixin, django_filters.FilterSet):
    """Filters of the decision list: year, status; search by title.

    A period keeps the decisions decided (集体讨论决定) in it, as the figures count them, and
    those not yet decided that were started in it.
    """

    period_field = "meeting_on"
    figure_filters = DECISION_FILTERS
    first_year = 2010

    q = django_filters.CharFilter(label="决策事项", field_name="title", lookup_expr="icontains")
    year, month, as_of, figure = period_filters().values()
    status = django_filters.ChoiceFilter(
        label="状态", choices=Decision.Status.choices, empty_label="全部状态"
    )

    class Meta:
        model = Decision
        fields = ["q", "year", "month", "as_of", "figure", "status"]

    def in_period(self, queryset, period):
        """Decisions decided in the period, or, not yet decided, started in it."""
        return queryset.filter(
            Q(meeting_on__range=(period.start, period.end))
            | Q(meeting_on__isnull=True, started_on__range=(period.start, period.end))
        )

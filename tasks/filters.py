"""The list filters (查询条件) of problems and tasks, with django-filter.

The same task filter serves the list page and the ledger export, so an export holds exactly
what the filters show. The deadline filter (整改时限) splits the tasks not yet closed into
overdue, due within 10 days, within 11 to 20 days, and later (DOMAIN.md §6); a 长期坚持 task
counts by its next open milestone.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from miaoba.choices import ReferenceChoiceField, ReferenceChoiceFilter, unit_filter
from miaoba.models import User
from miaoba.periods import PeriodFilterMixin, period_filters
from miaoba.records import VoidedFilterMixin, voided_filter
from miaoba.roles import LEADER
from tasks.models import Problem, Task
from tasks.selectors import TASK_FILTERS

BUCKETS = [
    ("open", "未销号（全部）"),
    ("overdue", "未销号 · 已超期"),
    ("within_10", "未销号 · 10日内到期"),
    ("within_20", "未销号 · 11至20日到期"),
    ("later", "未销号 · 20日以后到期"),
    ("awaiting", "已完成待销号"),
    ("closed", "已销号"),
]
MINE = [("responsible", "我负责的"), ("supervised", "我分管的"), ("units", "本单位牵头或配合的")]


def _leaders(request=None):
    return User.objects.filter(groups__name=LEADER, is_active=True).order_by("name_pinyin")


class UserChoiceField(forms.ModelChoiceField):
    """A choice of users shown by their Chinese name and title."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.title}）" if obj.title else obj.display_name


class LeaderChoiceField(ReferenceChoiceField, UserChoiceField):
    """The leaders, by name and title, from the reference cache."""


class LeaderFilter(ReferenceChoiceFilter):
    """A choice of leaders shown by name (cached per process, `miaoba.refcache`)."""

    field_class = LeaderChoiceField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, queryset=_leaders, cache_key="tasks.leaders", **kwargs)


def bucket_condition(value: str, today: dt.date) -> Q | None:
    """Return the condition of a deadline bucket (`BUCKETS`) judged on `today`, or None for an
    unknown bucket. A task being rectified (未开始/整改中) is placed by its stored `next_due`;
    one with none (a 长期坚持 task with every milestone reached) counts as 20日以后到期."""
    being = Q(status__in=[Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS])

    def due(first: int, last: int) -> Q:
        return being & Q(
            next_due__gte=today + dt.timedelta(days=first),
            next_due__lte=today + dt.timedelta(days=last),
        )

    later = today + dt.timedelta(days=20)
    return {
        "closed": Q(status=Task.Status.CLOSED),
        "open": ~Q(status=Task.Status.CLOSED),
        "awaiting": Q(status=Task.Status.COMPLETED),
        "overdue": being & Q(next_due__lt=today),
        "within_10": due(0, 10),
        "within_20": due(11, 20),
        "later": being & (Q(next_due__gt=later) | Q(next_due__isnull=True)),
    }.get(value)


def bucket_filter(queryset, value: str, today: dt.date):
    """Return the tasks of `queryset` in a deadline bucket (all of them for an unknown one)."""
    condition = bucket_condition(value, today)
    return queryset if condition is None else queryset.filter(condition)


class TaskFilter(PeriodFilterMixin, VoidedFilterMixin, django_filters.FilterSet):
    """Filters of the task register: deadline bucket, status, unit, leader, mine, source, year.

    A period keeps the tasks answering the problems found in it (the problem's 年度), as the
    figures count them.
    """

    figure_filters = TASK_FILTERS

    voided = voided_filter()

    q = django_filters.CharFilter(label="关键词", method="search")
    bucket = django_filters.ChoiceFilter(
        label="整改时限", choices=BUCKETS, method="by_bucket", empty_label="全部"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Task.Status.choices, empty_label="全部状态"
    )
    unit = unit_filter("责任单位", method="by_unit")
    leader = LeaderFilter(label="分管领导", empty_label="全部领导")
    mine = django_filters.ChoiceFilter(
        label="我的", choices=MINE, method="by_mine", empty_label="不限"
    )
    source = django_filters.ChoiceFilter(
        label="问题来源",
        field_name="problem__source",
        choices=Problem.Source.choices,
        empty_label="全部来源",
    )
    _period = period_filters()
    year, as_of, figure = _period["year"], _period["as_of"], _period["figure"]

    class Meta:
        model = Task
        fields = [
            "q",
            "bucket",
            "status",
            "unit",
            "leader",
            "mine",
            "source",
            "year",
            "as_of",
            "figure",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].label = "问题年度"

    def in_period(self, queryset, period):
        """Tasks answering the problems of the period's years."""
        return queryset.filter(problem__year__gte=period.first, problem__year__lte=period.last)

    def search(self, queryset, name, value):
        """Match the number, the measures or the problem."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(measures__icontains=value)
            | Q(problem__title__icontains=value)
        )

    def by_bucket(self, queryset, name, value):
        return bucket_filter(queryset, value, timezone.localdate())

    def by_unit(self, queryset, name, value):
        """Tasks the unit leads or shares (牵头或配合)."""
        ids = Task.objects.filter(Q(lead_unit=value) | Q(co_units=value)).values("pk")
        return queryset.filter(pk__in=ids)

    def by_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None:
            return queryset
        if value == "responsible":
            return queryset.filter(responsible=user)
        if value == "supervised":
            return queryset.filter(leader=user)
        if value == "units":
            ids = Task.objects.filter(
                Q(lead_unit__in=user.units.all()) | Q(co_units__in=user.units.all())
            ).values("pk")
            return queryset.filter(pk__in=ids)
        return queryset


class ProblemFilter(PeriodFilterMixin, django_filters.FilterSet):
    """Filters of the problem list: source, year (or span), grouping, keyword."""

    q = django_filters.CharFilter(label="关键词", method="search")
    source = django_filters.ChoiceFilter(
        label="问题来源", choices=Problem.Source.choices, empty_label="全部来源"
    )
    _period = period_filters()
    year, as_of = _period["year"], _period["as_of"]
    category = django_filters.CharFilter(label="大类", lookup_expr="icontains")

    class Meta:
        model = Problem
        fields = ["q", "source", "year", "as_of", "category"]

    def in_period(self, queryset, period):
        """Problems found in the period's years (the problem's 年度)."""
        return queryset.filter(year__gte=period.first, year__lte=period.last)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(detail__icontains=value) | Q(document__icontains=value)
        )

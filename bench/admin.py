"""A bench-only Django admin: the like-for-like baseline each list page is measured against.

ModelAdmins for the six registers, on their own `AdminSite` mounted by `bench.urls` (never by
the project's URLs). Each shows the columns of the app's list page with the same related rows
fetched, 20 rows a page like the app, and the same filters in its sidebar as the app's 查询条件
form (issue 13 item 6): the same choice lists and the same reference lists (villages, units,
categories, advisors, kinds, leaders), each read from the database as the app reads it, a 作废
filter leaving voided records out by default, a year filter on the same date, and a search box
over the fields the app's 关键词 searches. The sidebar therefore renders as many options as the
app's form. Filters are given in the query string, e.g. `?year=2020&status__exact=replied`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from disputes.models import Dispute, Party, Petition, Petitioner
from normative_docs.models import Document, LegalReview
from reports.models import WorkRecord
from tasks.filters import BUCKETS, MINE, bucket_filter
from tasks.models import Task

site = admin.AdminSite(name="bench_admin")
FIRST_YEAR = 2016


class _BenchAdmin(admin.ModelAdmin):
    list_per_page = 20
    actions = None


class VoidedFilter(admin.SimpleListFilter):
    """作废: not voided (default), all, voided only: the app's `voided_filter`."""

    title = "作废"
    parameter_name = "voided"

    def lookups(self, request, model_admin):
        return [("all", "含已作废"), ("only", "仅已作废")]

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "only":
            return queryset.filter(voided_at__isnull=False)
        return queryset.filter(voided_at__isnull=True)


def year_filter(field: str, *, drafts_field: str | None = None, integer: bool = False):
    """A 年度 filter on the date `field` (or the integer year `field`): the app's `?year=`,
    one option a year."""

    class YearFilter(admin.SimpleListFilter):
        title = "年度"
        parameter_name = "year"

        def lookups(self, request, model_admin):
            this_year = timezone.localdate().year
            return [(str(y), f"{y}年") for y in range(this_year, FIRST_YEAR - 1, -1)]

        def queryset(self, request, queryset):
            if not (self.value() or "").isdigit():
                return queryset
            year = int(self.value())
            if integer:
                return queryset.filter(**{field: year})
            span = (dt.date(year, 1, 1), dt.date(year, 12, 31))
            keep = Q(**{f"{field}__range": span})
            if drafts_field:  # documents: issued in the year, or drafts drafted in it
                keep |= Q(**{f"{field}__isnull": True, f"{drafts_field}__range": span})
            return queryset.filter(keep)

    return YearFilter


def choice_filter(title: str, parameter: str, choices, keep):
    """A filter of fixed options whose queryset is `keep(queryset, value)`."""

    class ChoiceFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            return choices

        def queryset(self, request, queryset):
            return keep(queryset, self.value()) if self.value() else queryset

    ChoiceFilter.title, ChoiceFilter.parameter_name = title, parameter
    return ChoiceFilter


def _overdue_petitions(queryset, value):
    from disputes.clocks import overdue_petition_ids

    return queryset.filter(pk__in=overdue_petition_ids(queryset))


def _overdue_disputes(queryset, value):
    from disputes.clocks import overdue_dispute_ids

    return queryset.filter(pk__in=overdue_dispute_ids(queryset))


class _CaseAdmin(_BenchAdmin):
    """Petitions and disputes alike: their people (through `links`, a Petitioner or Party
    queryset named `links_name`) shown as the app's list shows them."""

    links_name = ""
    links = None

    @staticmethod
    def columns(*own: str) -> tuple[str, ...]:
        return ("number", "received_on", "people", *own, "village", "unit", "status")

    @staticmethod
    def filters(*own: str, overdue) -> tuple:
        overdue_filter = choice_filter("超期", "overdue", [("1", "仅超期")], overdue)
        return (VoidedFilter, year_filter("received_on"), "status", *own, "village", "unit",
                overdue_filter, "is_repeat")  # fmt: skip

    search_fields = ("number", "summary")

    def get_queryset(self, request):
        links = self.links.select_related("person")
        return super().get_queryset(request).prefetch_related(Prefetch(self.links_name, links))

    @admin.display(description="信访人或当事人")
    def people(self, obj):
        return "、".join(link.person.name for link in getattr(obj, self.links_name).all())


@admin.register(Petition, site=site)
class PetitionAdmin(_CaseAdmin):
    list_display = _CaseAdmin.columns("channel", "category")
    list_select_related = ("category", "village", "unit")
    list_filter = _CaseAdmin.filters("channel", "kind", "category", overdue=_overdue_petitions)
    links_name, links = "petitioner_links", Petitioner.objects.all()


@admin.register(Dispute, site=site)
class DisputeAdmin(_CaseAdmin):
    list_display = _CaseAdmin.columns("type", "source")
    list_select_related = ("village", "unit")
    list_filter = _CaseAdmin.filters("type", "source", overdue=_overdue_disputes)
    links_name, links = "party_links", Party.objects.all()


def _expiring(queryset, value):
    from normative_docs import deadlines

    return queryset.expiring(on=timezone.localdate(), within_days=deadlines.expiry_warning_days())


def _filing_overdue(queryset, value):
    from miaoba.workcalendar import WorkCalendar
    from normative_docs.clocks import filing_overdue_ids

    ids = filing_overdue_ids(queryset, today=timezone.localdate(), calendar=WorkCalendar.load())
    return queryset.filter(pk__in=ids)


_YES = [("1", "是")]


@admin.register(Document, site=site)
class DocumentAdmin(_BenchAdmin):
    list_display = ("number", "title", "issuer", "drafting_unit", "published_on", "status")
    list_select_related = ("drafting_unit",)
    list_filter = (
        VoidedFilter,
        year_filter("published_on", drafts_field="drafted_on"),
        "issuer",
        "status",
        choice_filter("即将到期（90日内）", "expiring", _YES, _expiring),
        choice_filter("报备超期", "filing_overdue", _YES, _filing_overdue),
    )
    search_fields = ("number", "register_number", "title")


def _pending(queryset, value):
    return queryset.filter(completed_on__isnull=value == "1")


@admin.register(LegalReview, site=site)
class LegalReviewAdmin(_BenchAdmin):
    list_display = ("title", "kind", "advisor", "unit", "submitted_on", "completed_on", "opinions")
    list_select_related = ("advisor", "unit")
    list_filter = (
        year_filter("submitted_on"),
        "kind",
        "advisor",
        choice_filter("办理情况", "pending", [("1", "待审查"), ("0", "已审结")], _pending),
    )
    search_fields = ("title",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(opinion_count=Count("opinions"))

    @admin.display(description="意见")
    def opinions(self, obj):
        return obj.opinion_count


def _bucket(queryset, value):
    tasks = Task.objects.all()
    tasks = tasks.with_next_due() if hasattr(tasks, "with_next_due") else tasks
    ids = bucket_filter(tasks, value, timezone.localdate()).values("pk")
    return queryset.filter(pk__in=ids)


def _by_mine(queryset, value):
    return queryset  # options only: the bench's URLs never choose 我的


class LeaderFilter(admin.SimpleListFilter):
    """分管领导: the active leaders, by name (the app's `LeaderFilter`)."""

    title = "分管领导"
    parameter_name = "leader"

    def lookups(self, request, model_admin):
        from miaoba.models import User
        from miaoba.roles import LEADER

        leaders = User.objects.filter(groups__name=LEADER, is_active=True).order_by("name_pinyin")
        return [(str(u.pk), u.display_name) for u in leaders]

    def queryset(self, request, queryset):
        return queryset.filter(leader_id=self.value()) if self.value() else queryset


class TaskUnitFilter(admin.SimpleListFilter):
    """责任单位: tasks a unit leads or shares (the app's unit filter), every unit listed."""

    title = "责任单位"
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        from miaoba.models import Unit

        return [(str(u.pk), str(u)) for u in Unit.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        ids = Task.objects.filter(Q(lead_unit=self.value()) | Q(co_units=self.value()))
        return queryset.filter(pk__in=ids.values("pk"))


@admin.register(Task, site=site)
class TaskAdmin(_BenchAdmin):
    list_display = ("number", "problem", "lead_unit", "responsible", "leader", "due_on", "status")
    list_select_related = ("problem", "lead_unit", "responsible", "leader")
    list_filter = (
        VoidedFilter,
        choice_filter("整改时限", "bucket", BUCKETS, _bucket),
        "status",
        TaskUnitFilter,
        LeaderFilter,
        choice_filter("我的", "mine", MINE, _by_mine),
        "problem__source",
        year_filter("problem__year", integer=True),
    )
    search_fields = ("number", "measures", "problem__title")


@admin.register(WorkRecord, site=site)
class WorkRecordAdmin(_BenchAdmin):
    list_display = ("on", "kind", "title", "sessions", "participants", "unit")
    list_select_related = ("kind", "unit")
    list_filter = (VoidedFilter, year_filter("on"), "kind", "unit")
    search_fields = ("title",)

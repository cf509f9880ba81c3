"""A bench-only Django admin: the baseline each list page is measured against.

Minimal ModelAdmins for the six registers, on their own `AdminSite` mounted by `bench.urls`
(never by the project's URLs). Each shows the columns of the app's list page with the same
related rows fetched, 20 rows a page like the app, and no sidebar filters (filters are given in
the query string, e.g. `?year=2020&status__exact=replied`), so the admin does the least work it
can for the same page.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Prefetch

from disputes.models import Dispute, Party, Petition, Petitioner
from normative_docs.models import Document, LegalReview
from reports.models import WorkRecord
from tasks.models import Task

site = admin.AdminSite(name="bench_admin")


class _BenchAdmin(admin.ModelAdmin):
    list_per_page = 20
    actions = None


@admin.register(Petition, site=site)
class PetitionAdmin(_BenchAdmin):
    list_display = (
        "number",
        "received_on",
        "people",
        "channel",
        "category",
        "village",
        "unit",
        "status",
    )
    list_select_related = ("category", "village", "unit")

    def get_queryset(self, request):
        links = Petitioner.objects.select_related("person")
        return super().get_queryset(request).prefetch_related(Prefetch("petitioner_links", links))

    @admin.display(description="信访人")
    def people(self, obj):
        return "、".join(link.person.name for link in obj.petitioner_links.all())


@admin.register(Dispute, site=site)
class DisputeAdmin(_BenchAdmin):
    list_display = (
        "number",
        "received_on",
        "people",
        "type",
        "source",
        "village",
        "unit",
        "status",
    )
    list_select_related = ("village", "unit")

    def get_queryset(self, request):
        links = Party.objects.select_related("person")
        return super().get_queryset(request).prefetch_related(Prefetch("party_links", links))

    @admin.display(description="当事人")
    def people(self, obj):
        return "、".join(link.person.name for link in obj.party_links.all())


@admin.register(Document, site=site)
class DocumentAdmin(_BenchAdmin):
    list_display = ("number", "title", "issuer", "drafting_unit", "published_on", "status")
    list_select_related = ("drafting_unit",)


@admin.register(LegalReview, site=site)
class LegalReviewAdmin(_BenchAdmin):
    list_display = ("title", "kind", "advisor", "unit", "submitted_on", "completed_on", "opinions")
    list_select_related = ("advisor", "unit")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(opinion_count=Count("opinions"))

    @admin.display(description="意见")
    def opinions(self, obj):
        return obj.opinion_count


@admin.register(Task, site=site)
class TaskAdmin(_BenchAdmin):
    list_display = ("number", "problem", "lead_unit", "responsible", "leader", "due_on", "status")
    list_select_related = ("problem", "lead_unit", "responsible", "leader")


@admin.register(WorkRecord, site=site)
class WorkRecordAdmin(_BenchAdmin):
    list_display = ("on", "kind", "title", "sessions", "participants", "unit")
    list_select_related = ("kind", "unit")

"""The people's mediators on record (人民调解员), kept by an administrator."""

from django.contrib import admin

from disputes.models import Mediator


@admin.register(Mediator)
class MediatorAdmin(admin.ModelAdmin):
    """人民调解员: chosen for disputes; their village feeds the 回避 check."""

    list_display = ("name", "village", "user", "is_active")
    list_filter = ("is_active", "village")
    search_fields = ("name",)
    autocomplete_fields = ()
    raw_id_fields = ("user",)

"""系统管理: users, units, villages and the holiday calendar, for administrators."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from miaoba.models import CalendarDay, Unit, User, Village

admin.site.site_header = "庙坝镇法治政府建设工作台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "系统管理"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users with their units and role (group)."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("所属单位与职务", {"fields": ("units", "title")}),
    )
    filter_horizontal = ("groups", "user_permissions", "units")
    list_display = ("username", "last_name", "first_name", "title", "is_active")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Units (科室/站所/驻镇单位)."""

    list_display = ("name", "kind", "order", "is_active")
    list_filter = ("kind", "is_active")


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    """Villages and communities (村/社区)."""

    list_display = ("name", "kind", "order", "is_active")
    list_filter = ("kind", "is_active")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The holiday and make-up working-day table; changing it moves open deadlines."""

    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)

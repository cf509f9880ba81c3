"""系统管理: users, units, villages and the holiday calendar, for administrators."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from miaoba.models import CalendarDay, SecurityEvent, Unit, User, Village

admin.site.site_header = "庙坝镇法治政府建设工作台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "系统管理"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users with their units and role (group)."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("所属单位与职务", {"fields": ("units", "title")}),
        ("账户安全", {"fields": ("must_change_password",)}),
    )
    filter_horizontal = ("groups", "user_permissions", "units")
    list_display = ("username", "last_name", "first_name", "title", "is_active")

    # An administrator (管理员) gives roles; only a superuser may make superusers or give single
    # permissions, and only a superuser may change a superuser (no escalation through this page).
    _SUPERUSER_ONLY = ("is_superuser", "user_permissions")
    # Nobody, a superuser included, changes their own privileges (三员分立): shown, not editable.
    # `miaoba.security` refuses the same changes made any other way.
    _NOT_ON_ONESELF = ("groups", "user_permissions", "is_superuser", "is_staff")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields = (*fields, *self._SUPERUSER_ONLY)
        if obj is not None and obj.pk == request.user.pk:
            fields = (*fields, *self._NOT_ON_ONESELF)
        return tuple(dict.fromkeys(fields))

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)


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


class DateHierarchyAdmin(admin.ModelAdmin):
    """A list with a date hierarchy that answers an absurd year (?at__year=99…9) like any other
    wrong filter (back to the list, flagged as an error) instead of a server error: Django's own
    check catches ValueError but not the OverflowError of a year too large for a C long."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


@admin.register(CalendarDay)
class CalendarDayAdmin(DateHierarchyAdmin):
    """The holiday and make-up working-day table; changing it moves open deadlines."""

    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(SecurityEvent)
class SecurityEventAdmin(DateHierarchyAdmin):
    """The security log (安全日志): read only, filter by kind and date, search by user."""

    list_display = ("at", "kind", "username", "ip_address", "target", "detail")
    list_filter = ("kind", ("at", admin.DateFieldListFilter))
    search_fields = ("username", "target", "detail", "ip_address")
    date_hierarchy = "at"
    list_per_page = 50
    fields = list_display + ("user",)
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

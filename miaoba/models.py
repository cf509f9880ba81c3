"""The township's reference data: units (单位), villages (村/社区), users and the calendar."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Unit(models.Model):
    """A unit of the township (单位): a 科室, a 站所 or a 驻镇单位 (e.g. 党政办, 司法所, 派出所)."""

    class Kind(models.TextChoices):
        OFFICE = "office", "科室"
        STATION = "station", "站所"
        RESIDENT = "resident", "驻镇单位"

    name = models.CharField("单位名称", max_length=50, unique=True)
    kind = models.CharField("单位类别", max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village (村) or community (社区) of the township."""

    class Kind(models.TextChoices):
        VILLAGE = "village", "村"
        COMMUNITY = "community", "社区"

    name = models.CharField("名称", max_length=30, unique=True)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "村（社区）"
        verbose_name_plural = "村（社区）"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff (工作人员) who belongs to one or more units.

    The role (录入员, 法律顾问, 领导, 管理员) is a group; see `miaoba.roles`. Records a clerk
    may see are those of the units they belong to.
    """

    units = models.ManyToManyField(Unit, verbose_name="所属单位", blank=True, related_name="users")
    title = models.CharField("职务", max_length=30, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @property
    def display_name(self) -> str:
        """Return the person's full Chinese name, falling back to the username."""
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username


class CalendarDay(models.Model):
    """A day that departs from the Monday-to-Friday week (工作日历).

    Either a rest day on a weekday or weekend within a holiday run (节假日, `HOLIDAY`), or a
    weekend day worked instead (调休上班日, `WORKDAY`). Days not in this table follow the week:
    Monday to Friday work, Saturday and Sunday rest. Source: the State Council's yearly notice
    on holiday arrangements (国务院办公厅关于节假日安排的通知), seeded from the
    `chinesecalendar` library and editable by an administrator.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=30, help_text="如：春节、国庆中秋")
    source = models.CharField("来源", max_length=100, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}{self.get_kind_display()}"

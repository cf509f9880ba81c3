"""Problems (问题) and their rectification tasks (整改任务), from finding to a verified close (销号).

Rules: `DOMAIN.md` §6. A problem comes from a source (the annual report's 存在的主要问题, an
inspection, an audit, a leader's instruction, a self-check) and is answered by one or more tasks.
A task runs 未开始 → 整改中 → 已完成 (evidence required) → 已销号 (verified by a leader who is not
the responsible person), and goes back to 整改中 when a verification fails or the problem recurs.
Workflow steps live in `tasks.services`; the traffic light in `Task.light`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

from miaoba.models import StoredFile, TimelineEvent, Unit, staff_field
from miaoba.records import Versioned, Voidable, VoidableQuerySet, form_token_field
from tasks.validators import validate_evidence

AMBER_DAYS = 7  # due within 7 days shows amber (临近提醒), DOMAIN.md §6


class Problem(models.Model):
    """A problem the township found in itself (问题), to be rectified by tasks.

    `year` and `document` name where it was written: for source 年度报告 the year of the
    annual report (法治政府建设年度报告) and its title, e.g. 2020 and
    "城口县庙坝镇人民政府2020年法治政府建设工作情况报告". `category` (大类) and `aspect`
    (方面) are the two-level grouping the report counts by. `reported_in_year`, when set, is the
    year of the annual report that also lists a problem of another source.
    """

    class Source(models.TextChoices):
        ANNUAL_REPORT = "年度报告", "年度报告"
        INSPECTION = "督察", "督察"
        PATROL = "巡察", "巡察"
        AUDIT = "审计", "审计"
        LEADER = "领导交办", "领导交办"
        SELF_CHECK = "自查", "自查"

    source = models.CharField("问题来源", max_length=10, choices=Source.choices)
    year = models.PositiveSmallIntegerField("年度")
    document = models.CharField(
        "来源文件", max_length=200, blank=True, help_text="如：某某年度法治政府建设工作情况报告"
    )
    order = models.PositiveSmallIntegerField(
        "序号", default=0, help_text="在来源文件中的顺序，如（一）填1"
    )
    category = models.CharField("大类", max_length=30, blank=True)
    aspect = models.CharField("方面", max_length=30, blank=True)
    title = models.CharField("问题", max_length=200, help_text="问题的概括表述")
    detail = models.TextField("具体表现", blank=True)
    reported_in_year = models.PositiveSmallIntegerField(
        "写入年度报告（年度）", null=True, blank=True
    )
    created_by = staff_field("登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["-year", "source", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "year", "title"], name="problem_once_per_source_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="problem_year_sensible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.source}：{self.title}"

    @property
    def group(self) -> str:
        """Return the grouping as 大类 / 方面, or what of it is filled."""
        return " / ".join(part for part in (self.category, self.aspect) if part)


class TaskQuerySet(VoidableQuerySet):
    """Filters of the task register, named for what a clerk or a leader asks."""

    def visible_to(self, user) -> TaskQuerySet:
        """Return the tasks `user` may see.

        Leaders and administrators see all; others the tasks led by or shared with their units,
        and those they registered, are responsible for or supervise.
        """
        if user.has_perm("tasks.view_all_tasks"):
            return self
        units = user.units.all()
        ids = Task.objects.filter(
            Q(lead_unit__in=units)
            | Q(co_units__in=units)
            | Q(responsible=user)
            | Q(leader=user)
            | Q(created_by=user)
        ).values("pk")
        return self.filter(pk__in=ids)

    def refresh_next_due(self) -> int:
        """Recompute the stored `next_due` of these tasks in one UPDATE; return how many rows.

        For writes that bypass `tasks.services` (the bench's bulk COPY, a data migration).
        """
        first_open_milestone = (
            Milestone.objects.filter(task=OuterRef("pk"), done_on__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1]
        )
        return self.update(
            next_due=models.Case(
                models.When(is_long_term=True, then=Subquery(first_open_milestone)),
                default=F("due_on"),
                output_field=models.DateField(),
            )
        )

    def being_rectified(self) -> TaskQuerySet:
        """Return tasks still being worked on (未开始 or 整改中)."""
        return self.filter(status__in=[Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS])

    def overdue(self, *, on: dt.date) -> TaskQuerySet:
        """Return tasks being rectified whose deadline (or milestone) passed before `on`."""
        return self.being_rectified().filter(next_due__lt=on)

    def due_within(self, *, on: dt.date, first: int, last: int) -> TaskQuerySet:
        """Return tasks being rectified due `first` to `last` days after `on` (inclusive)."""
        return self.being_rectified().filter(
            next_due__gte=on + dt.timedelta(days=first), next_due__lte=on + dt.timedelta(days=last)
        )


class Task(Versioned, Voidable, models.Model):
    """A rectification task (整改任务) answering a problem, tracked until 销号.

    `due_on` is the deadline (整改时限), with `due_explanation` saying how it was set (a date
    given, or a period counted from `assigned_on` by 《民法典》第二百零一条至第二百零三条);
    `is_long_term` marks 长期坚持, which has no deadline and is judged by its milestones.
    `follows_up` points to an earlier task this one looks back on (回头看).
    `next_due` is the date the task is judged by (its traffic light): the deadline of a dated
    task, the earliest milestone not yet reached of a 长期坚持 task (None when every milestone
    is reached). It is stored, and `tasks.services` keeps it current on every write that can
    change it (`sync_next_due`), so lists and counters filter and sort on an indexed column.
    """

    # The deadline lies ahead (miaoba.ledger.check_date).
    FORWARD_DATES = frozenset({"due_on"})

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未开始"
        IN_PROGRESS = "in_progress", "整改中"
        COMPLETED = "completed", "已完成"
        CLOSED = "closed", "已销号"

    number = models.CharField("编号", max_length=30, unique=True, editable=False)
    year = models.PositiveSmallIntegerField("年度", editable=False)
    serial = models.PositiveIntegerField("序号", editable=False)
    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="tasks"
    )
    measures = models.TextField("整改措施")
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_tasks"
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name="配合单位", blank=True, related_name="shared_tasks"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="responsible_tasks",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分管领导",
        on_delete=models.PROTECT,
        related_name="supervised_tasks",
    )
    assigned_on = models.DateField("交办日期")
    due_on = models.DateField("整改时限", null=True, blank=True)
    due_explanation = models.CharField("时限说明", max_length=200, blank=True)
    is_long_term = models.BooleanField("长期坚持", default=False)
    next_due = models.DateField("考核日期", null=True, blank=True, editable=False)
    follows_up = models.ForeignKey(
        "self",
        verbose_name="回头看（原任务）",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.NOT_STARTED, editable=False
    )
    completed_on = models.DateField("完成日期", null=True, blank=True, editable=False)
    closed_on = models.DateField("销号日期", null=True, blank=True, editable=False)
    verified_by = staff_field("销号领导", null=True, blank=True)
    verification_comment = models.TextField("销号意见", blank=True, editable=False)
    created_by = staff_field("登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    form_token = form_token_field()

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["-year", "-serial"]
        permissions = [
            ("view_all_tasks", "查看全部单位的整改任务"),
            ("verify_task", "整改任务销号"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="task_number_per_year"),
            models.CheckConstraint(
                condition=Q(is_long_term=True, due_on__isnull=True)
                | Q(is_long_term=False, due_on__isnull=False),
                name="task_deadline_or_long_term",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
                name="task_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["lead_unit", "status"]),
            models.Index(fields=["status", "next_due"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        """Return True once verified and closed (已销号)."""
        return self.status == self.Status.CLOSED

    @property
    def is_open(self) -> bool:
        """Return True while still being rectified (未开始 or 整改中)."""
        return self.status in {self.Status.NOT_STARTED, self.Status.IN_PROGRESS}

    @property
    def deadline_text(self) -> str:
        """Return the deadline as 2021-06-30, or 长期坚持."""
        return "长期坚持" if self.is_long_term else f"{self.due_on:%Y-%m-%d}"

    def days_left(self, today: dt.date) -> int | None:
        """Return days from `today` to `next_due` (negative when overdue), or None."""
        due = self.next_due
        return None if due is None else (due - today).days

    def light(self, today: dt.date) -> str:
        """Return the traffic light (红黄蓝): red, amber, green, blue or grey.

        blue: 已销号; green: 已完成 awaiting verification, or more than 7 days left, or a
        长期坚持 task with no milestone due; red: past the deadline (a 长期坚持 task: past an
        open milestone); amber: due within 7 days, today included. DOMAIN.md §6.
        """
        if self.status == self.Status.CLOSED:
            return "blue"
        if self.status == self.Status.COMPLETED:
            return "green"
        left = self.days_left(today)
        if left is None:
            return "green"
        if left < 0:
            return "red"
        return "amber" if left <= AMBER_DAYS else "green"

    def light_text(self, today: dt.date) -> str:
        """Return 剩余3天 / 今日到期 / 超期5天 / 待销号 / 已销号 / 长期坚持 for the light."""
        if self.status == self.Status.CLOSED:
            return "已销号"
        if self.status == self.Status.COMPLETED:
            return "已完成，待销号"
        left = self.days_left(today)
        what = "阶段目标" if self.is_long_term else ""
        if left is None:
            return "长期坚持"
        if left < 0:
            return f"{what}超期{-left}天"
        if left == 0:
            return f"{what}今日到期"
        return f"{what}剩余{left}天"


class Milestone(models.Model):
    """A milestone (阶段目标) of a task, e.g. 每季度开展一次集体学法; a 长期坚持 task is judged by them."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("阶段目标", max_length=100)
    due_on = models.DateField("完成时限")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "阶段目标"
        verbose_name_plural = "阶段目标"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Extension(models.Model):
    """An extension of a task's deadline (延期), with its reason and approving leader."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    old_due_on = models.DateField("原整改时限")
    new_due_on = models.DateField("延期至")
    reason = models.TextField("延期理由")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准领导",
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField("批准日期")

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_on__gt=F("old_due_on")), name="extension_moves_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_due_on}→{self.new_due_on}"


class Progress(models.Model):
    """A progress entry (整改进展): what was done on a date, with its evidence files."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField("日期")
    text = models.TextField("整改进展")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("填报时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.text[:20]}"


def _evidence_path(instance, filename: str) -> str:
    task = instance.progress.task
    return f"tasks/{task.year}/{task.serial}/{PurePath(filename).name}"


class Evidence(StoredFile):
    """A file proving rectification (整改佐证材料) on a progress entry.

    Stored under MEDIA_ROOT and downloaded only through a view that checks the user may see
    the task. Type, size and content are checked by `validate_evidence`.
    """

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="evidence")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", upload_to=_evidence_path, validators=[validate_evidence])

    class Meta(StoredFile.Meta):
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"


class Event(TimelineEvent):
    """One change on a task's timeline (办理过程): who did what, when."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")

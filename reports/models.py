"""Work records, year figures and the annual report (DOMAIN.md §7–§8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from miaoba.models import TimelineEvent, Unit, staff_field
from miaoba.records import Versioned, Voidable, VoidableQuerySet, form_token_field


class WorkRecordKind(models.Model):
    """A kind of work record (工作记录类别): 专题会议, 集体学法, 法治培训, 普法活动 ... A reference list."""

    name = models.CharField("类别名称", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "工作记录类别"
        verbose_name_plural = "工作记录类别"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class WorkRecordQuerySet(VoidableQuerySet):
    def visible_to(self, user) -> WorkRecordQuerySet:
        """Return the records `user` may see: all with view_all_records, else own units'."""
        if user.has_perm("reports.view_all_records"):
            return self
        return self.filter(unit__in=user.units.all())


class LeaderPart(models.TextChoices):
    """How a leader took part in a piece of work (第一责任人履职: 主持, 参加, 讲授, 述法)."""

    CHAIRED = "主持", "主持"
    ATTENDED = "参加", "参加"
    TAUGHT = "讲授", "讲授（授课）"
    REPORTED = "述法", "述法"


class WorkRecord(Versioned, Voidable, models.Model):
    """A dated piece of rule-of-law work the report counts (工作记录), e.g. a training session.

    Counts: `sessions` (场次), `participants` (人次, people reached), `materials` (宣传资料份数).
    `leader` and `leader_part` say which principal leader chaired it, took part, taught or
    reported on it (述法): the report's 第一责任人 section (《党政主要负责人履行推进法治建设
    第一责任人职责规定》, 2016) is written from them.
    """

    on = models.DateField("日期")
    kind = models.ForeignKey(WorkRecordKind, verbose_name="类别", on_delete=models.PROTECT)
    title = models.CharField("名称", max_length=100)
    sessions = models.PositiveIntegerField("场次", default=1)
    participants = models.PositiveIntegerField("人次", null=True, blank=True)
    materials = models.PositiveIntegerField("宣传资料（份）", null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="承办单位", on_delete=models.PROTECT)
    note = models.TextField("说明", blank=True)
    leader = models.CharField(
        "主持或参加的领导",
        max_length=30,
        blank=True,
        help_text="党政主要负责人或分管领导的职务和姓名，如：镇长王平",
    )
    leader_part = models.CharField(
        "领导参与方式", max_length=4, choices=LeaderPart.choices, blank=True
    )
    created_by = staff_field("登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    form_token = form_token_field()

    objects = WorkRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作记录"
        verbose_name_plural = "工作记录"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["on", "kind"])]
        permissions = [("view_all_records", "查看全部单位的工作记录")]
        constraints = [
            # A voided record does not block entering it again correctly.
            models.UniqueConstraint(
                fields=["on", "kind", "title", "unit"],
                condition=Q(voided_at__isnull=True),
                name="work_record_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.title}"


class YearFigure(models.Model):
    """A figure of a year entered by hand when no record lies behind it (年度指标).

    E.g. 服务窗口数 8 (个); each has its unit, a note of its source and who entered it.
    """

    class Key(models.TextChoices):
        SERVICE_WINDOWS = "service_windows", "服务窗口数"
        WINDOW_STAFF = "window_staff", "窗口工作人员数"
        SERVICE_ITEMS = "service_items", "纳入窗口的审批服务事项数"
        ON_TIME_RATE = "on_time_rate", "审批服务事项按时办结率"
        CERTIFIED_OFFICERS = "certified_officers", "持证执法人员数"
        LEGAL_ADVISORS = "legal_advisors", "法律顾问人数"

    UNITS = {
        "service_windows": "个",
        "window_staff": "名",
        "service_items": "项",
        "on_time_rate": "%",
        "certified_officers": "名",
        "legal_advisors": "名",
    }

    year = models.PositiveSmallIntegerField("年度")
    key = models.CharField("指标", max_length=30, choices=Key.choices)
    value = models.DecimalField("数值", max_digits=12, decimal_places=1)
    source = models.CharField("数据来源", max_length=100, blank=True)
    entered_by = staff_field("填报人")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度指标"
        verbose_name_plural = "年度指标"
        ordering = ["-year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["year", "key"], name="one_figure_per_year"),
            models.CheckConstraint(condition=Q(value__gte=0), name="year_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_key_display()}"

    @property
    def unit(self) -> str:
        """Return the figure's unit: 个, 名, 项 or %."""
        return self.UNITS[self.key]


class Outline(models.TextChoices):
    """The report's outline: the five contents of 《法治政府建设与责任落实督察工作规定》(2019)
    第二十四条 (default), or the older four-part shape of the 2020 report of 庙坝镇."""

    INSPECTION = "督察", "督察工作规定五项内容（2021年起通用）"
    SEED_2020 = "2020", "2020年报告原有结构（工作开展情况、问题、整改思路、意见建议）"


class AnnualReport(Versioned, models.Model):
    """The annual report on building a law-based government (法治政府建设年度报告).

    Required by 《法治政府建设与责任落实督察工作规定》(2019) 第二十四条: sent to the level above
    by 1 March and published by 1 April of the next year. Figures are computed for `year`, and
    cumulatively for `span_from`–`year`, as of `as_of`. A draft recomputes them on every view;
    finalising freezes text and figures in `frozen`, so later edits of records do not change it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        FINAL = "final", "已定稿"

    year = models.PositiveSmallIntegerField("报告年度", unique=True)
    span_from = models.PositiveSmallIntegerField(
        "累计起始年度", help_text="如 2016，累计数据按 2016 年至报告年度计算"
    )
    as_of = models.DateField("数据截止日期")
    title = models.CharField("标题", max_length=100)
    title_break = models.PositiveSmallIntegerField(
        "标题第一行字数",
        null=True,
        blank=True,
        help_text="标题在第几个字后换行（数字、字母按半个字计）；不填则在词语之间自动换行",
    )
    outline = models.CharField(
        "报告结构", max_length=8, choices=Outline.choices, default=Outline.INSPECTION
    )
    doc_number = models.CharField("发文字号", max_length=40, blank=True)
    addressee = models.CharField("主送机关", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    issuer = models.CharField("发文机关署名", max_length=50, default="城口县庙坝镇人民政府")
    status = models.CharField(
        "状态", max_length=8, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    frozen = models.JSONField("定稿内容", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year"]
        permissions = [
            ("finalise_annualreport", "定稿年度报告"),
            ("reopen_annualreport", "重新打开已定稿的年度报告"),
            ("view_dashboard", "查看统计"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(span_from__lte=models.F("year")), name="span_before_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        """Return True while the report is a draft (草稿): figures recomputed on every view."""
        return self.status == self.Status.DRAFT

    @property
    def is_final(self) -> bool:
        """Return True once finalised (已定稿): text and figures frozen."""
        return self.status == self.Status.FINAL

    @property
    def span_label(self) -> str:
        """Return the cumulative period as written: "2016—2020年" (or "2020年")."""
        from miaoba.periods import span_text

        return span_text(self.span_from, self.year)


class ReportSection(Versioned, models.Model):
    """A section of the report: its heading and narrative, with figures inserted as tokens.

    `compose` names the composer that writes the section from the records (reports.composer)
    and `areas` the areas that feed it. While nobody has edited it (`edited` False) the draft
    shows what the composer writes now; once edited, the author's `text` wins and the page
    shows the composer's current text beside it.
    """

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("顺序")
    level = models.PositiveSmallIntegerField("层级", default=1, help_text="1：一、 2：（一）")
    heading = models.CharField("标题", max_length=100)
    text = models.TextField("正文", blank=True)
    compose = models.CharField("自动生成方式", max_length=30, blank=True, editable=False)
    areas = models.JSONField("数据来源", default=list, blank=True, editable=False)
    edited = models.BooleanField("已人工修改", default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "报告章节"
        verbose_name_plural = "报告章节"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="section_order_once")
        ]

    def __str__(self) -> str:
        return self.heading


class ReportEvent(TimelineEvent):
    """A recorded act on a report: 创建, 修改, 定稿, 重新打开 (who, when, why).

    An act on a report happens when it is recorded: `on` defaults to today (Asia/Shanghai).
    """

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="events")
    on = models.DateField("办理日期", default=timezone.localdate)

    class Meta(TimelineEvent.Meta):
        verbose_name = "报告操作记录"
        verbose_name_plural = "报告操作记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

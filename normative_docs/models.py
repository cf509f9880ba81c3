"""Normative documents (规范性文件), legal advisors (法律顾问), their reviews, major decisions.

Rules: `DOMAIN.md` §4 (规范性文件, 三统一), §5 (法律顾问审查, 《重大行政决策程序暂行条例》),
§9 (dates in Asia/Shanghai) and §10 (ledgers). Workflow steps live in `normative_docs.services`;
deadlines in `normative_docs.clocks`; the periods marked (check) in `normative_docs.deadlines`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from miaoba.models import StoredFile, TimelineEvent, Unit, staff_field
from miaoba.records import Versioned, Voidable, VoidableQuerySet, form_token_field
from miaoba.uploads import validate_upload


class Issuer(models.TextChoices):
    """The issuing body (制定机关); the value is its 机关代字 printed in the 发文字号."""

    GOVERNMENT = "庙坝府发", "庙坝镇人民政府"
    OFFICE = "庙坝府办发", "庙坝镇人民政府办公室"


class Conclusion(models.TextChoices):
    """The conclusion of a legality review (审查结论)."""

    PASSED = "通过", "通过"
    PASSED_AFTER_CHANGES = "修改后通过", "修改后通过"
    REJECTED = "不予通过", "不予通过"


PASSING = (Conclusion.PASSED, Conclusion.PASSED_AFTER_CHANGES)


def document_number(issuer: str, year: int, serial: int) -> str:
    """Format a 发文字号: 庙坝府发〔2020〕3号 (year in full inside 〔〕, no leading zeros, no 第)."""
    return f"{issuer}〔{year}〕{serial}号"


class DocumentQuerySet(VoidableQuerySet):
    """Filters of the register of normative documents."""

    def visible_to(self, user) -> DocumentQuerySet:
        """Return the documents `user` may see: all for leaders, else their units' drafts."""
        if user.has_perm("normative_docs.view_all_documents"):
            return self
        return self.filter(drafting_unit__in=user.units.all())

    def issued(self) -> DocumentQuerySet:
        """Return the documents printed and issued (印发), withdrawn ones excluded."""
        return self.filter(published_on__isnull=False).exclude(status=Document.Status.WITHDRAWN)

    def in_force(self, *, on: dt.date) -> DocumentQuerySet:
        """Return the documents in force on `on`: issued by then and not ended by then."""
        return (
            self.issued()
            .filter(published_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .exclude(status=Document.Status.NOT_NORMATIVE)
        )

    def expiring(self, *, on: dt.date, within_days: int) -> DocumentQuerySet:
        """Return documents in force on `on` whose validity ends within `within_days` days."""
        return self.in_force(on=on).filter(
            expires_on__isnull=False, expires_on__lte=on + dt.timedelta(days=within_days)
        )


def _minutes_to(instance, filename: str) -> str:
    return f"docs/minutes/{instance.__class__.__name__.lower()}-{instance.pk}/{filename}"


class Document(Versioned, Voidable, models.Model):
    """A normative document (规范性文件) from its draft to the end of its life.

    Flow (`DOMAIN.md` §4): 起草 → 征求意见 → 合法性审核 (before collective discussion) →
    集体讨论决定 → 签发 → 统一登记、统一编号 → 统一印发 → 报备 → in force; later 修改, 废止 or
    失效, and a clean-up may find it 不属于规范性文件. A number (`number`, 发文字号, and
    `register_number`, 登记号) is given only at registration, after a passing review and a
    collective decision; a withdrawn number stays on the withdrawn document as void.
    """

    class Status(models.TextChoices):
        DRAFTING = "drafting", "起草中"
        CONSULTING = "consulting", "征求意见中"
        REVIEWING = "reviewing", "合法性审核中"
        REVIEWED = "reviewed", "待集体讨论"
        DECIDED = "decided", "待签发"
        SIGNED = "signed", "待登记编号"
        REGISTERED = "registered", "已编号待印发"
        PUBLISHED = "published", "已印发待报备"
        FILED = "filed", "有效（已报备）"
        AMENDED = "amended", "已修改"
        REPEALED = "repealed", "已废止"
        EXPIRED = "expired", "已失效"
        NOT_NORMATIVE = "not_normative", "不属于规范性文件"
        WITHDRAWN = "withdrawn", "已撤回（文号作废）"

    # Dates that look ahead and may be after today (miaoba.ledger.check_date).
    FORWARD_DATES = frozenset({"effective_on", "expires_on"})

    title = models.CharField("文件名称", max_length=200)
    issuer = models.CharField("制定机关", max_length=10, choices=Issuer.choices)
    drafting_unit = models.ForeignKey(Unit, verbose_name="起草单位", on_delete=models.PROTECT)
    drafter = models.CharField("起草人", max_length=30, blank=True)
    summary = models.TextField("主要内容", blank=True)
    drafted_on = models.DateField("起草日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=15, choices=Status.choices, default=Status.DRAFTING, editable=False
    )
    # 征求意见
    comment_from = models.DateField("征求意见开始日期", null=True, blank=True)
    comment_to = models.DateField("征求意见截止日期", null=True, blank=True)
    comment_note = models.TextField("征求意见情况", blank=True)
    # 合法性审核
    reviewed_on = models.DateField("合法性审核日期", null=True, blank=True)
    review_conclusion = models.CharField(
        "审核结论", max_length=10, choices=Conclusion.choices, blank=True
    )
    reviewer = models.CharField("审核机构（人）", max_length=50, blank=True)
    # 集体讨论决定
    meeting_name = models.CharField("集体讨论会议", max_length=50, blank=True)
    meeting_on = models.DateField("集体讨论日期", null=True, blank=True)
    meeting_minutes = models.FileField("会议纪要", upload_to=_minutes_to, blank=True)
    # 签发
    signed_by = models.CharField("签发人", max_length=30, blank=True)
    signed_on = models.DateField("签发日期", null=True, blank=True)
    # 统一登记、统一编号
    year = models.PositiveSmallIntegerField("文号年度", null=True, blank=True, editable=False)
    serial = models.PositiveIntegerField("文号序号", null=True, blank=True, editable=False)
    number = models.CharField("发文字号", max_length=40, blank=True, editable=False)
    register_year = models.PositiveSmallIntegerField(
        "登记年度", null=True, blank=True, editable=False
    )
    register_serial = models.PositiveIntegerField("登记序号", null=True, blank=True, editable=False)
    register_number = models.CharField("登记号", max_length=40, blank=True, editable=False)
    registered_on = models.DateField("登记日期", null=True, blank=True)
    # 统一印发、施行、有效期
    published_on = models.DateField("印发日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    validity_years = models.PositiveSmallIntegerField("有效期（年）", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    # 报备
    filed_on = models.DateField("报备日期", null=True, blank=True)
    filed_to = models.CharField("报备机关", max_length=50, blank=True)
    # 修改、废止、失效、撤回
    ended_on = models.DateField("失去效力日期", null=True, blank=True)
    end_reason = models.TextField("说明", blank=True)

    created_by = staff_field("登记人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    form_token = form_token_field()

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords()

    IN_FORCE = (Status.PUBLISHED, Status.FILED, Status.AMENDED)

    class Meta:
        verbose_name = "规范性文件"
        verbose_name_plural = "规范性文件"
        ordering = ["-created_at", "-id"]
        permissions = [("view_all_documents", "查看全部单位的规范性文件和重大决策")]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="document_serial_once_per_issuer_year",
            ),
            models.UniqueConstraint(
                fields=["register_year", "register_serial"],
                condition=Q(register_serial__isnull=False),
                name="document_register_serial_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="document_number_once"
            ),
            models.UniqueConstraint(
                fields=["register_number"],
                condition=~Q(register_number=""),
                name="document_register_number_once",
            ),
        ]
        indexes = [
            models.Index(fields=["published_on"]),
            models.Index(fields=["status", "published_on"]),
            models.Index(fields=["issuer", "year", "serial"]),
        ]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def label(self) -> str:
        """Return the number and title, or the title alone before registration."""
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def is_in_force(self) -> bool:
        """Return True while the document is issued and has not ended (现行有效)."""
        return self.status in self.IN_FORCE

    @property
    def is_withdrawn(self) -> bool:
        """Return True when the document was withdrawn before issue (撤回)."""
        return self.status == self.Status.WITHDRAWN

    @property
    def is_void_number(self) -> bool:
        """Return True when the document's number was withdrawn (文号作废)."""
        return self.status == self.Status.WITHDRAWN and bool(self.number)

    @property
    def issuer_name(self) -> str:
        return Issuer(self.issuer).label


class Advisor(models.Model):
    """A government legal advisor (政府法律顾问): an outside lawyer under contract.

    `user` is the advisor's login (group 法律顾问); they see only the reviews sent to them.
    """

    name = models.CharField("姓名", max_length=30)
    law_firm = models.CharField("律师事务所", max_length=100)
    licence_number = models.CharField("执业证号", max_length=30, unique=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    contract_from = models.DateField("聘期开始")
    contract_to = models.DateField("聘期结束")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor",
    )
    is_active = models.BooleanField("在聘", default=True)

    class Meta:
        verbose_name = "法律顾问"
        verbose_name_plural = "法律顾问"
        ordering = ["-is_active", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_to__gte=models.F("contract_from")),
                name="advisor_contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.law_firm}）"

    def under_contract(self, on: dt.date) -> bool:
        """Return True when `on` falls within the contract period (聘期)."""
        return self.contract_from <= on <= self.contract_to


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionQuerySet:
        """Return the decisions `user` may see: all for leaders, else their units' ones."""
        if user.has_perm("normative_docs.view_all_documents"):
            return self
        return self.filter(unit__in=user.units.all())


class Decision(models.Model):
    """A major administrative decision (重大行政决策) and its five required steps.

    《重大行政决策程序暂行条例》(applied to townships by 第四十二条): 公众参与 (comment period
    at least 30 days, 第十五条), 专家论证 (第十九条), 风险评估 (第二十二条), 合法性审查 (before
    discussion, 第二十五条至第二十八条), 集体讨论决定 (第二十九条、第三十条); then 公布 and
    归档. The expert and risk steps may be marked not required, with a reason. The legality
    review is a `LegalReview` of this decision that passed.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "决策程序中"
        DECIDED = "decided", "已集体讨论决定"
        NOT_ADOPTED = "not_adopted", "未通过"
        PUBLISHED = "published", "已公布"
        ARCHIVED = "archived", "已归档"

    title = models.CharField("决策事项", max_length=200)
    unit = models.ForeignKey(Unit, verbose_name="承办单位", on_delete=models.PROTECT)
    summary = models.TextField("决策草案主要内容", blank=True)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=Status.choices,
        default=Status.IN_PROGRESS,
        editable=False,
    )
    started_on = models.DateField("启动日期")
    # 公众参与
    participation_from = models.DateField("征求意见开始日期", null=True, blank=True)
    participation_to = models.DateField("征求意见截止日期", null=True, blank=True)
    participation_form = models.CharField("公众参与方式", max_length=50, blank=True)
    participation_note = models.TextField("意见采纳情况", blank=True)
    # 专家论证
    expert_required = models.BooleanField("需要专家论证", default=True)
    expert_on = models.DateField("专家论证日期", null=True, blank=True)
    expert_note = models.TextField("专家论证意见", blank=True)
    # 风险评估
    risk_required = models.BooleanField("需要风险评估", default=True)
    risk_on = models.DateField("风险评估日期", null=True, blank=True)
    risk_note = models.TextField("风险评估结论", blank=True)
    expert_not_required_reason = models.TextField("无需专家论证的理由", blank=True)
    risk_not_required_reason = models.TextField("无需风险评估的理由", blank=True)
    # 集体讨论决定
    meeting_name = models.CharField("集体讨论会议", max_length=50, blank=True)
    meeting_on = models.DateField("集体讨论日期", null=True, blank=True)
    meeting_result = models.TextField("讨论决定情况", blank=True)
    meeting_minutes = models.FileField("会议纪要", upload_to=_minutes_to, blank=True)
    # 公布、归档
    published_on = models.DateField("公布日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    created_by = staff_field("登记人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "重大行政决策"
        verbose_name_plural = "重大行政决策"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expert_required=True) | ~Q(expert_not_required_reason=""),
                name="decision_expert_skip_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(risk_required=True) | ~Q(risk_not_required_reason=""),
                name="decision_risk_skip_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def participation_days(self) -> int | None:
        """Return the length of the comment period in days (both ends counted), or None."""
        if self.participation_from and self.participation_to:
            return (self.participation_to - self.participation_from).days + 1
        return None


class LegalReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> LegalReviewQuerySet:
        """Return the reviews `user` may see.

        Leaders and administrators see all; a legal advisor only the reviews sent to them;
        a clerk the reviews their units sent.
        """
        if user.has_perm("normative_docs.view_all_reviews"):
            return self
        advisor = Advisor.objects.filter(user=user).first()
        if advisor is not None:
            return self.filter(advisor=advisor)
        return self.filter(unit__in=user.units.all())


class LegalReview(models.Model):
    """A review by the legal advisor (法律顾问审查) with its conclusion and opinions.

    The subject is a document or decision of ours where there is one, else `title` (a contract,
    an incident). `working_days` is counted from `submitted_on` (not counted) to `completed_on`
    with the township calendar; the review should take 5 to 15 working days
    (国办发〔2018〕115号, check: `normative_docs.deadlines`).
    """

    class Kind(models.TextChoices):
        DOCUMENT = "规范性文件", "规范性文件"
        CONTRACT = "合同", "合同"
        DECISION = "重大行政决策", "重大行政决策"
        INCIDENT = "重大事件处置", "重大事件处置"
        ENFORCEMENT = "行政执法决定", "行政执法决定"
        OTHER = "其他", "其他"

    kind = models.CharField("审查类别", max_length=10, choices=Kind.choices)
    advisor = models.ForeignKey(
        Advisor, verbose_name="法律顾问", on_delete=models.PROTECT, related_name="reviews"
    )
    unit = models.ForeignKey(Unit, verbose_name="送审单位", on_delete=models.PROTECT)
    document = models.ForeignKey(
        Document,
        verbose_name="规范性文件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name="重大行政决策",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )
    title = models.CharField("审查事项", max_length=200)
    material = models.TextField("送审材料及说明", blank=True)
    submitted_on = models.DateField("送审日期")
    completed_on = models.DateField("完成日期", null=True, blank=True)
    working_days = models.PositiveSmallIntegerField("用时（工作日）", null=True, blank=True)
    conclusion = models.CharField("审查结论", max_length=10, choices=Conclusion.choices, blank=True)
    summary = models.TextField("审查意见", blank=True)
    created_by = staff_field("送审人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = LegalReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "法律顾问审查"
        verbose_name_plural = "法律顾问审查"
        ordering = ["-submitted_on", "-id"]
        permissions = [("view_all_reviews", "查看全部法律顾问审查")]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=True) | Q(decision__isnull=True),
                name="review_of_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=models.F("submitted_on")),
                name="review_completed_after_submitted",
            ),
        ]
        indexes = [models.Index(fields=["submitted_on"]), models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return f"{self.kind}：{self.title}"

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None

    @property
    def passed(self) -> bool:
        return self.conclusion in PASSING


class ReviewOpinion(models.Model):
    """One opinion (建议意见) of a review, marked adopted (采纳) or not; None while unknown."""

    review = models.ForeignKey(LegalReview, on_delete=models.CASCADE, related_name="opinions")
    order = models.PositiveSmallIntegerField("序号", default=0)
    text = models.TextField("建议意见")
    adopted = models.BooleanField("是否采纳", null=True, blank=True)

    class Meta:
        verbose_name = "建议意见"
        verbose_name_plural = "建议意见"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def adoption_label(self) -> str:
        return {True: "已采纳", False: "未采纳", None: "待反馈"}[self.adopted]


def _review_file_to(instance, filename: str) -> str:
    return f"docs/reviews/{instance.review_id}/{filename}"


class ReviewFile(StoredFile):
    """A file of a review (送审材料): the draft, the contract, the decision's papers, or the
    advisor's written opinion.

    Whoever may see the review may download it (the advisor it was sent to included), through
    a view that checks so; files are never served from disk directly.
    """

    review = models.ForeignKey(LegalReview, on_delete=models.CASCADE, related_name="files")
    title = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", upload_to=_review_file_to, validators=[validate_upload])

    class Meta(StoredFile.Meta):
        verbose_name = "送审材料"
        verbose_name_plural = "送审材料"


class CleanupCampaign(models.Model):
    """A clean-up campaign (规范性文件清理) and the documents it covers.

    Each covered document gets an outcome (继续有效 / 修改 / 废止 / 宣布失效 / 不属于规范性
    文件); the campaign is finished only when every document has one, so the totals by outcome
    add up to the number of documents covered.
    """

    title = models.CharField("清理名称", max_length=100)
    started_on = models.DateField("开始日期")
    finished_on = models.DateField("完成日期", null=True, blank=True)
    scope = models.TextField("清理范围", blank=True)
    documents = models.ManyToManyField(
        Document, through="CleanupItem", verbose_name="清理文件", related_name="cleanups"
    )
    created_by = staff_field("登记人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "规范性文件清理"
        verbose_name_plural = "规范性文件清理"
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CleanupItem(models.Model):
    """A document covered by a clean-up and its outcome (清理结果)."""

    class Outcome(models.TextChoices):
        KEEP = "继续有效", "继续有效"
        AMEND = "修改", "修改"
        REPEAL = "废止", "废止"
        EXPIRE = "宣布失效", "宣布失效"
        NOT_NORMATIVE = "不属于规范性文件", "不属于规范性文件"

    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="cleanup_items")
    outcome = models.CharField("清理结果", max_length=10, choices=Outcome.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "清理结果"
        verbose_name_plural = "清理结果"
        ordering = ["document__year", "document__issuer", "document__serial", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "document"], name="cleanup_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.outcome}"


class Event(TimelineEvent):
    """One step on a document's or decision's timeline (办理过程): who did what, when."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )

    class Meta(TimelineEvent.Meta):
        ordering = ["on", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, decision__isnull=True)
                | Q(document__isnull=True, decision__isnull=False),
                name="docs_event_on_one_subject",
            )
        ]

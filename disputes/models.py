"""Petitions (信访件) and disputes (矛盾纠纷) with their people, steps, clocks and files.

Rules: `DOMAIN.md` §2 (《信访条例》2005, 《信访工作条例》2022) and §3 (《人民调解法》, 司法部令
第75号《人民调解工作若干规定》). Workflow steps live in `disputes.services`; the clocks in
`disputes.clocks`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from disputes.deadlines import MAX_EXTENSION_DAYS, rule_of
from disputes.validators import validate_id_number, validate_phone
from miaoba.cleaning import normalise_id_number, normalise_name, normalise_phone
from miaoba.models import StoredFile, TimelineEvent, Unit, Village, staff_field
from miaoba.records import Versioned, Voidable, VoidableQuerySet, form_token_field

# The upload check is shared; the migrations name it `disputes.models.validate_upload`.
from miaoba.uploads import validate_upload


class Category(models.Model):
    """A subject category of petitions (问题分类: 土地征收与承包, 劳动社保 ...).

    A reference list an administrator can extend.
    """

    name = models.CharField("分类名称", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "信访问题分类"
        verbose_name_plural = "信访问题分类"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Mediator(models.Model):
    """A people's mediator on record (人民调解员), chosen for a dispute instead of typed in.

    A mediator of the town committee is often a member of staff (`user`); a village
    committee's mediator is a villager, with their `village`, which the 回避 check compares with
    the parties' (《人民调解法》第十三条、第二十条). An administrator keeps the list.
    """

    name = models.CharField("姓名", max_length=30)
    village = models.ForeignKey(
        Village, verbose_name="村（社区）", on_delete=models.PROTECT, null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="系统用户",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediator",
        help_text="本镇工作人员担任调解员的，关联其账号",
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "人民调解员"
        verbose_name_plural = "人民调解员"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "village"], name="mediator_once_per_village"),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(village__isnull=True),
                name="mediator_once_without_village",
                violation_error_message="同名的人民调解员已存在（未填村（社区）），请核对或填写所在村。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.village.name}）" if self.village_id else self.name

    def save(self, *args, **kwargs):
        self.name = normalise_name(self.name)
        super().save(*args, **kwargs)


class Person(models.Model):
    """A petitioner or a party to a dispute (信访人/当事人); one person may be on many cases.

    `id_number` is the 18-character resident ID (GB 11643-1999, check digit verified, X in
    upper case); `phone` a mobile (11 digits) or landline number. Both are personal data and are
    shown masked to users without `disputes.view_personal_data`.
    """

    class Gender(models.TextChoices):
        MALE = "男", "男"
        FEMALE = "女", "女"

    name = models.CharField("姓名", max_length=30)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices, blank=True)
    id_number = models.CharField(
        "身份证号", max_length=18, blank=True, validators=[validate_id_number], db_index=True
    )
    phone = models.CharField(
        "联系电话", max_length=20, blank=True, validators=[validate_phone], db_index=True
    )
    address = models.CharField("住址", max_length=100, blank=True)
    village = models.ForeignKey(
        Village, verbose_name="村（社区）", on_delete=models.PROTECT, null=True, blank=True
    )

    # Masked in every history row: see `_mask_person_history`.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        indexes = [models.Index(fields=["name", "village"])]
        permissions = [("view_personal_data", "查看完整身份证号和电话")]
        constraints = [
            # One record per real person: two clerks registering the same ID at once must not
            # create two people.
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="person_id_number_once"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The one normal form, whoever saves (form, import, admin): miaoba.cleaning.
        self.name = normalise_name(self.name)
        self.id_number = normalise_id_number(self.id_number)
        self.phone = normalise_phone(self.phone)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        """Return the ID number as 500***********123X (first 3 and last 4 shown)."""
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        """Return a mobile as 138****8000, a landline with its middle hidden."""
        return mask_phone(self.phone)


def mask_id_number(value: str) -> str:
    """Mask an ID number, keeping the first 3 and last 4 characters: 500***********123X."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """Mask a phone number, keeping the first 3 and last 4 digits: 138****8000."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


class CaseQuerySet(VoidableQuerySet):
    """Filters shared by the petition and dispute registers."""

    def visible_to(self, user) -> CaseQuerySet:
        """Return the cases `user` may see: all for leaders and administrators, else own units'."""
        if user.has_perm("disputes.view_all_cases"):
            return self
        return self.filter(unit__in=user.units.all())

    def received_in(self, first_year: int, last_year: int | None = None) -> CaseQuerySet:
        """Return the cases received in a year or a span of years (inclusive)."""
        return self.filter(
            received_on__year__gte=first_year, received_on__year__lte=last_year or first_year
        )


class Case(Versioned, Voidable, models.Model):
    """What a petition and a dispute share: number, dates, village, unit, repeat marking.

    Also a version (optimistic lock), voiding (作废) and the registration form's one-time token.
    """

    number = models.CharField("编号", max_length=30, unique=True, editable=False)
    year = models.PositiveSmallIntegerField("年度", editable=False)
    serial = models.PositiveIntegerField("序号", editable=False)
    received_on = models.DateField("登记日期")
    village = models.ForeignKey(
        Village, verbose_name="村（社区）", on_delete=models.PROTECT, null=True, blank=True
    )
    unit = models.ForeignKey(Unit, verbose_name="承办单位", on_delete=models.PROTECT)
    summary = models.TextField("主要内容")
    is_repeat = models.BooleanField("重复件", default=False)
    created_by = staff_field("登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    form_token = form_token_field()

    class Meta:
        abstract = True
        ordering = ["-year", "-serial"]

    def __str__(self) -> str:
        return self.number


class Petition(Case):
    """A petition (信访件) from its registration to its reply and any review.

    Flow (`DOMAIN.md` §2): 登记 → 受理 / 不予受理 → 办理中 → (延期) → 办结 → 答复; then 复查 and
    复核 at the next level up. The rule in force is 《信访条例》(2005) for a petition received
    before 2022-05-01 and 《信访工作条例》(2022) from then on.
    """

    class Channel(models.TextChoices):
        LETTER = "来信", "来信"
        VISIT = "来访", "来访（走访）"
        ONLINE = "网上信访", "网上信访"
        PHONE = "电话", "电话"
        FAX = "传真", "传真"
        TRANSFERRED = "上级转送", "上级转送/交办"

    class Kind(models.TextChoices):
        SUGGESTION = "建议意见类", "建议意见类"
        COMPLAINT = "检举控告类", "检举控告类"
        CLAIM = "申诉求决类", "申诉求决类"

    class Status(models.TextChoices):
        REGISTERED = "registered", "待受理"
        ACCEPTED = "accepted", "办理中"
        REJECTED = "rejected", "不予受理"
        CONCLUDED = "concluded", "已办结"
        REPLIED = "replied", "已答复"

    class Outcome(models.TextChoices):
        SUPPORT = "支持", "支持"
        EXPLAIN = "解释说明", "解释说明"
        DENY = "不予支持", "不予支持"

    class Satisfaction(models.TextChoices):
        SATISFIED = "满意", "满意"
        BASICALLY = "基本满意", "基本满意"
        DISSATISFIED = "不满意", "不满意"

    class ReviewResult(models.TextChoices):
        UPHELD = "维持", "维持原处理意见"
        CHANGED = "变更", "撤销或变更原处理意见"

    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices)
    kind = models.CharField("信访形式类别", max_length=10, choices=Kind.choices, blank=True)
    category = models.ForeignKey(Category, verbose_name="问题分类", on_delete=models.PROTECT)
    request = models.TextField("诉求", blank=True)
    headcount = models.PositiveSmallIntegerField(
        "信访人数", default=1, help_text="同一事项的信访人数；5人及以上为集体访"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_petitions",
    )
    repeat_of = models.ForeignKey(
        "self", verbose_name="重复于", on_delete=models.SET_NULL, null=True, blank=True
    )
    petitioners = models.ManyToManyField(
        Person, through="Petitioner", verbose_name="信访人", related_name="petitions"
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.REGISTERED, editable=False
    )

    # 受理 / 不予受理
    decided_on = models.DateField("受理决定日期", null=True, blank=True)
    rejection_reason = models.TextField("不予受理理由", blank=True)
    redirect_to = models.CharField("告知其向何处提出", max_length=100, blank=True)
    # 延期
    extension_days = models.PositiveSmallIntegerField("延长天数", null=True, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    extended_on = models.DateField("延期批准日期", null=True, blank=True)
    # 办结
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    outcome = models.CharField("处理意见", max_length=10, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField("处理意见书内容", blank=True)
    # 答复
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_form = models.CharField("答复方式", max_length=20, blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=10, choices=Satisfaction.choices, blank=True
    )
    # 复查 / 复核
    review_requested_on = models.DateField("复查申请日期", null=True, blank=True)
    review_result = models.CharField(
        "复查结果", max_length=10, choices=ReviewResult.choices, blank=True
    )
    review_concluded_on = models.DateField("复查意见日期", null=True, blank=True)
    recheck_requested_on = models.DateField("复核申请日期", null=True, blank=True)
    recheck_result = models.CharField(
        "复核结果", max_length=10, choices=ReviewResult.choices, blank=True
    )
    recheck_concluded_on = models.DateField("复核意见日期", null=True, blank=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Case.Meta):
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        permissions = [("view_all_cases", "查看全部单位的信访件和矛盾纠纷")]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="petition_number_per_year"),
            models.CheckConstraint(
                condition=Q(extension_days__isnull=True)
                | Q(extension_days__lte=MAX_EXTENSION_DAYS),
                name="petition_extension_at_most_30_days",
            ),
        ]
        indexes = [
            models.Index(fields=["received_on"]),
            models.Index(fields=["status", "received_on"]),
            models.Index(fields=["unit", "received_on"]),
            # The register's order among live cases: lists page through it without a sort
            # or a scan of voided rows (bench: count 185 → 65 ms on 250,000 disputes).
            models.Index(
                fields=["-year", "-serial"],
                condition=Q(voided_at__isnull=True),
                name="petition_live_register",
            ),
        ]

    @property
    def rule(self) -> str:
        """Return the rule in force by the date of receipt: "2005" or "2022"."""
        return rule_of(self.received_on)

    @property
    def rule_name(self) -> str:
        """Return the title of the rule in force, e.g. 《信访条例》（2005年）."""
        return "《信访工作条例》（2022年）" if self.rule == "2022" else "《信访条例》（2005年）"

    @property
    def is_collective(self) -> bool:
        """Return True for a collective petition (集体访): 5 or more people on one matter."""
        return self.headcount >= 5

    @property
    def is_closed(self) -> bool:
        """Return True once no statutory clock runs (replied, or rejected with notice)."""
        return self.status in {self.Status.REPLIED, self.Status.REJECTED}

    @property
    def is_rejected(self) -> bool:
        """Return True when the petition was not accepted (不予受理)."""
        return self.status == self.Status.REJECTED


class AsEntered(models.Model):
    """A person's details as the case's unit entered them on this case (本案登记的信息).

    The shared `Person` row only ties one real person's cases together (repeat detection, one
    record per ID number); it may hold what another unit typed. Pages, ledgers and exports show
    these fields instead, so a unit sees of a person only what it entered itself
    (《个人信息保护法》第六条 最小必要, 第十条). `name` is the person's (same name is checked).
    """

    gender = models.CharField("性别", max_length=2, choices=Person.Gender.choices, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住址", max_length=100, blank=True)
    village = models.ForeignKey(
        Village,
        verbose_name="村（社区）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def as_entered(data) -> dict:
    """Return the link fields of what was typed for a person (a `services.PersonData`)."""
    return {
        "gender": data.gender or "",
        "id_number": normalise_id_number(data.id_number or ""),
        "phone": normalise_phone(data.phone or ""),
        "address": data.address or "",
        "village_id": data.village_id,
    }


class Petitioner(AsEntered):
    """A person on a petition, in the order they were registered (the first is the lead), with
    their details as entered on this petition."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="petitioner_links"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="petitioner_links")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "信访人"
        verbose_name_plural = "信访人"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "person"], name="petitioner_once")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}:{self.person_id}"


class Dispute(Case):
    """A dispute (矛盾纠纷) handled by people's mediation (人民调解).

    Flow (`DOMAIN.md` §3): 登记 → 受理 / 不予受理 (《人民调解法》第十七条) → 调解中 → 调解成功
    (书面或口头协议, 第二十八条至第三十条) / 调解不成 / 终止 (第二十六条) → 履行 (第三十一条)
    → 回访 → 答复. Mediation concludes generally within one month of acceptance (令75号第三十三
    条); court confirmation may be applied for within 30 days of the agreement taking effect
    (《人民调解法》第三十三条).
    """

    # A follow-up visit may be planned ahead (miaoba.ledger.check_date).
    FORWARD_DATES = frozenset({"followed_up_on"})

    class Source(models.TextChoices):
        APPLIED = "当事人申请", "当事人申请"
        FOUND = "主动排查发现", "主动排查发现"
        HANDED_OVER = "部门移交", "部门移交"
        COURT = "法院委派", "法院委派"

    class Type(models.TextChoices):
        FAMILY = "婚姻家庭", "婚姻家庭"
        NEIGHBOUR = "邻里", "邻里"
        LAND = "土地承包/山林权属", "土地承包/山林权属"
        HOMESTEAD = "宅基地", "宅基地"
        DAMAGES = "损害赔偿", "损害赔偿"
        LABOUR = "劳动争议", "劳动争议（劳资）"
        CONTRACT = "合同", "合同"
        DEMOLITION = "征地拆迁", "征地拆迁"
        OTHER = "其他", "其他"

    class Body(models.TextChoices):
        TOWN = "镇人民调解委员会", "镇人民调解委员会"
        VILLAGE = "村（社区）调委会", "村（社区）人民调解委员会"

    class Status(models.TextChoices):
        REGISTERED = "registered", "待受理"
        ACCEPTED = "accepted", "调解中"
        REJECTED = "rejected", "不予受理"
        SUCCEEDED = "succeeded", "调解成功"
        FAILED = "failed", "调解不成"
        TERMINATED = "terminated", "终止调解"

    class AgreementForm(models.TextChoices):
        WRITTEN = "书面", "书面协议"
        ORAL = "口头", "口头协议"

    class Performance(models.TextChoices):
        ONGOING = "履行中", "履行中"
        DONE = "已履行", "已履行"
        NOT_DONE = "未履行", "未履行"

    class CourtResult(models.TextChoices):
        CONFIRMED = "确认有效", "裁定确认有效"
        REFUSED = "驳回申请", "裁定驳回申请"

    source = models.CharField("纠纷来源", max_length=10, choices=Source.choices)
    type = models.CharField("纠纷类型", max_length=12, choices=Type.choices)
    body = models.CharField("调解组织", max_length=12, choices=Body.choices, default=Body.TOWN)
    mediators = models.CharField("调解员", max_length=100, blank=True, help_text="多人用顿号分隔")
    # The mediators chosen from the list on record; `mediators` keeps their names for print
    # and for ledgers that name them as text.
    mediator_people = models.ManyToManyField(
        Mediator, verbose_name="选定的调解员", blank=True, related_name="disputes"
    )
    # 回避: a flagged mediator kept after the clerk confirmed no recusal is needed
    recusal_confirmed_on = models.DateField("确认无需回避日期", null=True, blank=True)
    recusal_note = models.TextField("无需回避的理由", blank=True)
    recusal_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount = models.DecimalField(
        "涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    repeat_of = models.ForeignKey(
        "self", verbose_name="重复于", on_delete=models.SET_NULL, null=True, blank=True
    )
    parties = models.ManyToManyField(
        Person, through="Party", verbose_name="当事人", related_name="disputes"
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.REGISTERED, editable=False
    )
    # 受理 / 不予受理
    decided_on = models.DateField("受理决定日期", null=True, blank=True)
    rejection_reason = models.TextField("不予受理理由", blank=True)
    # 调解结果
    concluded_on = models.DateField("调结日期", null=True, blank=True)
    agreement_form = models.CharField(
        "协议形式", max_length=4, choices=AgreementForm.choices, blank=True
    )
    agreement_text = models.TextField("协议内容", blank=True)
    agreement_effective_on = models.DateField("协议生效日期", null=True, blank=True)
    conclusion_note = models.TextField("调解不成/终止说明及告知的其他途径", blank=True)
    # 履行、司法确认、回访、答复
    performance = models.CharField(
        "履行情况", max_length=4, choices=Performance.choices, blank=True
    )
    performance_checked_on = models.DateField("履行核实日期", null=True, blank=True)
    court_applied_on = models.DateField("申请司法确认日期", null=True, blank=True)
    court_result = models.CharField(
        "司法确认结果", max_length=6, choices=CourtResult.choices, blank=True
    )
    court_decided_on = models.DateField("司法确认裁定日期", null=True, blank=True)
    followed_up_on = models.DateField("回访日期", null=True, blank=True)
    follow_up_note = models.TextField("回访情况", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_form = models.CharField("答复方式", max_length=20, blank=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Case.Meta):
        verbose_name = "矛盾纠纷"
        verbose_name_plural = "矛盾纠纷"
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="dispute_number_per_year"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="dispute_amount_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["received_on"]),
            models.Index(fields=["status", "received_on"]),
            models.Index(fields=["unit", "received_on"]),
            # The register's order among live cases: lists page through it without a sort
            # or a scan of voided rows (bench: count 185 → 65 ms on 250,000 disputes).
            models.Index(
                fields=["-year", "-serial"],
                condition=Q(voided_at__isnull=True),
                name="dispute_live_register",
            ),
        ]

    @property
    def is_concluded(self) -> bool:
        """Return True once mediation ended: succeeded, failed or terminated."""
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED, self.Status.TERMINATED}

    @property
    def is_rejected(self) -> bool:
        """Return True when the dispute was not accepted for mediation (不予受理)."""
        return self.status == self.Status.REJECTED


class Party(AsEntered):
    """A party to a dispute (当事人) with their side, and their details as entered on it."""

    class Side(models.TextChoices):
        APPLICANT = "申请方", "申请方"
        RESPONDENT = "被申请方", "被申请方"
        THIRD = "第三人", "第三人"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="party_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="party_links")
    side = models.CharField("当事人地位", max_length=4, choices=Side.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "纠纷当事人"
        verbose_name_plural = "纠纷当事人"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["dispute", "person"], name="party_once")]

    def __str__(self) -> str:
        return f"{self.person_id}（{self.side}）"


class Event(TimelineEvent):
    """One step on a petition's or a dispute's timeline (办理过程): who did what, when."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )

    class Meta(TimelineEvent.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(petition__isnull=False, dispute__isnull=True)
                | Q(petition__isnull=True, dispute__isnull=False),
                name="event_on_one_case",
            )
        ]


def _upload_to(instance, filename: str) -> str:
    case = instance.petition or instance.dispute
    return f"cases/{case.year}/{case.number}/{filename}"


class Attachment(StoredFile):
    """A file on a case: a scanned letter, a notice, an agreement (附件).

    Stored under MEDIA_ROOT and downloaded only through a view that checks the user may see the
    case.
    """

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    title = models.CharField("附件名称", max_length=100)
    file = models.FileField("文件", upload_to=_upload_to, validators=[validate_upload])

    class Meta(StoredFile.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"


def _mask_person_history(sender, *, instance, history_instance, **kwargs) -> None:
    """Keep full ID numbers and phones out of the history table: store them masked."""
    if isinstance(instance, Person):
        history_instance.id_number = mask_id_number(instance.id_number or "")
        history_instance.phone = mask_phone(instance.phone or "")


pre_create_historical_record.connect(_mask_person_history, dispatch_uid="mask_person_history")

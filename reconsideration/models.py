"""行政复议 and 行政应诉 cases where the township is 被申请人 / 被告 (DOMAIN.md §11).

Flow (`reconsideration.flows`): 登记 (the copy received) → 书面答复 / 提交答辩状 → (听证 / 开庭,
with who appeared) → 决定 / 判决 → (上诉) → (纠正行政行为); the legal advisor's review may be
linked at any time. Deadlines in `reconsideration.deadlines`, clocks in `reconsideration.clocks`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from disputes.models import AsEntered, Person
from miaoba.models import TimelineEvent, Unit
from miaoba.records import Registered, Versioned, Voidable, VoidableQuerySet
from reconsideration.deadlines import answer_rule


class CaseQuerySet(VoidableQuerySet):
    """Filters of the 行政复议/行政应诉 register."""

    def visible_to(self, user) -> CaseQuerySet:
        """Return the cases `user` may see: all for leaders and administrators, else own units'."""
        if user.has_perm("reconsideration.view_all_reconsideration_cases"):
            return self
        return self.filter(unit__in=user.units.all())

    def received_in(self, first_year: int, last_year: int | None = None) -> CaseQuerySet:
        """Return the cases whose copy was received in a year or a span of years (inclusive)."""
        return self.filter(
            received_on__year__gte=first_year, received_on__year__lte=last_year or first_year
        )


class Case(Versioned, Voidable, Registered):
    """A 行政复议 or 行政诉讼 case against the township government (行政复议应诉案件).

    `case_number` is the reconsideration body's or the court's number (案号, e.g.
    城府复〔2024〕3号, （2024）渝0154行初12号); `received_on` the day the township received the
    copy of the application or complaint (申请书副本 / 起诉状副本), from which the answer period
    runs. The applicants or plaintiffs are people (`Applicant`), masked like petitioners.
    """

    class Kind(models.TextChoices):
        RECONSIDERATION = "行政复议", "行政复议"
        LITIGATION = "行政诉讼", "行政诉讼"

    class ActKind(models.TextChoices):
        PENALTY = "行政处罚", "行政处罚"
        COERCION = "行政强制", "行政强制"
        LICENCE = "行政许可", "行政许可"
        DISCLOSURE = "信息公开", "信息公开"
        INACTION = "不履行法定职责", "不履行法定职责"
        OTHER = "其他", "其他"

    class Status(models.TextChoices):
        REGISTERED = "registered", "待答复"
        ANSWERED = "answered", "审理中"
        DECIDED = "decided", "已决定（判决）"
        APPEALED = "appealed", "已上诉"

    class Appearance(models.TextChoices):
        HEAD = "正职负责人", "正职负责人出庭"
        DEPUTY = "副职负责人", "副职负责人出庭"
        ENTRUSTED = "委托工作人员", "委托工作人员出庭"

    class Outcome(models.TextChoices):
        # 行政复议决定 (《行政复议法》2023 第六十三条至第六十九条, 第七十三条, 第七十四条)
        UPHELD = "维持", "维持"
        DISMISSED = "驳回复议请求", "驳回复议请求"
        REVOKED = "撤销", "撤销"
        VARIED = "变更", "变更"
        UNLAWFUL = "确认违法", "确认违法"
        ORDERED = "责令履行", "责令履行 / 判决履行"
        SETTLED = "调解", "调解 / 和解"
        ENDED = "终止", "终止"
        # 行政诉讼 (《行政诉讼法》第六十九条至第七十八条; 撤诉 第六十二条)
        CLAIM_REJECTED = "驳回诉讼请求", "判决驳回诉讼请求"
        SUIT_REJECTED = "驳回起诉", "裁定驳回起诉"
        WITHDRAWN = "撤诉", "准予撤诉"

    class Appellant(models.TextChoices):
        TOWNSHIP = "本机关", "本机关上诉"
        OTHER = "对方当事人", "对方当事人上诉"

    kind = models.CharField("案件类型", max_length=4, choices=Kind.choices)
    case_number = models.CharField(
        "案号", max_length=50, help_text="复议机关或人民法院的案号，如（2024）渝0154行初12号"
    )
    body = models.CharField("复议机关或人民法院", max_length=50)
    received_on = models.DateField("收到副本日期", help_text="收到申请书副本或起诉状副本之日")
    act = models.CharField("被申请复议或被诉的行政行为", max_length=200)
    act_kind = models.CharField("行政行为类别", max_length=8, choices=ActKind.choices)
    act_number = models.CharField("行政行为文号", max_length=50, blank=True)
    claims = models.TextField("请求事项", blank=True)
    unit = models.ForeignKey(Unit, verbose_name="承办单位", on_delete=models.PROTECT)
    applicants = models.ManyToManyField(
        Person, through="Applicant", verbose_name="申请人或原告", related_name="+"
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.REGISTERED, editable=False
    )
    # 书面答复 / 答辩状
    answered_on = models.DateField("答复（答辩）日期", null=True, blank=True)
    answer_note = models.TextField("答复（答辩）要点", blank=True)
    # 听证 / 开庭
    heard_on = models.DateField("开庭（听证）日期", null=True, blank=True)
    appearance = models.CharField(
        "出庭（听证）人员身份", max_length=6, choices=Appearance.choices, blank=True
    )
    appeared_name = models.CharField("出庭（听证）人员", max_length=50, blank=True)
    entrust_reason = models.TextField("负责人未能出庭的原因", blank=True)
    # 决定 / 判决
    decided_on = models.DateField("决定（判决）日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=8, choices=Outcome.choices, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    decision_note = models.TextField("决定（判决）要点", blank=True)
    # 上诉
    appealed_on = models.DateField("上诉日期", null=True, blank=True)
    appellant = models.CharField("上诉人", max_length=6, choices=Appellant.choices, blank=True)
    # 纠正行政行为
    corrected_on = models.DateField("纠正日期", null=True, blank=True)
    correction_note = models.TextField("纠正情况", blank=True)
    # 法律顾问审查 (normative_docs)
    review = models.ForeignKey(
        "normative_docs.LegalReview",
        verbose_name="法律顾问审查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行政复议应诉案件"
        verbose_name_plural = "行政复议应诉案件"
        ordering = ["-received_on", "-id"]
        permissions = [("view_all_reconsideration_cases", "查看全部单位的行政复议应诉案件")]
        constraints = [
            models.UniqueConstraint(
                fields=["case_number"],
                condition=Q(voided_at__isnull=True),
                name="reconsideration_case_number_once",
            ),
            models.CheckConstraint(
                condition=~Q(appearance="委托工作人员") | ~Q(entrust_reason=""),
                name="reconsideration_entrusted_says_why",
            ),
        ]
        indexes = [models.Index(fields=["received_on"])]

    def __str__(self) -> str:
        return self.case_number

    @property
    def number(self) -> str:
        """Return the case's number as the shared pages name a record (its 案号)."""
        return self.case_number

    # Outcomes against the township: 被纠错 (复议) and 败诉 (诉讼), DOMAIN.md §11.
    AGAINST = frozenset({"撤销", "变更", "确认违法", "责令履行"})
    RECONSIDERATION_OUTCOMES = frozenset(
        {"维持", "驳回复议请求", "撤销", "变更", "确认违法", "责令履行", "调解", "终止"}
    )
    LITIGATION_OUTCOMES = frozenset(
        {"驳回诉讼请求", "撤销", "确认违法", "责令履行", "变更", "调解", "驳回起诉", "撤诉"}
    )
    RULINGS = frozenset({"驳回起诉", "撤诉"})  # 裁定: appeal within 10 days

    @property
    def is_litigation(self) -> bool:
        return self.kind == self.Kind.LITIGATION

    @property
    def answer_word(self) -> str:
        """Return the step's name for this kind: 书面答复 (复议) or 提交答辩状 (诉讼)."""
        return "提交答辩状" if self.is_litigation else "书面答复"

    @property
    def hearing_word(self) -> str:
        return "开庭" if self.is_litigation else "听证"

    @property
    def decision_word(self) -> str:
        return "判决（裁定）" if self.is_litigation else "复议决定"

    @property
    def rule(self) -> str:
        """Return the 复议 rule in force by the date the copy was received ("2017"/"2023")."""
        return answer_rule(self.received_on)

    @property
    def is_against(self) -> bool:
        """Return True when the outcome went against the township (被纠错 / 败诉)."""
        return self.outcome in self.AGAINST

    @property
    def is_head_appearance(self) -> bool:
        """Return True when the head or a deputy head appeared (负责人出庭应诉)."""
        return self.appearance in {self.Appearance.HEAD, self.Appearance.DEPUTY}


class Applicant(AsEntered):
    """An applicant (申请人) or plaintiff (原告), in order, with details as entered on the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="applicant_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "申请人（原告）"
        verbose_name_plural = "申请人（原告）"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="reconsideration_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"


class Event(TimelineEvent):
    """One step on a case's timeline (办理过程)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEvent.Meta):
        pass

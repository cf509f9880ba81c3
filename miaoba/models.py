"""The township's reference data: units (单位), villages (村/社区), users and the calendar."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from miaoba.pinyin import pinyin_key


def _pinyin_field() -> models.CharField:
    return models.CharField("拼音", max_length=255, blank=True, editable=False, db_index=True)


_ORDER_HELP = "相同排序号的按拼音排列；一般留 0"


class Unit(models.Model):
    """A unit of the township (单位): a 科室, a 站所 or a 驻镇单位 (e.g. 党政办, 司法所, 派出所)."""

    class Kind(models.TextChoices):
        OFFICE = "office", "科室"
        STATION = "station", "站所"
        RESIDENT = "resident", "驻镇单位"

    name = models.CharField("单位名称", max_length=50, unique=True)
    kind = models.CharField("单位类别", max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("排序", default=0, help_text=_ORDER_HELP)
    is_active = models.BooleanField("在用", default=True)
    name_pinyin = _pinyin_field()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["order", "name_pinyin", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.name)
        super().save(*args, **kwargs)


class Village(models.Model):
    """A village (村) or community (社区) of the township."""

    class Kind(models.TextChoices):
        VILLAGE = "village", "村"
        COMMUNITY = "community", "社区"

    name = models.CharField("名称", max_length=30, unique=True)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    order = models.PositiveSmallIntegerField("排序", default=0, help_text=_ORDER_HELP)
    is_active = models.BooleanField("在用", default=True)
    name_pinyin = _pinyin_field()

    class Meta:
        verbose_name = "村（社区）"
        verbose_name_plural = "村（社区）"
        ordering = ["order", "name_pinyin", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.name)
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A member of staff (工作人员) who belongs to one or more units.

    The role (录入员, 法律顾问, 领导, 管理员) is a group; see `miaoba.roles`. Records a clerk
    may see are those of the units they belong to.
    """

    units = models.ManyToManyField(Unit, verbose_name="所属单位", blank=True, related_name="users")
    title = models.CharField("职务", max_length=30, blank=True)
    # People are listed and offered in pinyin order of their names (`miaoba.pinyin`).
    name_pinyin = _pinyin_field()
    must_change_password = models.BooleanField(
        "下次登录须修改密码",
        default=False,
        help_text="管理员设置或重置的密码，本人登录后须先修改。",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["name_pinyin", "username"]

    def save(self, *args, **kwargs):
        """Save; a new password is recorded in the security log, and one set by somebody else
        (an administrator) must be changed by its owner at the next login.

        Who acted is the user of the request being served (`miaoba.security.acting_user`);
        without a request (a command, a migration, the demo) no password event is written. A
        hash upgraded at login is not a new password (Django clears `_password` first).
        Changes of the superuser, staff and active flags are recorded with who changed whom;
        raises PermissionDenied when a user changes their own (三员分立, GB/T 22239-2019
        8.1.4.2 d).
        """
        from miaoba import security

        self.name_pinyin = pinyin_key(self.display_name, person=True)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_pinyin"}
        actor = security.acting_user()
        flags = security.privilege_flag_changes(self, actor, kwargs.get("update_fields"))
        new_password = self._password is not None
        if new_password and actor is not None:
            self.must_change_password = actor.pk != self.pk
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "must_change_password"}
        super().save(*args, **kwargs)
        if new_password and actor is not None:
            security.record_password_change(self, actor=actor)
        for detail in flags:
            security.record_event(
                SecurityEvent.Kind.ROLE_CHANGE,
                user=actor,
                target=f"用户 {self.username}",
                detail=detail,
            )

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


class SecurityEventQuerySet(models.QuerySet):
    """Security events can be added and read, never changed or deleted through the ORM.

    The only way rows leave is `prune(before=...)`, run by `manage.py prune_security_log`,
    which keeps at least six months (GB/T 22239-2019 8.1.4.3 c: audit records are protected
    and kept; 《网络安全法》第二十一条: network logs kept no less than six months).
    """

    def update(self, **kwargs):
        raise PermissionError("安全日志只能追加，不能修改。")

    def delete(self):
        raise PermissionError("安全日志只能追加，不能删除。")

    def prune(self, *, before) -> int:
        """Delete events older than `before` (an aware datetime); return how many went."""
        old = self.filter(at__lt=before)
        deleted, _ = models.QuerySet.delete(old)
        return deleted


class SecurityEvent(models.Model):
    """One entry of the security event log (安全日志): who did what security-relevant thing, when.

    Append-only: `save()` refuses to update a stored row, `delete()` refuses, no role has a
    permission to add, change or delete through pages (the model has only "view"), and the
    admin list is read-only. `detail`, `target` and `username` never hold a full ID number or
    mobile number: `miaoba.security.record_event` masks them. Write through `record_event`.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出"
        LOCKOUT = "lockout", "账户锁定"
        UNLOCK = "unlock", "解除锁定"
        SESSION_EXPIRED = "session_expired", "会话超时"
        PASSWORD_CHANGE = "password_change", "修改密码"
        PASSWORD_RESET = "password_reset", "管理员设置密码"
        ROLE_CHANGE = "role_change", "角色变更"
        EXPORT = "export", "导出"
        PERSONAL_DATA_EXPORT = "personal_data_export", "导出个人信息"
        IMPORT = "import", "导入"
        PERSONAL_DATA_VIEW = "personal_data_view", "查看完整个人信息"
        REPORT_REOPEN = "report_reopen", "重新打开报告"
        VOID = "void", "作废"
        BACKUP = "backup", "备份"
        RESTORE = "restore", "恢复"
        LOG_PRUNE = "log_prune", "清理安全日志"

    kind = models.CharField("事件", max_length=30, choices=Kind.choices, db_index=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        "miaoba.User",
        verbose_name="用户",
        null=True,
        blank=True,
        # A user with a security trail is deactivated, never deleted: the trail stays whole.
        on_delete=models.PROTECT,
        related_name="security_events",
    )
    username = models.CharField(
        "用户名", max_length=150, blank=True, help_text="登录失败时为输入的用户名（已脱敏）"
    )
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    target = models.CharField("对象", max_length=200, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = "安全日志"
        verbose_name_plural = "安全日志"
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("安全日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("安全日志只能追加，不能删除。")


class NumberSequence(models.Model):
    """The last serial given in a register for a year (编号计数器), one table for every register.

    `register` names the series: "petition" (信〔2020〕1号), "dispute", "task", a 机关代字
    (庙坝府发) for a 发文字号, "登记号" for the documents' register number, and the new registers'
    own names. Serials restart each year, never repeat and never leave a gap (DOMAIN.md §4: 三统一).
    Written only through `miaoba.workflow.allocate_serial` and `raise_serial`, which lock the row
    (SELECT ... FOR UPDATE) inside the numbering transaction; each numbered model's unique
    (year, serial) constraint is the backstop.
    """

    register = models.CharField("编号类别", max_length=20)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year"], name="number_sequence_once_per_register_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.year}: {self.last}"


def staff_field(verbose_name: str, **options) -> models.ForeignKey:
    """Return a foreign key to the staff member who did something to a record (登记人, 送审人 ...).

    The user is kept while records name them (PROTECT), has no reverse accessor, and the field
    is set by the service, never typed in a form (not editable). `options` adds e.g. null=True.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        **options,
    )


class StoredFile(models.Model):
    """A file kept on a record (附件, 送审材料, 整改佐证材料): who uploaded it and when.

    Abstract: each app's file model adds its foreign key(s), `title` under its own label and
    `file` with its own folder and validator. Files are stored under MEDIA_ROOT and downloaded
    only through a view that checks the user may see the record, never served from disk.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class TimelineEvent(models.Model):
    """One step on a record's timeline (办理过程): who did what, on which day, and when it was
    written down. Abstract: each app's `Event` subclasses it with a foreign key to each kind of
    record it covers (a petition or a dispute, a document or a decision, a task ...).

    `on` is the day the act happened (a date in Asia/Shanghai), `at` the moment it was recorded.
    Write through `add`, which masks ID and mobile numbers in the note (an audit record holds
    no full personal data, 《个人信息保护法》第五十一条).
    """

    action = models.CharField("环节", max_length=20)
    on = models.DateField("办理日期")
    note = models.TextField("说明", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = "办理过程"
        verbose_name_plural = "办理过程"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.action}"

    @classmethod
    def subject_field(cls, model: type[models.Model]) -> str:
        """Return the name of this event model's foreign key to `model`.

        Raises LookupError when the event model has none: an event of an unknown kind of
        record fails loudly instead of landing on another kind's timeline.
        """
        for field in cls._meta.concrete_fields:
            if field.is_relation and field.related_model is model and field.name != "by":
                return field.name
        raise LookupError(f"{cls.__name__} has no foreign key to {model.__name__}")

    @classmethod
    def build(cls, subject: models.Model, *, action: str, on, by, note: str = ""):
        """Return an unsaved timeline entry for `subject` (note masked, action ≤ 20), e.g. for
        `bulk_create` in a batched import; `add` saves one."""
        from miaoba.security import mask_personal_data

        return cls(
            **{cls.subject_field(type(subject)): subject},
            action=action[:20],
            on=on,
            by=by,
            note=mask_personal_data(note or ""),
        )

    @classmethod
    def add(cls, subject: models.Model, *, action: str, on, by, note: str = ""):
        """Write one timeline entry for `subject` and return it (note masked, action ≤ 20)."""
        event = cls.build(subject, action=action, on=on, by=by, note=note)
        event.save(force_insert=True)
        return event


class IssuedNotice(models.Model):
    """A notice issued for a record (出具的文书): its kind, own number and date.

    The record is any case of an area (a petition, a dispute, a task), named by content type
    and id; the text is rebuilt from the record whenever it is downloaded, under this number.
    See `miaoba.notices`.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, verbose_name="记录类型"
    )
    object_id = models.PositiveBigIntegerField("记录")
    kind = models.CharField("文书种类", max_length=40)
    title = models.CharField("文书名称", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=40, unique=True)
    issued_on = models.DateField("出具日期")
    issued_by = models.ForeignKey(
        "miaoba.User", verbose_name="出具人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"], name="one_notice_of_a_kind"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class FormSubmission(models.Model):
    """A create form's one-time token that was used (已提交的表单), and where it led.

    Every create page renders a fresh `form_token`; `miaoba.records.create_once` stores it here
    when a post of that form succeeds, so the same rendered form posted again (a double click,
    the back button, a retried request) creates nothing and opens what the first post made.
    The token is the primary key: of two posts racing, the second waits for the first and
    then finds it.
    """

    token = models.UUIDField("表单标识", primary_key=True)
    url = models.CharField("结果页面", max_length=500, blank=True)
    user = models.ForeignKey(
        "miaoba.User", verbose_name="提交人", on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "已提交的表单"
        verbose_name_plural = "已提交的表单"

    def __str__(self) -> str:
        return str(self.token)


class DataVersion(models.Model):
    """The data version (数据版本): one row whose counter every write of recorded data moves on.

    Figures computed from the records (dashboard, annual report) are cached under the version
    they were computed at (`miaoba.dataversion`); a write bumps the counter, so a figure cached
    before it is never served again. Written only through `miaoba.dataversion.bump`.
    """

    counter = models.PositiveBigIntegerField("版本号", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"数据版本 {self.counter}"

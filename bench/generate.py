"""Generate a deterministic county-scale dataset on PostgreSQL with COPY.

The volume of 25 townships over 2016–2025: 75,000 petitions, 250,000 disputes, 5,000
normative documents, 10,000 legal-advisor reviews, 20,000 rectification tasks and 50,000 work
records, with the people, links, opinions, milestones and extensions they need. Everything comes
from one `random.Random(SEED)`, so two runs give the same rows.

Rows are written straight to the tables (COPY), not through the services, but they keep the
services' rules: numbers 信〔2020〕12号 gapless and unique per year in order of receipt, a
status consistent with the dates filled in (a replied petition has its decision, conclusion and
reply dates, in that order), no date after today, ID numbers with a valid GB 11643 check digit.
Columns a row does not name take the model field's default (so a field added later with a
default needs no change here); a new required field without a default stops the generator
with its name.

Timeline events and history rows are not generated: no measured page reads them.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

SEED = 20161231
YEARS = range(2016, 2026)
TOWNSHIPS = [
    "庙坝镇",
    "明中乡",
    "高观镇",
    "修齐镇",
    "巴山镇",
    "坪坝镇",
    "东安镇",
    "河鱼乡",
    "龙田乡",
    "北屏乡",
    "厚坪乡",
    "左岚乡",
    "沿河乡",
    "岚天乡",
    "鸡鸣乡",
    "周溪乡",
    "咸宜镇",
    "明通镇",
    "治平乡",
    "蓼子乡",
    "双河乡",
    "高燕镇",
    "葛城街道",
    "复兴街道",
    "高楠镇",
]
VILLAGE_BASES = ["红岩", "石门", "新华", "金岩", "罗江", "联坪", "春柳", "团结", "大坪", "双坪"]
UNIT_KINDS = (
    ("党政办", "office"),
    ("综治办", "office"),
    ("司法所", "station"),
    ("信访办", "office"),
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN = "国华明建军平文英志秀玉兰德春红海云芳林金丽成中光荣永俊桂强凤伟家清宗福子兴开勇利祥"
AREA_CODES = ("500229", "500229", "500229", "500101", "500233", "500235", "510802")
PETITION_TOPICS = (
    "土地承包经营权纠纷",
    "征地补偿款发放",
    "拖欠农民工工资",
    "宅基地审批",
    "低保评定",
    "道路修建占地",
    "山林权属",
    "邻里排水",
    "医保报销",
    "危房改造补助",
    "村务公开",
    "环境污染",
)
PETITION_ASKS = ("依法处理", "给予补偿", "公开信息", "协调解决", "追究责任", "尽快兑现")
DISPUTE_MATTERS = (
    "宅基地界址",
    "房屋漏水",
    "家庭赡养",
    "婚姻财产分割",
    "工程欠款",
    "交通事故赔偿",
    "山林界址",
    "土地承包",
    "牲畜损害庄稼",
    "劳务报酬",
)
DOC_SUBJECTS = (
    "农村人居环境整治",
    "森林防火",
    "安全生产",
    "村规民约备案",
    "城乡居民医疗保险",
    "防汛抗旱",
    "乡村旅游发展",
    "集镇管理",
    "河长制",
    "殡葬改革",
    "地质灾害防治",
    "扶贫资金管理",
)
DOC_KINDS = ("通知", "实施意见", "管理办法", "暂行办法", "实施方案", "试行办法")
ISSUES = (
    "行政执法案卷不规范",
    "合同审查覆盖不全",
    "普法宣传针对性不强",
    "政务公开不及时",
    "法律顾问作用发挥不充分",
    "重大决策程序不完整",
    "执法人员持证率偏低",
    "信访件办理超期",
)


class Copier:
    """Write rows of one model with COPY; a row is a dict of attname → Python value.

    Fields a row leaves out take their default (`auto_now`/`auto_now_add`: `now`; a default;
    NULL when nullable; "" for blank text). Raises ValueError naming a required field with
    none of these.
    """

    def __init__(self, model: type[models.Model], now: dt.datetime):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.fill: list = []
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.fill.append(("const", _fmt(now)))
            elif f.has_default():
                default = f.default
                if callable(default):
                    self.fill.append(("call", f))
                else:
                    self.fill.append(("const", _fmt(f.get_default())))
            elif f.null:
                self.fill.append(("const", r"\N"))
            elif f.blank and f.empty_strings_allowed:
                self.fill.append(("const", ""))
            else:
                self.fill.append(("need", f.attname))

    def write(self, rows: Iterable[dict], chunk: int = 50_000) -> int:
        """COPY `rows` in chunks; return how many were written."""
        columns = ", ".join(f'"{f.column}"' for f in self.fields)
        sql = f'COPY "{self.model._meta.db_table}" ({columns}) FROM STDIN'
        plan = [
            (f.attname, how, what) for f, (how, what) in zip(self.fields, self.fill, strict=True)
        ]
        lines: list[str] = []
        total = 0
        for row in rows:
            cells = []
            for name, how, what in plan:
                if name in row:
                    value = row[name]
                    cells.append(_FORMAT.get(type(value), _fmt)(value))
                elif how == "const":
                    cells.append(what)
                elif how == "call":
                    cells.append(_fmt(what.get_default()))
                else:
                    raise ValueError(f"{self.model.__name__}.{what} is required and has no default")
            lines.append("\t".join(cells))
            if len(lines) == chunk:
                total += self._flush(sql, lines)
                lines = []
        if lines:
            total += self._flush(sql, lines)
        return total

    @staticmethod
    def _flush(sql: str, lines: list[str]) -> int:
        buf = io.StringIO("\n".join(lines) + "\n")
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buf)
            return cursor.cursor.rowcount


def _fmt(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, int | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    raise TypeError(f"cannot COPY {value!r}")


def _text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    return value


_FORMAT = {
    str: _text,
    int: str,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: r"\N",
    dt.date: dt.date.isoformat,
    Decimal: str,
}


def id_number(i: int, rng: random.Random) -> tuple[str, str]:
    """Return (ID number, gender) for person `i`: unique for i < 500 * 21915, valid check digit.

    Birth dates run over 60 years from 1945; the sequence code's parity gives the gender
    (odd: male), GB 11643-1999.
    """
    from disputes.validators import id_check_digit

    birth = dt.date(1945, 1, 1) + dt.timedelta(days=i % 21915)
    male = rng.random() < 0.52
    seq = (i // 21915) * 2 + (1 if male else 0)
    first17 = f"{AREA_CODES[i % len(AREA_CODES)]}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17), "男" if male else "女"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
    return rng.choice(SURNAMES) + given


def phone(i: int) -> str:
    return f"1{'35789'[i % 5]}{(i * 7919 + 12345) % 10**9:09d}"


def _stamp(day: dt.date, hour: int = 9) -> str:
    return f"{day.isoformat()} {hour:02d}:30:00+08"


def _days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


def _day_in(rng: random.Random, year: int, first=(1, 1), last=(12, 31)) -> dt.date:
    start, end = dt.date(year, *first), dt.date(year, *last)
    return _days(start, rng.randrange((end - start).days + 1))


def _working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to `end` (the calendar's holidays ignored)."""
    n, day = 0, start
    while day < end:
        day = _days(day, 1)
        n += day.weekday() < 5
    return n


class Generator:
    """Build the whole dataset; `run()` prints each step with its time and row count."""

    def __init__(self, *, scale: float = 1.0, log=print):
        self.rng = random.Random(SEED)
        self.scale = scale
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.counts: dict[str, int] = {}

    def n(self, full: int) -> int:
        return max(1, round(full * self.scale))

    def _done(self, day: dt.date | None) -> dt.date | None:
        """Return `day` if it has come (not after today), else None: the step is not done yet."""
        return day if day is not None and day <= self.today else None

    def step(self, label: str, fn) -> None:
        started = time.perf_counter()
        count = fn()
        self.counts[label] = count
        self.log(f"  {label:<28} {count:>9,} 行  {time.perf_counter() - started:6.1f} s")

    def run(self) -> dict[str, int]:
        """Generate everything. Foreign-key triggers are off while loading (a superuser's
        `session_replication_role = replica`, the usual bulk-load setting): the rows are built
        consistent, and checking 1.3 million references row by row would triple the time."""
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            self._run()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
        return self.counts

    def _run(self) -> None:
        self.step("单位、村（社区）、用户", self.reference)
        self.step("当事人", self.people)
        self.step("信访件（含信访人）", self.petitions)
        self.step("矛盾纠纷（含当事人）", self.disputes)
        self.step("规范性文件", self.documents)
        self.step("法律顾问审查（含意见）", self.reviews)
        self.step("问题与整改任务", self.tasks)
        self.step("工作记录与年度指标", self.records)
        self.step("年度报告（2025）", self.report)
        self.step("序列与统计信息", self.finish)

    # --- reference data -----------------------------------------------------------------

    def reference(self) -> int:
        from disputes.models import Category
        from miaoba.models import Unit, User, Village
        from miaoba.roles import CLERK, LEADER
        from normative_docs.models import Advisor
        from reports.models import WorkRecordKind

        self.towns = []
        order = 0
        for t, town in enumerate(TOWNSHIPS):
            units = [
                Unit.objects.create(name=f"{town}{name}", kind=kind, order=t * 10 + i)
                for i, (name, kind) in enumerate(UNIT_KINDS)
            ]
            villages = []
            for i, base in enumerate(VILLAGE_BASES):
                order += 1
                kind = Village.Kind.COMMUNITY if i == 9 else Village.Kind.VILLAGE
                suffix = "社区" if kind == Village.Kind.COMMUNITY else "村"
                villages.append(
                    Village.objects.create(name=f"{town}{base}{suffix}", kind=kind, order=order)
                )
            self.towns.append({"name": town, "units": units, "villages": villages})
        leader_group, clerk_group = Group.objects.get(name=LEADER), Group.objects.get(name=CLERK)
        password = make_password("Bench#Leader2026")
        self.leaders = []
        for i, (last, first, title) in enumerate(
            [("王", "镇长", "镇长"), ("刘", "分管", "副镇长"), ("陈", "书记", "党委书记")]
        ):
            user = User.objects.create(
                username="leader" if i == 0 else f"leader{i + 1}",
                last_name=last,
                first_name=first,
                title=title,
                is_staff=i == 0,  # the bench's own admin site logs in as this leader
                password=password,
            )
            user.groups.add(leader_group)
            user.units.add(self.towns[0]["units"][0])
            self.leaders.append(user)
        self.leader = self.leaders[0]
        for t, town in enumerate(self.towns):
            user = User.objects.create(
                username=f"clerk{t + 1:02d}",
                last_name=SURNAMES[t],
                first_name="文静",
                password=password,
            )
            user.groups.add(clerk_group)
            user.units.set(town["units"])
            town["clerk"] = user
        self.categories = list(Category.objects.values_list("pk", "name"))
        self.kinds = list(WorkRecordKind.objects.values_list("pk", "name"))
        self.advisors = [
            Advisor.objects.create(
                name=person_name(self.rng),
                law_firm=f"重庆{town['name'][:2]}律师事务所",
                licence_number=f"150022016{i:08d}",
                phone=phone(900_000 + i),
                contract_from=dt.date(2016, 1, 1),
                contract_to=dt.date(2027, 12, 31),
            )
            for i, town in enumerate(self.towns)
        ]
        return len(self.towns) * (len(UNIT_KINDS) + len(VILLAGE_BASES)) + 3 + len(self.towns)

    # --- people ---------------------------------------------------------------------------

    def people(self) -> int:
        from disputes.models import Person

        rng = self.rng
        self.person_count = self.n(320_000)

        def rows():
            for i in range(self.person_count):
                town = self.towns[i % len(self.towns)]
                village = town["villages"][rng.randrange(len(town["villages"]))]
                number, gender = id_number(i, rng)
                yield {
                    "id": i + 1,
                    "name": person_name(rng),
                    "gender": gender,
                    "id_number": number if rng.random() < 0.9 else "",
                    "phone": phone(i) if rng.random() < 0.85 else "",
                    "address": f"{village.name}{rng.randint(1, 12)}组",
                    "village_id": village.pk,
                }

        return Copier(Person, self.now).write(rows())

    def _people_of(self, t: int, k: int) -> list[int]:
        """Return `k` distinct person ids, mostly of township `t` (ids are i+1, i % 25 == t)."""
        towns = len(self.towns)
        per_town = self.person_count // towns
        picked: set[int] = set()
        while len(picked) < k:
            picked.add(self.rng.randrange(per_town) * towns + t + 1)
        return list(picked)

    # --- petitions and disputes ---------------------------------------------------------

    def _cases_per_year(self, total: int) -> dict[int, list[tuple[dt.date, int]]]:
        """Return {year: [(received_on, township), ...]} sorted by date, serial = index + 1."""
        rng = self.rng
        per_year = self.n(total) // len(YEARS)
        out = {}
        for year in YEARS:
            days = sorted(_day_in(rng, year) for _ in range(per_year))
            out[year] = [(d, rng.randrange(len(self.towns))) for d in days]
        return out

    def petitions(self) -> int:
        from disputes.models import Petition, Petitioner
        from miaoba.models import NumberSequence

        rng, S = self.rng, Petition.Status
        open_from = dt.date(2025, 7, 1)
        channels = [c for c, _ in Petition.Channel.choices]
        kinds = [k for k, _ in Petition.Kind.choices]
        links: list[dict] = []
        sequences = []
        pk = 0

        def rows():
            nonlocal pk
            for year, cases in self._cases_per_year(75_000).items():
                sequences.append(NumberSequence(register="petition", year=year, last=len(cases)))
                for serial, (received, t) in enumerate(cases, start=1):
                    pk += 1
                    town = self.towns[t]
                    village = rng.choice(town["villages"]) if rng.random() < 0.9 else None
                    r = rng.random()
                    headcount = (
                        1 if r < 0.85 else rng.randint(2, 4) if r < 0.95 else rng.randint(5, 12)
                    )
                    people = self._people_of(t, min(headcount, 3))
                    for order, person in enumerate(people):
                        links.append(
                            {
                                "petition_id": pk,
                                "person_id": person,
                                "order": order,
                                "id": len(links) + 1,
                            }
                        )
                    topic = rng.choice(PETITION_TOPICS)
                    row = {
                        "id": pk,
                        "number": f"信〔{year}〕{serial}号",
                        "year": year,
                        "serial": serial,
                        "received_on": received,
                        "village_id": village.pk if village else None,
                        "unit_id": town["units"][rng.choice((3, 3, 2, 1))].pk,
                        "summary": f"{village.name if village else town['name']}群众反映{topic}"
                        f"问题，称多次协商未果，请求{rng.choice(PETITION_ASKS)}。",
                        "is_repeat": rng.random() < 0.05,
                        "created_by_id": town["clerk"].pk,
                        "created_at": _stamp(received),
                        "updated_at": _stamp(received, 17),
                        "channel": rng.choice(channels),
                        "kind": rng.choice(kinds) if rng.random() < 0.9 else "",
                        "category_id": rng.choice(self.categories)[0],
                        "request": f"请求{rng.choice(PETITION_ASKS)}",
                        "headcount": headcount,
                    }
                    row.update(self._petition_flow(received, received >= open_from, S))
                    yield row

        count = Copier(Petition, self.now).write(rows())
        Copier(Petitioner, self.now).write(links)
        NumberSequence.objects.bulk_create(sequences)
        return count

    def _petition_flow(self, received: dt.date, recent: bool, S) -> dict:
        rng = self.rng
        r = rng.random()
        if recent:
            target = (
                S.REGISTERED
                if r < 0.05
                else S.ACCEPTED
                if r < 0.17
                else S.CONCLUDED
                if r < 0.25
                else S.REJECTED
                if r < 0.30
                else S.REPLIED
            )
        else:
            target = S.REJECTED if r < 0.05 else S.CONCLUDED if r < 0.06 else S.REPLIED
        out = {"status": S.REGISTERED}
        if target == S.REGISTERED:
            return out
        late = rng.random() < 0.08
        decided = self._done(_days(received, rng.randint(16, 30) if late else rng.randint(1, 14)))
        if decided is None:
            return out
        out.update(decided_on=decided, status=S.ACCEPTED)
        if target == S.REJECTED:
            out.update(
                status=S.REJECTED,
                rejection_reason="所诉事项已经人民法院判决，不属于信访受理范围。",
                redirect_to="城口县人民法院",
                replied_on=decided,
                reply_form="不予受理告知书",
            )
            return out
        extension = 0
        if rng.random() < 0.06:
            extension = rng.randint(10, 30)
            extended = self._done(_days(decided, rng.randint(40, 58)))
            if extended:
                out.update(
                    extension_days=extension,
                    extension_reason="案情复杂，需要调查核实。",
                    extension_approved_by_id=rng.choice(self.leaders).pk,
                    extended_on=extended,
                )
            else:
                extension = 0
        if target == S.ACCEPTED:
            return out
        days = rng.randint(61, 95) if rng.random() < 0.07 else rng.randint(15, 55 + extension)
        concluded = self._done(_days(decided, days))
        if concluded is None:
            return out
        outcome = rng.choice(("支持", "解释说明", "解释说明", "不予支持"))
        out.update(
            status=S.CONCLUDED,
            concluded_on=concluded,
            outcome=outcome,
            outcome_text=f"经调查核实，作出{outcome}的处理意见。",
        )
        if target == S.CONCLUDED:
            return out
        replied = self._done(_days(concluded, rng.randint(0, 10)))
        if replied is None:
            return out
        r = rng.random()
        out.update(
            status=S.REPLIED,
            replied_on=replied,
            reply_form=rng.choice(("书面答复", "当面答复", "电话答复")),
            satisfaction="满意"
            if r < 0.7
            else "基本满意"
            if r < 0.85
            else "不满意"
            if r < 0.9
            else "",
        )
        return out

    def disputes(self) -> int:
        from disputes.models import Dispute, Party
        from miaoba.models import NumberSequence

        rng, S = self.rng, Dispute.Status
        open_from = dt.date(2025, 7, 1)
        sources = [c for c, _ in Dispute.Source.choices]
        types = [c for c, _ in Dispute.Type.choices]
        links: list[dict] = []
        sequences = []
        pk = 0

        def rows():
            nonlocal pk
            for year, cases in self._cases_per_year(250_000).items():
                sequences.append(NumberSequence(register="dispute", year=year, last=len(cases)))
                for serial, (received, t) in enumerate(cases, start=1):
                    pk += 1
                    town = self.towns[t]
                    village = rng.choice(town["villages"]) if rng.random() < 0.95 else None
                    people = self._people_of(t, 3 if rng.random() < 0.1 else 2)
                    for order, (person, side) in enumerate(
                        zip(people, ("申请方", "被申请方", "第三人"), strict=False)
                    ):
                        links.append(
                            {
                                "id": len(links) + 1,
                                "dispute_id": pk,
                                "person_id": person,
                                "side": side,
                                "order": order,
                            }
                        )
                    matter = rng.choice(DISPUTE_MATTERS)
                    row = {
                        "id": pk,
                        "number": f"纠〔{year}〕{serial}号",
                        "year": year,
                        "serial": serial,
                        "received_on": received,
                        "village_id": village.pk if village else None,
                        "unit_id": town["units"][rng.choice((2, 2, 1))].pk,
                        "summary": f"双方因{matter}问题发生纠纷，经村调委会初步调处未果，申请调解。",
                        "is_repeat": rng.random() < 0.02,
                        "created_by_id": town["clerk"].pk,
                        "created_at": _stamp(received),
                        "updated_at": _stamp(received, 17),
                        "source": rng.choice(sources),
                        "type": rng.choice(types),
                        "body": "镇人民调解委员会" if rng.random() < 0.4 else "村（社区）调委会",
                        "mediators": "、".join(person_name(rng) for _ in range(rng.randint(1, 2))),
                        "amount": Decimal(rng.randint(100, 20_000_000)) / 100
                        if rng.random() < 0.4
                        else None,
                    }
                    row.update(self._dispute_flow(received, received >= open_from, S))
                    yield row

        count = Copier(Dispute, self.now).write(rows())
        Copier(Party, self.now).write(links)
        NumberSequence.objects.bulk_create(sequences)
        return count

    def _dispute_flow(self, received: dt.date, recent: bool, S) -> dict:
        rng = self.rng
        r = rng.random()
        if recent and r < 0.04:
            return {"status": S.REGISTERED}
        decided = self._done(_days(received, rng.randint(0, 3)))
        if decided is None:
            return {"status": S.REGISTERED}
        out = {"status": S.ACCEPTED, "decided_on": decided}
        r = rng.random()
        if r < 0.03:
            out.update(status=S.REJECTED, rejection_reason="一方当事人明确拒绝调解。")
            replied = self._done(_days(decided, rng.randint(0, 3)))
            if replied and rng.random() < 0.8:
                out.update(replied_on=replied, reply_form="口头告知")
            return out
        if recent and r < 0.13:
            return out
        days = rng.randint(32, 60) if rng.random() < 0.1 else rng.randint(2, 28)
        concluded = self._done(_days(decided, days))
        if concluded is None:
            return out
        r = rng.random()
        result = S.SUCCEEDED if r < 0.87 else S.FAILED if r < 0.95 else S.TERMINATED
        out.update(status=result, concluded_on=concluded)
        if result == S.SUCCEEDED:
            form = "书面" if rng.random() < 0.7 else "口头"
            out.update(
                agreement_form=form,
                agreement_text="双方自愿达成协议：被申请方于十日内一次性支付赔偿款，双方纠纷就此了结。",
                agreement_effective_on=concluded,
            )
            r = rng.random()
            checked = self._done(_days(concluded, rng.randint(15, 60)))
            if r < 0.85 and checked:
                out.update(performance="已履行", performance_checked_on=checked)
            elif r < 0.95 or not checked:
                out.update(performance="履行中")
            else:
                out.update(performance="未履行", performance_checked_on=checked)
            if form == "书面" and rng.random() < 0.06:
                applied = self._done(_days(concluded, rng.randint(1, 25)))
                decided_court = applied and self._done(_days(applied, rng.randint(5, 15)))
                if applied:
                    out.update(court_applied_on=applied)
                if decided_court:
                    out.update(
                        court_result="确认有效" if rng.random() < 0.9 else "驳回申请",
                        court_decided_on=decided_court,
                    )
        else:
            out.update(conclusion_note="调解不成，已告知当事人可向人民法院起诉或申请仲裁。")
        follow = self._done(_days(concluded, rng.randint(10, 60)))
        if follow and rng.random() < 0.6:
            out.update(followed_up_on=follow, follow_up_note="回访时双方关系和睦，协议履行良好。")
        replied = self._done(_days(concluded, rng.randint(0, 5)))
        if replied and rng.random() < 0.95:
            out.update(replied_on=replied, reply_form=rng.choice(("当面答复", "电话答复")))
        return out

    # --- normative documents and reviews ------------------------------------------------

    def documents(self) -> int:
        from miaoba.models import NumberSequence
        from normative_docs import deadlines
        from normative_docs.clocks import expiry_date
        from normative_docs.models import Document, Issuer

        rng, S = self.rng, Document.Status
        per_year = self.n(5_000) // len(YEARS)
        docs: list[dict] = []
        for year in YEARS:
            drafts = 40 if year == YEARS[-1] else 0
            for i in range(per_year):
                t = rng.randrange(len(self.towns))
                kind = rng.choice(DOC_KINDS)
                title = f"庙坝镇人民政府关于{rng.choice(DOC_SUBJECTS)}的{kind}"
                last = (10, 31) if i >= drafts else (12, 31)
                drafted = _day_in(rng, year, last=last)
                doc = {
                    "title": title,
                    "issuer": Issuer.GOVERNMENT if rng.random() < 0.6 else Issuer.OFFICE,
                    "drafting_unit_id": rng.choice(self.towns[t]["units"]).pk,
                    "drafter": person_name(rng),
                    "summary": f"为做好{title[9:]}工作，结合本镇实际，制定本文件。",
                    "drafted_on": drafted,
                    "created_by_id": self.towns[t]["clerk"].pk,
                    "created_at": _stamp(drafted),
                    "updated_at": _stamp(drafted, 17),
                    "status": S.DRAFTING,
                }
                steps = [
                    ("comment_from", 5),
                    ("comment_to", 30),
                    ("reviewed_on", rng.randint(3, 15)),
                    ("meeting_on", rng.randint(3, 20)),
                    ("signed_on", rng.randint(1, 5)),
                    ("registered_on", rng.randint(0, 3)),
                ]
                if i < drafts:
                    steps = steps[: rng.randint(0, 5)]
                day = drafted
                for name, gap in steps:
                    day = _days(day, gap)
                    if day > self.today:
                        break
                    doc[name] = day
                doc["status"] = {
                    0: S.DRAFTING,
                    1: S.CONSULTING,
                    2: S.CONSULTING,
                    3: S.REVIEWED,
                    4: S.DECIDED,
                    5: S.SIGNED,
                    6: S.REGISTERED,
                }[sum(1 for name, _ in steps if name in doc)]
                if "comment_to" in doc:
                    doc["comment_note"] = "征求意见期间共收到意见建议3条，已采纳2条。"
                if "reviewed_on" in doc:
                    doc.update(
                        review_conclusion=rng.choice(("通过", "修改后通过")), reviewer="镇法律顾问"
                    )
                if "meeting_on" in doc:
                    doc["meeting_name"] = "镇政府常务会议"
                if "signed_on" in doc:
                    doc["signed_by"] = "王镇长"
                docs.append(doc)
        # Number the registered ones in order of registration (gapless per issuer and year).
        registered = sorted(
            (d for d in docs if "registered_on" in d),
            key=lambda d: (d["registered_on"], d["drafted_on"]),
        )
        serials: dict[tuple[str, int], int] = defaultdict(int)
        register_serials: dict[int, int] = defaultdict(int)
        for d in registered:
            year = d["registered_on"].year
            serials[(d["issuer"], year)] += 1
            register_serials[year] += 1
            d.update(
                year=year,
                serial=serials[(d["issuer"], year)],
                number=f"{d['issuer']}〔{year}〕{serials[(d['issuer'], year)]}号",
                register_year=year,
                register_serial=register_serials[year],
                register_number=f"{deadlines.register_prefix()}〔{year}〕{register_serials[year]}号",
            )
            if rng.random() < 0.005:
                ended = self._done(_days(d["registered_on"], 3))
                if ended:
                    d.update(
                        status=S.WITHDRAWN, ended_on=ended, end_reason="文件内容需重大调整，撤回。"
                    )
                    continue
            published = self._done(_days(d["registered_on"], rng.randint(1, 7)))
            if published is None:
                continue
            years = deadlines.validity_years(provisional=deadlines.is_provisional(d["title"]))
            effective = _days(published, deadlines.effective_after_days())
            d.update(
                status=S.PUBLISHED,
                published_on=published,
                effective_on=effective,
                validity_years=years,
                expires_on=expiry_date(effective, years),
            )
            r = rng.random()
            filed = self._done(
                _days(published, rng.randint(31, 60) if r < 0.08 else rng.randint(3, 25))
            )
            if filed and r < 0.98:
                d.update(status=S.FILED, filed_on=filed, filed_to="城口县人民政府")
            else:
                continue
            r = rng.random()
            if d["expires_on"] < self.today:
                d.update(
                    status=S.EXPIRED, ended_on=_days(d["expires_on"], 1), end_reason="有效期届满。"
                )
            elif r < 0.08:
                span = (min(d["expires_on"], self.today) - effective).days
                if span > 0:
                    ended = _days(effective, rng.randrange(span))
                    d.update(status=S.REPEALED, ended_on=ended, end_reason="上位法修改，予以废止。")
            elif r < 0.13:
                d["status"] = S.AMENDED
        for pk, d in enumerate(docs, start=1):
            d["id"] = pk
        self.documents_by_year: dict[int, list[dict]] = defaultdict(list)
        for d in docs:
            if d.get("reviewed_on"):
                self.documents_by_year[d["reviewed_on"].year].append(d)
        NumberSequence.objects.bulk_create(
            [NumberSequence(register=issuer, year=y, last=n) for (issuer, y), n in serials.items()]
            + [
                NumberSequence(register="登记号", year=y, last=n)
                for y, n in register_serials.items()
            ]
        )
        return Copier(Document, self.now).write(docs)

    def reviews(self) -> int:
        from normative_docs.models import LegalReview, ReviewOpinion

        rng = self.rng
        per_year = self.n(10_000) // len(YEARS)
        kinds = [k for k, _ in LegalReview.Kind.choices if k != "规范性文件"]
        opinions: list[dict] = []
        pk = 0

        def rows():
            nonlocal pk
            for year in YEARS:
                docs = list(self.documents_by_year.get(year, []))
                rng.shuffle(docs)
                for i in range(per_year):
                    pk += 1
                    t = rng.randrange(len(self.towns))
                    doc = docs.pop() if docs and i % 3 == 0 else None
                    if doc:
                        submitted = _days(doc["reviewed_on"], -rng.randint(5, 12))
                        completed = doc["reviewed_on"]
                        kind, title = "规范性文件", doc["title"]
                    else:
                        kind = rng.choice(kinds)
                        submitted = _day_in(rng, year, last=(12, 20))
                        completed = self._done(_days(submitted, rng.randint(5, 21)))
                        title = f"{self.towns[t]['name']}{rng.choice(('道路硬化工程施工合同', '土地租赁合同', '行政处罚决定', '信访事项处置方案', '采购合同'))}"
                    row = {
                        "id": pk,
                        "kind": kind,
                        "advisor_id": self.advisors[t].pk,
                        "unit_id": self.towns[t]["units"][rng.choice((0, 2))].pk,
                        "document_id": doc["id"] if doc else None,
                        "title": title,
                        "material": "送审稿及起草说明各一份。",
                        "submitted_on": submitted,
                        "created_by_id": self.towns[t]["clerk"].pk,
                        "created_at": _stamp(submitted),
                    }
                    if completed:
                        r = rng.random()
                        conclusion = (
                            doc["review_conclusion"]
                            if doc
                            else "通过"
                            if r < 0.6
                            else "修改后通过"
                            if r < 0.95
                            else "不予通过"
                        )
                        row.update(
                            completed_on=completed,
                            working_days=_working_days(submitted, completed),
                            conclusion=conclusion,
                            summary="经审查，该事项主体适格、程序合法，建议完善部分条款后实施。",
                        )
                        for order in range(rng.choice((0, 1, 1, 2, 2, 3))):
                            r = rng.random()
                            opinions.append(
                                {
                                    "id": len(opinions) + 1,
                                    "review_id": pk,
                                    "order": order + 1,
                                    "text": f"建议明确第{order + 3}条中双方的权利义务和违约责任。",
                                    "adopted": True if r < 0.8 else False if r < 0.9 else None,
                                }
                            )
                    yield row

        count = Copier(LegalReview, self.now).write(rows())
        Copier(ReviewOpinion, self.now).write(opinions)
        return count

    # --- problems and tasks ---------------------------------------------------------------

    def tasks(self) -> int:
        from miaoba.models import NumberSequence
        from tasks.models import Extension, Milestone, Problem, Task

        rng = self.rng
        per_year = self.n(20_000) // len(YEARS)
        problems_per_year = max(1, per_year // 5)
        sources = ["督察", "巡察", "审计", "领导交办", "自查"]
        problems, tasks, co_units, milestones, extensions = [], [], [], [], []
        through = Task.co_units.through
        for year in YEARS:
            year_problems = []
            for i in range(problems_per_year):
                t = rng.randrange(len(self.towns))
                report = i < 6
                source = "年度报告" if report else sources[i % len(sources)]
                found = _day_in(rng, year, last=(9, 30))
                problem = {
                    "id": len(problems) + 1,
                    "source": source,
                    "year": year,
                    "document": f"城口县庙坝镇人民政府{year}年法治政府建设工作情况报告"
                    if report
                    else "",
                    "order": i + 1 if report else 0,
                    "category": "依法行政",
                    "aspect": rng.choice(("行政执法", "行政决策", "普法", "政务公开")),
                    "title": f"{self.towns[t]['name']}{rng.choice(ISSUES)}（{year}-{i + 1}）",
                    "detail": "检查发现部分工作落实不到位，制度执行不严格。",
                    "reported_in_year": year if report else None,
                    "created_by_id": self.towns[t]["clerk"].pk,
                    "created_at": _stamp(found),
                    "_t": t,
                    "_found": found,
                }
                problems.append(problem)
                year_problems.append(problem)
            assigned = []
            for problem in year_problems:
                for _ in range(5):
                    assigned.append((_days(problem["_found"], rng.randint(1, 60)), problem))
            assigned.sort(key=lambda a: a[0])  # found by 30 September, assigned within 60 days
            for serial, (on, problem) in enumerate(assigned[:per_year], start=1):
                tasks.append(self._task(len(tasks) + 1, year, serial, on, problem))
            NumberSequence.objects.create(
                register="task", year=year, last=min(per_year, len(assigned))
            )
        for task in tasks:
            t = task.pop("_t")
            if rng.random() < 0.2:
                others = rng.sample(self.towns[t]["units"], 2)
                for unit in others[: rng.randint(1, 2)]:
                    if unit.pk != task["lead_unit_id"]:
                        co_units.append(
                            {"id": len(co_units) + 1, "task_id": task["id"], "unit_id": unit.pk}
                        )
            if task["is_long_term"]:
                for k in range(3):
                    due = _days(task["assigned_on"], 90 * (k + 1))
                    done = self._done(_days(due, -rng.randint(0, 20)))
                    milestones.append(
                        {
                            "id": len(milestones) + 1,
                            "task_id": task["id"],
                            "title": f"第{k + 1}阶段：开展集中学法和案卷评查",
                            "due_on": due,
                            "done_on": done
                            if task["status"] == "closed" or rng.random() < 0.7
                            else None,
                        }
                    )
                open_dues = [m["due_on"] for m in milestones[-3:] if m["done_on"] is None]
                task["next_due"] = min(open_dues, default=None)
            elif rng.random() < 0.1:
                old = _days(task["due_on"], -rng.randint(10, 60))
                extensions.append(
                    {
                        "id": len(extensions) + 1,
                        "task_id": task["id"],
                        "old_due_on": old,
                        "new_due_on": task["due_on"],
                        "reason": "涉及多个部门协调，需要延长整改时限。",
                        "approved_by_id": task["leader_id"],
                        "on": _days(old, -rng.randint(1, 5)),
                    }
                )
        for p in problems:
            p.pop("_t")
            p.pop("_found")
        Copier(Problem, self.now).write(problems)
        count = Copier(Task, self.now).write(tasks)
        Copier(through, self.now).write(co_units)
        Copier(Milestone, self.now).write(milestones)
        Copier(Extension, self.now).write(extensions)
        return count

    def _task(self, pk: int, year: int, serial: int, assigned: dt.date, problem: dict) -> dict:
        rng = self.rng
        t = problem["_t"]
        long_term = rng.random() < 0.05
        due = None if long_term else _days(assigned, rng.randint(30, 180))
        r = rng.random()
        if year < YEARS[-1]:
            target = "closed" if r < 0.92 else "completed" if r < 0.95 else "in_progress"
        else:
            target = (
                "closed"
                if r < 0.5
                else "completed"
                if r < 0.65
                else "in_progress"
                if r < 0.9
                else "not_started"
            )
        task = {
            "id": pk,
            "number": f"整改〔{year}〕{serial}号",
            "year": year,
            "serial": serial,
            "problem_id": problem["id"],
            "measures": "建立台账，明确责任人和时限，每月调度一次进展，按期销号。",
            "lead_unit_id": rng.choice(self.towns[t]["units"]).pk,
            "responsible_id": self.towns[t]["clerk"].pk,
            "leader_id": rng.choice(self.leaders).pk,
            "assigned_on": assigned,
            "due_on": due,
            "due_explanation": "" if long_term else f"自交办之日起{(due - assigned).days}日内",
            "is_long_term": long_term,
            "next_due": due,  # a 长期坚持 task's: its first open milestone, set in tasks()
            "status": "in_progress" if target != "not_started" else "not_started",
            "created_by_id": self.towns[t]["clerk"].pk,
            "created_at": _stamp(assigned),
            "updated_at": _stamp(assigned, 17),
            "_t": t,
        }
        if target in ("closed", "completed"):
            span = ((due or _days(assigned, 270)) - assigned).days
            completed = self._done(_days(assigned, rng.randint(10, span + 20)))
            if completed:
                task.update(status="completed", completed_on=completed)
                closed = self._done(_days(completed, rng.randint(1, 15)))
                if target == "closed" and closed:
                    task.update(
                        status="closed",
                        closed_on=closed,
                        verified_by_id=task["leader_id"],
                        verification_comment="经核查，整改到位，同意销号。",
                    )
        return task

    # --- work records, year figures, the report -------------------------------------------

    def records(self) -> int:
        from reports.models import WorkRecord, YearFigure

        rng = self.rng
        per_year = self.n(50_000) // len(YEARS)
        seen: dict[tuple, int] = defaultdict(int)
        pk = 0

        def rows():
            nonlocal pk
            for year in YEARS:
                for _ in range(per_year):
                    pk += 1
                    t = rng.randrange(len(self.towns))
                    unit = rng.choice(self.towns[t]["units"])
                    kind_id, kind = rng.choice(self.kinds)
                    seen[(year, unit.pk, kind_id)] += 1
                    on = _day_in(rng, year)
                    yield {
                        "id": pk,
                        "on": on,
                        "kind_id": kind_id,
                        "title": f"{unit.name}{kind}（{year}年第{seen[(year, unit.pk, kind_id)]}次）",
                        "sessions": rng.randint(1, 3),
                        "participants": rng.randint(10, 300),
                        "materials": rng.randint(100, 2000) if kind == "普法活动" else None,
                        "unit_id": unit.pk,
                        "note": "",
                        "created_by_id": self.towns[t]["clerk"].pk,
                        "created_at": _stamp(on),
                    }

        count = Copier(WorkRecord, self.now).write(rows())
        figures = {
            "service_windows": 8,
            "window_staff": 8,
            "service_items": 8,
            "on_time_rate": 100,
            "certified_officers": 12,
            "legal_advisors": 1,
        }
        YearFigure.objects.bulk_create(
            YearFigure(year=y, key=k, value=v, source="镇党政办统计", entered_by=self.leader)
            for y in YEARS
            for k, v in figures.items()
        )
        return count

    def report(self) -> int:
        from reports import services

        services.report_create(by=self.leader, year=YEARS[-1], span_from=YEARS[0])
        return 1

    def finish(self) -> int:
        from django.apps import apps

        app_models = [
            m
            for app in ("miaoba", "disputes", "normative_docs", "tasks", "reports")
            for m in apps.get_app_config(app).get_models(include_auto_created=True)
        ]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), app_models):
                cursor.execute(sql)
        with connection.cursor() as cursor:  # autocommit: VACUUM runs outside a transaction
            cursor.execute("VACUUM ANALYZE")
        return len(app_models)

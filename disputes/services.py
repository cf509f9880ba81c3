"""Workflow steps of petitions (信访件) and disputes (矛盾纠纷).

Every step is a function `<entity>_<action>` with keyword-only arguments, runs in one
transaction, checks the rule that allows it and writes the step onto the case's timeline.
A step the law does not allow raises `django.core.exceptions.ValidationError` whose message
(or message dict, keyed by field) is the Chinese text shown to the clerk.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

from disputes import deadlines
from disputes.clocks import petition_clocks
from disputes.deadlines import COURT_WINDOW_DAYS, MAX_EXTENSION_DAYS, REPEAT_WINDOW_MONTHS
from disputes.flows import DISPUTE, PETITION
from disputes.models import (
    Dispute,
    Event,
    Party,
    Person,
    Petition,
    Petitioner,
    as_entered,
)
from miaoba.cleaning import (
    clean_text,
    name_key,
    normalise_id_number,
    normalise_name,
    normalise_phone,
)
from miaoba.records import bulk_history, check_token_unused, save_new_once, void_record
from miaoba.roles import LEADER
from miaoba.workcalendar import WorkCalendar, cn_date
from miaoba.workflow import allocate_serial, allocate_serials, check_date, today

PETITION_PREFIX = "信"
DISPUTE_PREFIX = "纠"


def case_number(prefix: str, year: int, serial: int) -> str:
    """Format a case number as 信〔2020〕12号: year in full inside 〔〕, serial without zeros."""
    return f"{prefix}〔{year}〕{serial}号"


def same_name(a: str, b: str) -> bool:
    """Return True when two names are one name typed two ways: "胡　芳", "胡 芳", "胡芳"."""
    return name_key(a) == name_key(b)


def name_key_expression(field: str = "name"):
    """Return a database expression of `field` without spaces and full-width spaces.

    The database side of `miaoba.cleaning.name_key`, for names stored before names were
    normalised on the way in ("胡 芳" from an old import).
    """
    return Replace(Replace(F(field), Value(" "), Value("")), Value("\u3000"), Value(""))


@dataclass
class PersonData:
    """What a form or a ledger row says about a person; `person_resolve` finds or creates them.

    Normalised on creation, the one way for forms, imports and matching (issue 12 §5): the
    name by `normalise_name` ("胡　芳" → "胡芳"), the ID number by `normalise_id_number`
    (full-width digits, lower-case x), the phone by `normalise_phone` ("+86 138-0013-8000"
    → "13800138000").
    """

    name: str
    gender: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    village_id: int | None = None

    def __post_init__(self) -> None:
        self.name = normalise_name(self.name)
        self.id_number = normalise_id_number(self.id_number)
        self.phone = normalise_phone(self.phone)
        self.address = clean_text(self.address)


# The ID number is on file under another name; which name is another unit's business.
ID_TAKEN = "该身份证号已有登记，请核对身份证号与姓名是否填写正确。"


def person_resolve(data: PersonData) -> Person:
    """Return the known person with this ID number (else same name and phone), or a new one.

    Blank fields of a known person are filled from `data`; filled ones are kept. The person row
    only links one person's cases: pages show the details entered on each case
    (`models.AsEntered`). Raises ValidationError (key "id_number") when the ID number is on
    file under another name, without saying which name, nor which unit registered it: the
    clerk learns only that the number is taken (《个人信息保护法》第六条). The one-person case
    of `people_resolve_many`.
    """
    return people_resolve_many([data], by=None)[0]


def people_resolve_many(people: list[PersonData], *, by) -> list[Person]:
    """Return the person of each entry, in order, creating the ones not yet known.

    A person is known by ID number; without one, by phone with the same name (spaces
    ignored); with neither, a new person. Two entries of the same person in `people` get the
    same record. Blank fields of a known person are filled from the entry (filled ones kept).
    Two queries find every known person, one insert creates the new ones and one update fills
    blanks, each with its history row (user `by`) masked as a single save masks it. Raises
    ValidationError (key "id_number") when an ID number is on file under another name.
    """
    ids = sorted({p.id_number for p in people if p.id_number})
    phones = sorted({p.phone for p in people if not p.id_number and p.phone})
    by_id: dict[str, Person] = {}
    for start in range(0, len(ids), 2000):
        by_id.update(
            (x.id_number, x) for x in Person.objects.filter(id_number__in=ids[start : start + 2000])
        )
    by_phone: dict[str, list[Person]] = {}
    for start in range(0, len(phones), 2000):
        for x in Person.objects.filter(phone__in=phones[start : start + 2000]).order_by("pk"):
            by_phone.setdefault(x.phone, []).append(x)
    found: list[Person] = []
    created: dict[int, Person] = {}
    filled: dict[int, Person] = {}
    for data in people:
        person = None
        if data.id_number:
            person = by_id.get(data.id_number)
            if person is not None and not same_name(person.name, data.name):
                raise ValidationError({"id_number": ID_TAKEN})
        elif data.phone:
            key = name_key(data.name)
            person = next(
                (p for p in by_phone.get(data.phone, []) if name_key(p.name) == key), None
            )
        if person is None:
            person = Person(name=data.name)
            created[id(person)] = person
            if data.id_number:
                by_id[data.id_number] = person
            elif data.phone:
                by_phone.setdefault(data.phone, []).append(person)
        changed = False
        for field in ("gender", "phone", "address", "village_id", "id_number"):
            if not getattr(person, field) and getattr(data, field):
                setattr(person, field, getattr(data, field))
                changed = True
        if changed and person.pk is not None:
            filled[person.pk] = person
        found.append(person)
    new = list(created.values())
    for person in new + list(filled.values()):
        # Checked as a single save checks it (the village is known to exist: no query).
        # (The ID number's uniqueness is settled above and by the database constraint.)
        person.full_clean(exclude=["village"], validate_unique=False, validate_constraints=False)
    if new:
        Person.objects.bulk_create(new, batch_size=1000)
        bulk_history(new, user=by)
    if filled:
        changed_people = list(filled.values())
        Person.objects.bulk_update(
            changed_people, ["gender", "phone", "address", "village", "id_number"], batch_size=1000
        )
        bulk_history(changed_people, user=by, update=True)
    return found


@dataclass
class ImportedCase:
    """One ledger row to create (信访件 or 矛盾纠纷), as `cases_import` writes it.

    `values` are the case's fields (status and step dates included); `people` (PersonData,
    side) in order (side "" for petitioners); `number` (year, serial) from the file, or None
    to allocate; `note` the 导入 entry's text. The timeline steps the row implies come from the
    declared flow (`disputes.flows`, `Workflow.implied_events`).
    """

    values: dict
    people: list
    number: tuple[int, int] | None
    note: str = ""


@transaction.atomic
def cases_import(model, entries: list[ImportedCase], *, by) -> list:
    """Create the cases of a ledger file in bulk; return them in order, numbered.

    The write path of a ledger import, batched: serials allocated as a block per year (after
    those given in the file), people resolved together (`people_resolve_many`), one insert
    each for the cases, their people, their timeline and their history rows (masked as a
    single save masks them, user `by`). Every event note is masked (`mask_personal_data`).
    """
    petition = model is Petition
    prefix, register = (PETITION_PREFIX, "petition") if petition else (DISPUTE_PREFIX, "dispute")
    flow = PETITION if petition else DISPUTE
    wanted: dict[int, int] = {}
    for entry in entries:
        if entry.number is None:
            year = entry.values["received_on"].year
            wanted[year] = wanted.get(year, 0) + 1
    blocks = {year: iter(allocate_serials(register, year, n)) for year, n in wanted.items()}
    cases = []
    for entry in entries:
        year, serial = entry.number or (entry.values["received_on"].year, None)
        if serial is None:
            serial = next(blocks[year])
        cases.append(
            model(
                number=case_number(prefix, year, serial),
                year=year,
                serial=serial,
                created_by=by,
                **entry.values,
            )
        )
    model.objects.bulk_create(cases, batch_size=1000)
    bulk_history(cases, user=by)
    persons = people_resolve_many([p for entry in entries for p, _side in entry.people], by=by)
    links, events, at = [], [], 0
    for case, entry in zip(cases, entries, strict=True):
        for order, (data, side) in enumerate(entry.people):
            person = persons[at]
            at += 1
            # The link keeps the details as this row gave them (models.AsEntered).
            if petition:
                links.append(
                    Petitioner(petition=case, person=person, order=order, **as_entered(data))
                )
            else:
                links.append(
                    Party(dispute=case, person=person, side=side, order=order, **as_entered(data))
                )
        if entry.note:
            events.append(Event.build(case, action="导入", on=today(), by=by, note=entry.note))
        for action, on, note in flow.implied_events(case):
            events.append(Event.build(case, action=action, on=on, by=by, note=note))
    (Petitioner if petition else Party).objects.bulk_create(links, batch_size=1000)
    Event.objects.bulk_create(events, batch_size=1000)
    return cases


def find_repeats(
    people: Iterable[PersonData], *, on: dt.date, exclude_petition=None, exclude_dispute=None
):
    """Return (petitions, disputes) of the same people received in the 12 months before `on`.

    A person is the same by ID number; without one, by phone; without either, by name and
    village (`DOMAIN.md` §2, 重复信访). Two queries, whatever the number of people.
    """
    persons = _same_persons(people)
    if persons is None:
        return [], []
    # A year back by the calendar, not 365 days: across a 29 February 365 days fall a day short.
    since = _months_before(on, REPEAT_WINDOW_MONTHS)
    petitions = (
        Petition.objects.filter(petitioners__in=persons, received_on__range=(since, on))
        .exclude(pk=getattr(exclude_petition, "pk", None))
        .select_related("category", "unit")
        .distinct()
        .order_by("-received_on")
    )
    disputes = (
        Dispute.objects.filter(parties__in=persons, received_on__range=(since, on))
        .exclude(pk=getattr(exclude_dispute, "pk", None))
        .select_related("unit")
        .distinct()
        .order_by("-received_on")
    )
    return list(petitions), list(disputes)


def _same_persons(people: Iterable[PersonData]):
    """Return a queryset of the persons on file who are one of `people`, or None for no key.

    The same by ID number; without one, by phone; without either, by name and village.
    """
    match = Q()
    for p in people:
        if p.id_number:
            match |= Q(id_number=normalise_id_number(p.id_number))
        elif p.phone:
            match |= Q(phone=normalise_phone(p.phone))
        elif p.name and p.village_id:
            match |= Q(name_key=name_key(p.name), village_id=p.village_id)
    if not match:
        return None
    return Person.objects.annotate(name_key=name_key_expression()).filter(match)


def recheck_closed_basis(rule: str) -> str:
    """Return the article saying a matter closed by 复核 is not accepted again, by rule in force."""
    return "《信访工作条例》第三十五条" if rule == "2022" else "《信访条例》第三十五条"


def find_closed_rechecks(people: Iterable[PersonData], *, exclude_petition=None) -> list[Petition]:
    """Return earlier petitions of the same people whose 复核 opinion is on file (复核终结).

    After 复核 a petition on the same matter, facts and reasons is not accepted again
    (《信访工作条例》第三十五条; 《信访条例》第三十五条), however long ago: no time window, unlike
    `find_repeats`. People are matched as `find_repeats` matches them; whether it is the same
    matter is for the clerk to judge. Voided petitions are left out. Latest 复核 first; one
    query.
    """
    persons = _same_persons(people)
    if persons is None:
        return []
    return list(
        Petition.objects.active()
        .filter(petitioners__in=persons, recheck_concluded_on__isnull=False)
        .exclude(pk=getattr(exclude_petition, "pk", None))
        .select_related("category", "unit")
        .distinct()
        .order_by("-recheck_concluded_on", "-pk")
    )


def closed_recheck_reason(earlier: Petition, *, rule: str) -> str:
    """Return the 不予受理 reason for a matter closed by 复核 in `earlier` (its number and date)."""
    return (
        f"该信访事项已于{cn_date(earlier.recheck_concluded_on)}经复核终结（{earlier.number}），"
        f"同一事项、同一事实和理由不再受理（{recheck_closed_basis(rule)}）"
    )


def _months_before(day: dt.date, n: int) -> dt.date:
    """Return the same day `n` months before `day`, or that month's last day when it has none."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - n, 12)
    month = month_index + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def _event(case, *, action: str, on: dt.date, by, note: str = "") -> None:
    # The timeline is an audit record too: Event.add masks ID and mobile numbers.
    Event.add(case, action=action, on=on, by=by, note=note)


# --- Petitions -------------------------------------------------------------------------------


@transaction.atomic
def petition_register(
    *,
    by,
    received_on: dt.date,
    channel: str,
    category,
    unit,
    summary: str,
    petitioners: list[PersonData],
    kind: str = "",
    village=None,
    request: str = "",
    headcount: int | None = None,
    handler=None,
    is_repeat: bool = False,
    repeat_of: Petition | None = None,
    form_token=None,
) -> Petition:
    """Register a petition (登记), give it the year's next number and link its petitioners.

    `headcount` defaults to the number of petitioners and may not be lower. Raises
    ValidationError when no petitioner is given or a date is in the future, and
    `miaoba.records.DuplicateSubmission` (with the first petition) when the registration form
    with `form_token` was already posted.
    """
    check_token_unused(Petition, form_token)
    check_date("received_on", received_on)
    if not petitioners:
        raise ValidationError({"petitioners": "至少登记一名信访人。"})
    headcount = headcount or len(petitioners)
    if headcount < len(petitioners):
        raise ValidationError(
            {"headcount": f"信访人数不能少于已登记的信访人（{len(petitioners)}人）。"}
        )
    year = received_on.year
    serial = allocate_serial("petition", year)
    petition = Petition(
        number=case_number(PETITION_PREFIX, year, serial),
        year=year,
        serial=serial,
        received_on=received_on,
        channel=channel,
        kind=kind,
        category=category,
        village=village,
        unit=unit,
        summary=summary,
        request=request,
        headcount=headcount,
        handler=handler,
        is_repeat=is_repeat or repeat_of is not None,
        repeat_of=repeat_of,
        created_by=by,
        form_token=form_token,
    )
    petition.full_clean(exclude=["number", "year", "serial", "created_by", "form_token"])
    save_new_once(petition)
    people = people_resolve_many(petitioners, by=by)
    Petitioner.objects.bulk_create(
        [
            Petitioner(petition=petition, person=person, order=order, **as_entered(data))
            for order, (person, data) in enumerate(zip(people, petitioners, strict=True))
        ]
    )
    note = f"{petition.get_channel_display()}，{len(petitioners)}名信访人"
    if petition.is_collective:
        note += f"，{headcount}人集体访"
    _event(petition, action="登记", on=received_on, by=by, note=note)
    return petition


@transaction.atomic
def petition_accept(petition: Petition, *, by, on: dt.date) -> Petition:
    """Accept a petition (受理) and start the 60-day conclusion clock.

    Raises ValidationError unless it is waiting for acceptance and `on` is between the date
    of receipt and today. Source: 《信访条例》第二十二条; 《信访工作条例》第二十三条.
    """
    PETITION.guard(petition, "accept")
    check_date("decided_on", on, not_before=petition.received_on, what="登记日期")
    petition.status = Petition.Status.ACCEPTED
    petition.decided_on = on
    petition.save(update_fields=["status", "decided_on", "updated_at"])
    _event(petition, action="受理", on=on, by=by, note="书面告知信访人已受理")
    return petition


REDIRECT_REQUIRED = (
    "不予受理须写明告知信访人向何处提出（有权处理的机关或途径，如“县人力社保局”"
    "“依法申请劳动仲裁”），《信访条例》第二十一条、《信访工作条例》第三十条。"
)


@transaction.atomic
def petition_reject(
    petition: Petition, *, by, on: dt.date, reason: str, redirect_to: str
) -> Petition:
    """Decide not to accept a petition (不予受理) and tell the petitioner in writing where to
    go instead.

    The written notice is the reply: `replied_on` is set to `on`. Raises ValidationError
    without a reason or without `redirect_to` (the organ or route the petitioner is told to
    use). Source: 《信访条例》第二十一条; 《信访工作条例》第二十三条、第三十条.
    """
    PETITION.guard(petition, "reject")
    check_date("decided_on", on, not_before=petition.received_on, what="登记日期")
    if not reason.strip():
        raise ValidationError({"rejection_reason": "不予受理须写明理由。"})
    if not (redirect_to or "").strip():
        raise ValidationError({"redirect_to": REDIRECT_REQUIRED})
    petition.status = Petition.Status.REJECTED
    petition.decided_on = on
    petition.rejection_reason = reason.strip()
    petition.redirect_to = redirect_to.strip()
    petition.replied_on = on
    petition.reply_form = "不予受理告知书"
    petition.save()
    _event(petition, action="不予受理", on=on, by=by, note=PETITION["reject"].note(petition))
    return petition


@transaction.atomic
def petition_extend(
    petition: Petition, *, by, on: dt.date, days: int, reason: str, approved_by
) -> Petition:
    """Extend the conclusion period once (延期), by at most 30 days, approved by a leader.

    Raises ValidationError when the petition is not being handled, was already extended, `days`
    is not 1 to 30, the reason is blank, the approver is not a leader, or the 60-day period has
    already run out. Source: 《信访条例》第三十三条; 《信访工作条例》第三十四条.
    """
    PETITION.guard(petition, "extend")
    errors = {}
    if not days or days < 1:
        errors["extension_days"] = "请填写延长天数。"
    elif days > MAX_EXTENSION_DAYS:
        errors["extension_days"] = (
            f"延期不得超过{MAX_EXTENSION_DAYS}日（{petition.rule_name}），您填写的是{days}日。"
        )
    if not reason.strip():
        errors["extension_reason"] = "请写明延期理由（将书面告知信访人）。"
    if approved_by is None or not approved_by.groups.filter(name=LEADER).exists():
        errors["extension_approved_by"] = "延期须经领导批准，请选择批准领导。"
    if errors:
        raise ValidationError(errors)
    check_date("extended_on", on, not_before=petition.decided_on, what="受理日期")
    due = next(
        c for c in petition_clocks(petition, WorkCalendar.load()) if c.label == "办结期限"
    ).due
    if on > due.date:
        raise ValidationError(
            {"extended_on": f"办结期限已于{cn_date(due.date)}届满，不能再批准延期。"}
        )
    petition.extension_days = days
    petition.extension_reason = reason.strip()
    petition.extension_approved_by = approved_by
    petition.extended_on = on
    petition.save()
    _event(
        petition,
        action="延期",
        on=on,
        by=by,
        note=f"延长{days}日，经{approved_by.display_name}批准；理由：{petition.extension_reason}",
    )
    return petition


@transaction.atomic
def petition_conclude(
    petition: Petition, *, by, on: dt.date, outcome: str, outcome_text: str = ""
) -> Petition:
    """Conclude a petition (办结) with the handling opinion (处理意见书: 支持/解释说明/不予支持).

    Raises ValidationError unless the petition is being handled and an outcome is given.
    Source: 《信访条例》第三十二条; 《信访工作条例》第三十二条.
    """
    PETITION.guard(petition, "conclude")
    if outcome not in Petition.Outcome.values:
        raise ValidationError({"outcome": "办结须选择处理意见（支持、解释说明或不予支持）。"})
    check_date(
        "concluded_on",
        on,
        not_before=petition.decided_on,
        what="受理日期",
        rule=f"先受理后办结，{deadlines.CONCLUSION_BASIS[petition.rule]}",
    )
    petition.status = Petition.Status.CONCLUDED
    petition.concluded_on = on
    petition.outcome = outcome
    petition.outcome_text = outcome_text.strip()
    petition.save()
    _event(petition, action="办结", on=on, by=by, note=PETITION["conclude"].note(petition))
    return petition


@transaction.atomic
def petition_reply(
    petition: Petition, *, by, on: dt.date, form: str, satisfaction: str = ""
) -> Petition:
    """Record the reply delivered to the petitioner (答复) and, if given, their rating (满意度).

    Raises ValidationError before acceptance, before conclusion, once replied, and for a reply
    dated before the conclusion (the reply delivers the 处理意见书).
    """
    PETITION.guard(petition, "reply")
    if not form.strip():
        raise ValidationError({"reply_form": "请填写答复方式（如：书面送达、当面答复）。"})
    if satisfaction and satisfaction not in Petition.Satisfaction.values:
        raise ValidationError({"satisfaction": "满意度只能是满意、基本满意或不满意。"})
    check_date(
        "replied_on",
        on,
        not_before=petition.concluded_on,
        what="办结日期",
        rule="答复送达的是办结时出具的处理意见书，应在办结之后",
    )
    petition.status = Petition.Status.REPLIED
    petition.replied_on = on
    petition.reply_form = form.strip()
    petition.satisfaction = satisfaction
    petition.save()
    _event(petition, action="答复", on=on, by=by, note=PETITION["reply"].note(petition))
    return petition


@transaction.atomic
def petition_rate(petition: Petition, *, by, satisfaction: str, on: dt.date) -> Petition:
    """Record the petitioner's rating (满意度评价) after the reply, once."""
    PETITION.guard(petition, "rate")
    if satisfaction not in Petition.Satisfaction.values:
        raise ValidationError({"satisfaction": "满意度只能是满意、基本满意或不满意。"})
    check_date("satisfaction", on, not_before=petition.replied_on, what="答复日期")
    petition.satisfaction = satisfaction
    petition.save(update_fields=["satisfaction", "updated_at"])
    _event(petition, action="满意度评价", on=on, by=by, note=satisfaction)
    return petition


_LEVELS = {"review": "复查", "recheck": "复核"}


def _review_level(level: str) -> str:
    if level not in _LEVELS:
        raise ValueError(f"level must be 'review' or 'recheck', not {level!r}")
    return _LEVELS[level]


def _check_opinion(petition: Petition, level: str, result: str, concluded_on) -> None:
    """Check a 复查/复核 opinion: a known result, dated on or after its request and today."""
    name = _LEVELS[level]
    requested_on = getattr(petition, f"{level}_requested_on")
    if result not in Petition.ReviewResult.values:
        raise ValidationError({f"{level}_result": f"{name}结果不正确。"})
    if concluded_on is None:
        raise ValidationError({f"{level}_concluded_on": f"请填写{name}意见日期。"})
    basis = deadlines.REVIEW_BASIS if level == "review" else deadlines.RECHECK_BASIS
    check_date(
        f"{level}_concluded_on",
        concluded_on,
        not_before=requested_on,
        what=f"{name}申请日期",
        rule=f"{name}意见在收到{name}请求之后作出，{basis[petition.rule]}",
    )


@transaction.atomic
def petition_record_review(
    petition: Petition,
    *,
    by,
    level: str,
    requested_on: dt.date,
    result: str = "",
    concluded_on: dt.date | None = None,
) -> Petition:
    """Record a 复查 (`level="review"`) or 复核 (`level="recheck"`) request at the next level up,
    with its opinion when already known.

    A review must be requested within 30 days of the reply, a recheck within 30 days of the
    review opinion; each is recorded once (a second request over the top is refused: correct a
    wrong one through 更正). Raises ValidationError otherwise. Source: 《信访工作条例》第三十五条、
    第三十六条 (《信访条例》第三十四条、第三十五条).
    """
    name = _review_level(level)
    PETITION.guard(petition, level)
    if level == "review":
        base, base_what = petition.replied_on, "答复日期"
    else:
        base, base_what = petition.review_concluded_on, "复查意见日期"
    check_date(
        f"{level}_requested_on",
        requested_on,
        not_before=base,
        what=base_what,
        rule=f"{name}应在收到{'答复' if level == 'review' else '复查意见'}之后请求",
    )
    # A period in days: its last day, if a rest day, moves to the next working day (§9).
    window = WorkCalendar.load().add_days(base, deadlines.REVIEW_REQUEST_DAYS)
    if requested_on > window.date:
        raise ValidationError(
            {
                f"{level}_requested_on": f"{name}申请应在{base_what}后30日内提出"
                f"（{window.explanation}），已超过期限。"
            }
        )
    if result or concluded_on:
        setattr(petition, f"{level}_requested_on", requested_on)
        _check_opinion(petition, level, result, concluded_on)
    setattr(petition, f"{level}_requested_on", requested_on)
    setattr(petition, f"{level}_result", result)
    setattr(petition, f"{level}_concluded_on", concluded_on)
    petition.save()
    note = f"申请日期{cn_date(requested_on)}"
    if result:
        note += f"；结果：{Petition.ReviewResult(result).label}"
    _event(petition, action=name, on=concluded_on or requested_on, by=by, note=note)
    return petition


@transaction.atomic
def petition_record_review_opinion(
    petition: Petition, *, by, level: str, result: str, concluded_on: dt.date
) -> Petition:
    """Record the opinion (复查意见 / 复核意见) of a 复查 or 复核 already requested, once.

    The opinion is due within 30 days of the request (《信访工作条例》第三十五条、第三十六条;
    the clock `复查意见期限` / `复核意见期限` shows it); a later one is recorded and its clock
    shows it late. Raises ValidationError before the request is on file, when an opinion is on
    file already, for an unknown result, or for a date before the request.
    """
    name = _review_level(level)
    PETITION.guard(petition, f"{level}_opinion")
    _check_opinion(petition, level, result, concluded_on)
    setattr(petition, f"{level}_result", result)
    setattr(petition, f"{level}_concluded_on", concluded_on)
    petition.save()
    _event(
        petition,
        action=f"{name}意见",
        on=concluded_on,
        by=by,
        note=f"结果：{Petition.ReviewResult(result).label}",
    )
    return petition


# --- Disputes --------------------------------------------------------------------------------


@transaction.atomic
def dispute_register(
    *,
    by,
    received_on: dt.date,
    source: str,
    type: str,
    unit,
    summary: str,
    parties: list[tuple[PersonData, str]],
    village=None,
    body: str = Dispute.Body.TOWN,
    mediators: str = "",
    amount: Decimal | None = None,
    is_repeat: bool = False,
    repeat_of: Dispute | None = None,
    form_token=None,
) -> Dispute:
    """Register a dispute (登记) with its parties and sides, and give it the year's next number.

    `parties` is a list of (person, side) with side 申请方/被申请方/第三人. Raises
    ValidationError with fewer than two parties, without a party on each side, or with a
    negative amount; DuplicateSubmission when the form with `form_token` was already posted.
    """
    check_token_unused(Dispute, form_token)
    check_date("received_on", received_on)
    if len(parties) < 2:
        raise ValidationError({"parties": "矛盾纠纷至少有两方当事人。"})
    sides = {side for _, side in parties}
    if not {Party.Side.APPLICANT, Party.Side.RESPONDENT} <= sides:
        raise ValidationError({"parties": "请至少登记一名申请方和一名被申请方当事人。"})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": "涉及金额不能为负数。"})
    year = received_on.year
    serial = allocate_serial("dispute", year)
    dispute = Dispute(
        number=case_number(DISPUTE_PREFIX, year, serial),
        year=year,
        serial=serial,
        received_on=received_on,
        source=source,
        type=type,
        village=village,
        unit=unit,
        summary=summary,
        body=body,
        mediators=mediators,
        amount=amount,
        is_repeat=is_repeat or repeat_of is not None,
        repeat_of=repeat_of,
        created_by=by,
        form_token=form_token,
    )
    dispute.full_clean(exclude=["number", "year", "serial", "created_by", "form_token"])
    save_new_once(dispute)
    people = people_resolve_many([data for data, _side in parties], by=by)
    Party.objects.bulk_create(
        [
            Party(dispute=dispute, person=person, side=side, order=order, **as_entered(data))
            for order, (person, (data, side)) in enumerate(zip(people, parties, strict=True))
        ]
    )
    _event(dispute, action="登记", on=received_on, by=by, note=f"{source}，{len(parties)}方当事人")
    return dispute


@transaction.atomic
def dispute_accept(dispute: Dispute, *, by, on: dt.date) -> Dispute:
    """Accept a dispute for mediation (受理) and start the one-month mediation clock."""
    DISPUTE.guard(dispute, "accept")
    check_date("decided_on", on, not_before=dispute.received_on, what="登记日期")
    dispute.status = Dispute.Status.ACCEPTED
    dispute.decided_on = on
    dispute.save(update_fields=["status", "decided_on", "updated_at"])
    _event(dispute, action="受理", on=on, by=by)
    return dispute


@transaction.atomic
def dispute_reject(dispute: Dispute, *, by, on: dt.date, reason: str) -> Dispute:
    """Decline a dispute (不予受理), e.g. when a party clearly refuses mediation.

    Source: 《人民调解法》第十七条. Raises ValidationError without a reason.
    """
    DISPUTE.guard(dispute, "reject")
    check_date("decided_on", on, not_before=dispute.received_on, what="登记日期")
    if not reason.strip():
        raise ValidationError({"rejection_reason": "不予受理须写明理由（如：一方明确拒绝调解）。"})
    dispute.status = Dispute.Status.REJECTED
    dispute.decided_on = on
    dispute.rejection_reason = reason.strip()
    dispute.save()
    _event(dispute, action="不予受理", on=on, by=by, note=dispute.rejection_reason)
    return dispute


@transaction.atomic
def dispute_conclude(
    dispute: Dispute,
    *,
    by,
    on: dt.date,
    result: str,
    agreement_form: str = "",
    agreement_text: str = "",
    effective_on: dt.date | None = None,
    note: str = "",
) -> Dispute:
    """End mediation: 调解成功 with a written or oral agreement, 调解不成, or 终止.

    A success needs the agreement's form; a written one its content. An agreement takes effect
    when it is signed or reached, so at or after the conclusion (《人民调解法》第二十九条、第三十条):
    `effective_on` defaults to `on`, and an earlier one is refused. 调解不成 and 终止 need a note
    of the other routes the parties were told (第二十六条).
    """
    DISPUTE.guard(dispute, "conclude")
    check_date("concluded_on", on, not_before=dispute.decided_on, what="受理日期")
    if result == Dispute.Status.SUCCEEDED:
        if agreement_form not in Dispute.AgreementForm.values:
            raise ValidationError({"agreement_form": "调解成功须选择协议形式（书面或口头）。"})
        if not agreement_text.strip():
            what = (
                "协议内容"
                if agreement_form == Dispute.AgreementForm.WRITTEN
                else "口头协议的内容（第三十条要求记录）"
            )
            raise ValidationError({"agreement_text": f"请填写{what}。"})
        if effective_on is not None:
            check_date(
                "agreement_effective_on",
                effective_on,
                not_before=on,
                what="调结日期",
                rule="调解协议自各方签字或达成之日起生效，不早于调解结束"
                "（《人民调解法》第二十九条、第三十条）",
            )
        dispute.agreement_form = agreement_form
        dispute.agreement_text = agreement_text.strip()
        dispute.agreement_effective_on = effective_on or on
        dispute.performance = Dispute.Performance.ONGOING
    elif result in {Dispute.Status.FAILED, Dispute.Status.TERMINATED}:
        if not note.strip():
            raise ValidationError(
                {
                    "conclusion_note": "请写明情况及告知当事人的其他解决途径（仲裁、行政、司法途径）。"
                }
            )
        dispute.conclusion_note = note.strip()
    else:
        raise ValidationError({"result": "请选择调解结果。"})
    dispute.status = result
    dispute.concluded_on = on
    dispute.save()
    _event(
        dispute,
        action=DISPUTE["conclude"].action_of(dispute),
        on=on,
        by=by,
        note=note.strip() or agreement_text.strip()[:100],
    )
    return dispute


@transaction.atomic
def dispute_record_performance(dispute: Dispute, *, by, on: dt.date, performance: str) -> Dispute:
    """Record whether the agreement is performed (履行: 履行中/已履行/未履行, 第三十一条).

    While it is 履行中 the check may be recorded; once 已履行 or 未履行 is on file it is not
    recorded again (a wrong entry is corrected through 更正).
    """
    DISPUTE.guard(dispute, "performance")
    if performance not in Dispute.Performance.values:
        raise ValidationError({"performance": "请选择履行情况。"})
    check_date("performance_checked_on", on, not_before=dispute.concluded_on, what="调结日期")
    dispute.performance = performance
    dispute.performance_checked_on = on
    dispute.save()
    _event(dispute, action="履行情况", on=on, by=by, note=performance)
    return dispute


def _check_court_result(dispute: Dispute, result: str, decided_on, applied_on) -> None:
    if result not in Dispute.CourtResult.values:
        raise ValidationError({"court_result": "请选择司法确认结果。"})
    if decided_on is None:
        raise ValidationError({"court_decided_on": "请填写法院裁定日期。"})
    check_date(
        "court_decided_on",
        decided_on,
        not_before=applied_on,
        what="申请日期",
        rule="法院在收到司法确认申请后作出裁定",
    )


@transaction.atomic
def dispute_record_court(
    dispute: Dispute,
    *,
    by,
    applied_on: dt.date,
    result: str = "",
    decided_on: dt.date | None = None,
) -> Dispute:
    """Record an application for court confirmation (司法确认) of a written agreement, once,
    with the court's ruling when already known.

    The parties apply within 30 days of the agreement taking effect (《人民调解法》第三十三条);
    a later application, one for an oral agreement, or a second one over the top raises
    ValidationError.
    """
    DISPUTE.guard(dispute, "court")
    base = dispute.agreement_effective_on
    check_date(
        "court_applied_on",
        applied_on,
        not_before=base,
        what="协议生效日期",
        rule="司法确认申请的是已生效的调解协议（《人民调解法》第三十三条）",
    )
    # The same count as the 司法确认申请期 clock: a window ending on a rest day moves (§9).
    window = WorkCalendar.load().add_days(base, COURT_WINDOW_DAYS)
    if applied_on > window.date:
        raise ValidationError(
            {
                "court_applied_on": f"司法确认应自协议生效之日（{cn_date(base)}）起30日内申请"
                f"（{window.explanation}）。"
            }
        )
    if result or decided_on:
        _check_court_result(dispute, result, decided_on, applied_on)
    dispute.court_applied_on = applied_on
    dispute.court_result = result
    dispute.court_decided_on = decided_on
    dispute.save()
    _event(
        dispute, action="司法确认", on=decided_on or applied_on, by=by,
        note=DISPUTE["court"].note(dispute),
    )  # fmt: skip
    return dispute


@transaction.atomic
def dispute_record_court_result(
    dispute: Dispute, *, by, result: str, decided_on: dt.date
) -> Dispute:
    """Record the court's ruling (确认有效 / 驳回申请) on a court confirmation applied for, once."""
    DISPUTE.guard(dispute, "court_result")
    _check_court_result(dispute, result, decided_on, dispute.court_applied_on)
    dispute.court_result = result
    dispute.court_decided_on = decided_on
    dispute.save()
    _event(
        dispute,
        action="司法确认结果",
        on=decided_on,
        by=by,
        note=dispute.get_court_result_display(),
    )
    return dispute


@transaction.atomic
def dispute_follow_up(dispute: Dispute, *, by, on: dt.date, note: str) -> Dispute:
    """Record a follow-up visit (回访) after mediation ended, once."""
    DISPUTE.guard(dispute, "follow_up")
    check_date("followed_up_on", on, not_before=dispute.concluded_on, what="调结日期")
    if not note.strip():
        raise ValidationError({"follow_up_note": "请填写回访情况。"})
    dispute.followed_up_on = on
    dispute.follow_up_note = note.strip()
    dispute.save()
    _event(dispute, action="回访", on=on, by=by, note=dispute.follow_up_note)
    return dispute


@transaction.atomic
def dispute_reply(dispute: Dispute, *, by, on: dt.date, form: str) -> Dispute:
    """Record the reply to the parties (答复) after mediation ended or was declined, once."""
    DISPUTE.guard(dispute, "reply")
    if not form.strip():
        raise ValidationError({"reply_form": "请填写答复方式。"})
    if dispute.concluded_on:
        base, base_what = dispute.concluded_on, "调结日期"
    else:
        base, base_what = dispute.decided_on, "不予受理日期"
    check_date(
        "replied_on", on, not_before=base, what=base_what, rule="答复告知的是调解结果或不予受理决定"
    )
    dispute.replied_on = on
    dispute.reply_form = form.strip()
    dispute.save()
    _event(dispute, action="答复", on=on, by=by, note=dispute.reply_form)
    return dispute


# --- Mediators and 回避 -----------------------------------------------------------------------

RECUSAL_BASIS = (
    "调解员与当事人有利害关系的应当回避（DOMAIN.md §3；当事人有权选择或者接受调解员，"
    "《人民调解法》第十九条、第二十三条，check）"
)
# Two-character surnames common enough to matter; any other name's surname is its first character.
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
)


def surname(name: str) -> str:
    """Return the surname (姓) of a Chinese name: 欧阳 of 欧阳明, 张 of 张三."""
    key = name_key(name)
    return next((s for s in _COMPOUND_SURNAMES if key.startswith(s)), key[:1])


def recusal_conflicts(dispute: Dispute) -> list[str]:
    """Return why each chosen mediator may have to step aside (回避), in Chinese; [] when none.

    A mediator is flagged when they are a party (same name, spaces ignored), or share a
    party's surname and village (the village as entered on this case, else the person's):
    in a village that is usually kin. The clerk confirms 无需回避 or changes the mediator
    (`dispute_confirm_no_recusal`, `dispute_assign_mediators`). Two queries.
    """
    mediators = list(dispute.mediator_people.select_related("village"))
    if not mediators:
        return []
    parties = list(dispute.party_links.select_related("person", "village", "person__village"))
    found = []
    for m in mediators:
        for link in parties:
            name = link.person.name
            village = link.village or link.person.village
            if name_key(m.name) == name_key(name):
                found.append(f"调解员{m.name}与当事人{name}同名，可能是本纠纷当事人")
            elif (
                m.village_id
                and village
                and m.village_id == village.pk
                and surname(m.name) == surname(name)
            ):
                found.append(f"调解员{m.name}与当事人{name}同姓同村（{village.name}）")
    return found


def recusal_pending(dispute: Dispute) -> str | None:
    """Return the refusal while a flagged mediator is neither confirmed nor changed, else None."""
    if dispute.recusal_confirmed_on:
        return None
    conflicts = recusal_conflicts(dispute)
    if not conflicts:
        return None
    return (
        "；".join(conflicts)
        + "。请先确认无需回避（写明理由）或更换调解员（"
        + RECUSAL_BASIS
        + "）。"
    )


@transaction.atomic
def dispute_assign_mediators(dispute: Dispute, *, by, mediators: list, on: dt.date) -> Dispute:
    """Choose the dispute's mediators (指定调解员) from the list on record, or change them.

    Their names are kept in `mediators` for print. A change clears an earlier 无需回避
    confirmation: the new mediators are checked afresh (`recusal_conflicts`). Raises
    ValidationError without a mediator or with one no longer in use.
    """
    DISPUTE.guard(dispute, "mediators")
    mediators = list(mediators)
    if not mediators:
        raise ValidationError({"mediator_people": "请至少选择一名调解员。"})
    retired = [m.name for m in mediators if not m.is_active]
    if retired:
        raise ValidationError({"mediator_people": f"{'、'.join(retired)}已不再担任调解员。"})
    check_date("on", on, not_before=dispute.received_on, what="登记日期")
    dispute.mediator_people.set(mediators)
    dispute.mediators = "、".join(m.name for m in mediators)[:100]
    dispute.recusal_confirmed_on = None
    dispute.recusal_confirmed_by = None
    dispute.recusal_note = ""
    dispute.save()
    conflicts = recusal_conflicts(dispute)
    note = dispute.mediators + (f"；需确认回避：{'；'.join(conflicts)}" if conflicts else "")
    _event(dispute, action="指定调解员", on=on, by=by, note=note)
    return dispute


@transaction.atomic
def dispute_confirm_no_recusal(dispute: Dispute, *, by, on: dt.date, note: str) -> Dispute:
    """Record that the flagged mediators need not step aside (确认无需回避), with the reason.

    E.g. "同姓不同宗，与当事人无亲属关系，双方当事人同意由其调解". Recorded once for the
    mediators chosen; changing them asks again. Raises ValidationError without a reason.
    """
    DISPUTE.guard(dispute, "recusal")
    if not note.strip():
        raise ValidationError(
            {"recusal_note": "请写明无需回避的理由（如：无亲属关系，当事人同意）。"}
        )
    check_date("recusal_confirmed_on", on, not_before=dispute.received_on, what="登记日期")
    conflicts = recusal_conflicts(dispute)
    dispute.recusal_confirmed_on = on
    dispute.recusal_confirmed_by = by
    dispute.recusal_note = note.strip()
    dispute.save()
    _event(
        dispute, action="确认无需回避", on=on, by=by,
        note=f"{'；'.join(conflicts)}。理由：{dispute.recusal_note}",
    )  # fmt: skip
    return dispute


# --- Voiding ---------------------------------------------------------------------------------


@transaction.atomic
def petition_void(petition: Petition, *, by, reason: str) -> Petition:
    """Void a petition registered in error (作废): it stays on file, tagged 已作废, and leaves
    the lists and figures. Raises ValidationError without a reason or when already voided,
    StaleRecord when someone saved it since it was loaded."""
    void_record(petition, by=by, reason=reason)
    _event(petition, action="作废", on=today(), by=by, note=f"理由：{petition.void_reason}")
    return petition


@transaction.atomic
def dispute_void(dispute: Dispute, *, by, reason: str) -> Dispute:
    """Void a dispute registered in error (作废); see `petition_void`."""
    void_record(dispute, by=by, reason=reason)
    _event(dispute, action="作废", on=today(), by=by, note=f"理由：{dispute.void_reason}")
    return dispute

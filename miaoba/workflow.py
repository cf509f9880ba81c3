"""One workflow core for every kind of case (办理环节): each step declared once, guarded once.

A case kind (信访件, 矛盾纠纷, 规范性文件, 重大行政决策, 整改任务 ...) declares its steps ONCE, in
its app's `flows.py`, as a `Workflow` of `Step`s. A step says:

- its name (`accept`), label (受理) and the rule it follows (`basis`: law and article);
- the states it may start from (`after`) and any extra precondition (`when(case)`, which returns
  the refusal in Chinese, or None when the step may be taken), with the refusal worded for a
  particular state where the clerk needs more than the general one (`refusals`, in which
  "{title}" stands for the case's number);
- the service that records it (a function name in `<app>.services`, called as
  `service(case, by=user, **kwargs)`), its form (a class name in `<app>.forms`), how the form's
  fields feed the service (`args`: service keyword → form field, `fixed`: constant keywords),
  and the permission it needs (the workflow's change permission unless it names another);
- the model fields it records (`fields`, its date first): an importer derives from them the
  steps a ledger row implies (`Workflow.implied_steps`) and finds a row that would write over a
  step already on file (`Workflow.overwrites`).

Everything else reads the declaration:
- services call `flow.guard(case, "accept")` first, which refuses a voided case, a state the
  step may not follow and a failed precondition (a step already on file included), with a
  `ValidationError` naming the rule;
- views list the steps a user may take with `flow.available(case, user)` (steps with a form
  of their own; a step recorded on the case page itself, such as a task's progress entry,
  declares no form) and run one with `miaoba.caseviews.step_view`;
- templates ask the model: a workflow gives its model a `can_<step>` property for each step
  (`petition.can_accept`);
- `flow.describe()` lists every step with the states it may follow
  (`manage.py workflow_steps` prints them all).

Shared by every app as well: `today`, `check_date`, `allocate_serial`, `raise_serial`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from miaoba.workcalendar import cn_date

# Records before this are typing errors (1900, 0202 ...), not history the township keeps.
EARLIEST_DATE = dt.date(2000, 1, 1)


def today() -> dt.date:
    """Return today's date in Asia/Shanghai."""
    return timezone.localdate()


def check_date(
    field: str,
    on: dt.date | None,
    *,
    not_before: dt.date | None = None,
    what: str = "",
    rule: str = "",
) -> None:
    """Refuse a step's date that is missing, in the future, before 2000 or before `not_before`.

    `field` keys the error (the form field), `what` names the earlier date (受理日期) and `rule`
    says why it must come first (e.g. "先受理后办结，《信访条例》第三十三条"). Raises
    ValidationError({field: message}).
    """
    if on is None:
        raise ValidationError({field: "请填写日期。"})
    if on > today():
        raise ValidationError({field: f"日期{cn_date(on)}晚于今天，不能预先登记。"})
    if on < EARLIEST_DATE:
        raise ValidationError({field: f"日期{cn_date(on)}早于{EARLIEST_DATE.year}年，请核对年份。"})
    if not_before and on < not_before:
        why = f"：{rule}" if rule else ""
        raise ValidationError({field: f"日期不能早于{what}（{cn_date(not_before)}）{why}。"})


# --- Numbering ---------------------------------------------------------------------------------


def allocate_serial(register: str, year: int) -> int:
    """Return the next serial of `register` for `year`: 1, 2, 3 ... with no gap and no repeat.

    Must run inside the transaction that saves the numbered record: the counter row stays
    locked (SELECT ... FOR UPDATE) until that transaction ends, so concurrent registrations
    queue, and a rolled-back registration gives its serial back.
    """
    return allocate_serials(register, year, 1)[0]


def allocate_serials(register: str, year: int, count: int) -> range:
    """Return the next `count` serials of `register` for `year` as a range, in one locked update.

    For a batch (an import numbering many new records): the same guarantees as
    `allocate_serial`, which is `allocate_serials(register, year, 1)[0]`.
    """
    from miaoba.models import NumberSequence

    if count < 1:
        return range(0)
    NumberSequence.objects.bulk_create(
        [NumberSequence(register=register, year=year, last=0)], ignore_conflicts=True
    )
    seq = NumberSequence.objects.select_for_update().get(register=register, year=year)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return range(first, seq.last + 1)


def raise_serial(register: str, year: int, at_least: int) -> None:
    """Make `register`'s counter for `year` at least `at_least` (an import wrote that serial).

    Numbering then goes on after the highest serial on file. Locks the counter row like
    `allocate_serial`; never lowers it.
    """
    from miaoba.models import NumberSequence

    NumberSequence.objects.bulk_create(
        [NumberSequence(register=register, year=year, last=0)], ignore_conflicts=True
    )
    seq = NumberSequence.objects.select_for_update().get(register=register, year=year)
    if seq.last < at_least:
        seq.last = at_least
        seq.save(update_fields=["last"])


def raise_serials(highest: dict[tuple[str, int], int]) -> None:
    """Raise several counters at once: {(register, year): at least} (an import wrote them).

    `raise_serial` for a whole file, in a fixed number of queries whatever the number of
    counters: the missing counters are made, all are locked and read in one query, the ones
    below their file's highest serial are updated together. Never lowers a counter.
    """
    from django.db.models import Q

    from miaoba.models import NumberSequence

    if not highest:
        return
    NumberSequence.objects.bulk_create(
        [NumberSequence(register=r, year=y, last=0) for r, y in highest], ignore_conflicts=True
    )
    match = Q()
    for register, year in highest:
        match |= Q(register=register, year=year)
    raised = []
    for seq in NumberSequence.objects.select_for_update().filter(match):
        wanted = highest.get((seq.register, seq.year), 0)
        if seq.last < wanted:
            seq.last = wanted
            raised.append(seq)
    NumberSequence.objects.bulk_update(raised, ["last"])


# --- Steps -------------------------------------------------------------------------------------

Refusal = Callable[[Any], "str | None"]
UserRefusal = Callable[[Any, Any], "str | None"]


@dataclass(frozen=True)
class Step:
    """One step of a case kind, declared once (see the module docstring for each part).

    `after` empty means the step creates the case (登记): it has no state to start from.
    `repeatable` says why a step is a record of its own each time it is taken (a task's
    progress entries, extensions and milestones); every other step is recorded once, and the
    test that walks every flow holds each to it (DOMAIN.md §2: "each step is recorded once").
    """

    name: str
    label: str
    after: frozenset[str]
    service: str
    form: str = ""
    args: Mapping[str, str] = field(default_factory=dict)
    fixed: Mapping[str, Any] = field(default_factory=dict)
    fields: tuple[str, ...] = ()
    basis: str = ""
    when: Refusal | None = None
    who: UserRefusal | None = None
    refusals: Mapping[str, str] = field(default_factory=dict)
    perm: str = ""
    primary: bool = True
    done: str = "已"
    multipart: bool = False
    implied: Callable[[Any], bool] | None = None
    note: Callable[[Any], str] | None = None
    action: Callable[[Any], str] | None = None
    repeatable: str = ""

    def action_of(self, case) -> str:
        """Return the timeline's name of this step on `case` (its label unless it varies)."""
        return self.action(case) if self.action else self.label

    @property
    def date_field(self) -> str:
        """Return the model field holding the step's date ("" when it records none)."""
        return self.fields[0] if self.fields else ""

    @property
    def creates(self) -> bool:
        return not self.after


class Workflow:
    """The declared steps of one case kind, in the order a case goes through them.

    `model` is the case model, whose `state_field` holds its state. The rest is derived from
    the model unless given: `kind` (its model name, "petition"), `noun` (its verbose name,
    信访件), `app` (its app, whose `services` and `forms` modules hold the steps' services and
    forms), `perm` (`<app>.change_<model>`, needed by every step that names no other),
    `step_url` and `detail_url` (`<app>:<model>_step` with args (pk, step) and
    `<app>:<model>_detail` with args (pk,)). `template` is the step page's template, `void` the
    name of the service that voids a case (作废) if it can be voided, and `title(case)` how
    messages name a case (`str(case)`, its number, by default).
    """

    def __init__(
        self,
        model,
        *,
        template: str,
        steps: Iterable[Step],
        void: str = "",
        title: Callable[[Any], str] = str,
        state_field: str = "status",
        kind: str = "",
        noun: str = "",
        perm: str = "",
    ):
        meta = model._meta
        self.model = model
        self.kind = kind or meta.model_name
        self.noun = noun or str(meta.verbose_name)
        self.app = meta.app_label
        self.perm = perm or f"{self.app}.change_{meta.model_name}"
        self.step_url = f"{self.app}:{meta.model_name}_step"
        self.detail_url = f"{self.app}:{meta.model_name}_detail"
        self.template = template
        self.void = void
        self.state_field = state_field
        self.title = title
        self.steps: Mapping[str, Step] = MappingProxyType({s.name: s for s in steps})
        self._states = dict(meta.get_field(state_field).flatchoices)
        for step in self.steps.values():
            unknown = set(step.after) - set(self._states)
            if unknown:
                raise ValueError(f"{self.kind}.{step.name}: unknown states {sorted(unknown)}")
            self._install_can(step)
        FLOWS[self.kind] = self

    def __repr__(self) -> str:
        return f"<Workflow {self.kind}: {', '.join(self.steps)}>"

    def _install_can(self, step: Step) -> None:
        attribute = f"can_{step.name}"
        if step.creates or attribute in self.model.__dict__:
            return
        flow, name = self, step.name
        prop = property(lambda case: flow.refusal(case, name) is None)
        prop.__doc__ = (
            f"Return True when “{step.label}” may be recorded now (see {flow.kind} flow)."
        )
        setattr(self.model, attribute, prop)

    def __getitem__(self, name: str) -> Step:
        try:
            return self.steps[name]
        except KeyError:
            raise LookupError(f"{self.kind} has no step {name!r}") from None

    # --- the guard -----------------------------------------------------------------------

    def state_label(self, state: str) -> str:
        """Return a state's Chinese name (办理中)."""
        return str(self._states.get(state, state))

    def refusal(self, case, name: str, user=None) -> str | None:
        """Return why step `name` may not be recorded on `case` now (None when it may).

        Checks, in order: a voided case, the state the case is in (`after`), the step's
        precondition (`when`) and, with `user`, the user check (`who`).
        """
        step = self[name]
        if step.creates:
            return f"该{self.noun}已登记。"
        if getattr(case, "is_voided", False):
            return f"{self.noun}{self.title(case)}已作废，不能再办理。"
        state = getattr(case, self.state_field)
        if state not in step.after:
            worded = step.refusals.get(state)
            if worded:
                return worded.replace("{title}", self.title(case))
            return self._state_refusal(case, step, state)
        if step.when is not None:
            reason = step.when(case)
            if reason:
                return reason
        if user is not None and step.who is not None:
            return step.who(case, user)
        return None

    def _state_refusal(self, case, step: Step, state: str) -> str:
        allowed = "、".join(f"“{self.state_label(s)}”" for s in sorted(step.after, key=self._order))
        basis = f"，{step.basis}" if step.basis else ""
        return (
            f"该{self.noun}当前为“{self.state_label(state)}”，不能办理“{step.label}”"
            f"（{step.label}只能在{allowed}时办理{basis}）。"
        )

    def _order(self, state: str) -> int:
        return list(self._states).index(state) if state in self._states else len(self._states)

    def guard(self, case, name: str, *, by=None) -> Step:
        """Refuse step `name` on `case` unless it may be recorded now; return the Step.

        Every service of a declared step calls this first. Raises ValidationError with the
        reason (the rule named) otherwise; LookupError for a step the kind does not have.
        """
        reason = self.refusal(case, name, by)
        if reason:
            raise ValidationError(reason, code="step_refused")
        return self[name]

    # --- pages ---------------------------------------------------------------------------

    def perm_of(self, step: Step) -> str:
        return step.perm or self.perm

    def available(self, case, user) -> list[dict]:
        """Return the steps `user` may record on `case` now, as dicts: name, label, primary, url.

        A voided case offers none.
        """
        if getattr(case, "is_voided", False):
            return []
        return [
            {
                "name": step.name,
                "label": step.label,
                "primary": step.primary,
                "url": reverse(self.step_url, args=[case.pk, step.name]),
            }
            for step in self.steps.values()
            if step.form
            and user.has_perm(self.perm_of(step))
            and self.refusal(case, step.name, user) is None
        ]

    def service_of(self, step: Step | str) -> Callable:
        """Return the service function that records `step` (or the service named so)."""
        name = step if isinstance(step, str) else step.service
        return getattr(import_module(f"{self.app}.services"), name)

    def form_of(self, step: Step) -> type:
        """Return the form class of `step`."""
        return getattr(import_module(f"{self.app}.forms"), step.form)

    def run(self, step: Step, case, *, by, data: Mapping[str, Any]):
        """Record `step` on `case` from a form's cleaned data (or a row's values) via its service.

        The service's keywords are `step.args` (keyword → field of `data`) and `step.fixed`.
        """
        kwargs = {kw: data[name] for kw, name in step.args.items()}
        return self.service_of(step)(case, by=by, **step.fixed, **kwargs)

    # --- ledgers -------------------------------------------------------------------------

    def implied_steps(self, case) -> list[tuple[Step, dt.date | None, str]]:
        """Return the steps a record's values imply, in declared order: (step, date, note).

        A step is implied when its `implied(case)` says so, else when its date field is filled.
        `case` may be a saved record or an unsaved one built from a ledger row. A step without
        a date of its own on file (a ledger's 延长天数 has no approval date) takes the date of the
        implied step before it. The note is the step's `note(case)` ("" without one).
        """
        out = []
        last_on = None
        for step in self.steps.values():
            if step.implied is not None:
                done = step.implied(case)
            else:
                done = bool(step.date_field and getattr(case, step.date_field, None))
            if done:
                on = (getattr(case, step.date_field, None) if step.date_field else None) or last_on
                out.append((step, on, step.note(case) if step.note else ""))
                last_on = on
        return out

    def implied_events(self, case) -> list[tuple[str, dt.date | None, str]]:
        """Return the timeline entries a record's values imply: (action, date, note)."""
        return [(s.action_of(case), on, note) for s, on, note in self.implied_steps(case)]

    def overwrites(self, existing, values: Mapping[str, Any]) -> list[tuple[Step, str, Any, Any]]:
        """Return what `values` would write over steps recorded on `existing`.

        Each item is (step, field, value on file, new value) for a field a step records, that
        is filled on file and differs in `values`. A recorded step is corrected through 更正
        with a reason, never overwritten by an import (DOMAIN.md §2).
        """
        out = []
        seen: set[str] = set()
        for step in self.steps.values():
            if step.creates:
                continue
            for name in step.fields:
                if name in seen or name not in values:
                    continue
                seen.add(name)
                old, new = getattr(existing, name), values[name]
                if old not in (None, "") and old != new:
                    out.append((step, name, old, new))
        return out

    # --- description ---------------------------------------------------------------------

    def describe(self) -> list[tuple[str, str, str]]:
        """Return each step as (label, the states it may follow, its precondition and rule)."""
        rows = []
        for step in self.steps.values():
            if step.creates:
                after = "（登记时新建）"
            else:
                after = "、".join(self.state_label(s) for s in sorted(step.after, key=self._order))
            extra = [
                check.__doc__.strip()
                for check in (step.when, step.who)
                if check is not None and check.__doc__
            ]
            if step.repeatable:
                extra.append(f"可多次登记：{step.repeatable}")
            rows.append(
                (step.label, after, "；".join([*extra, step.basis] if step.basis else extra))
            )
        return rows


FLOWS: dict[str, Workflow] = {}


def flow_for(case) -> Workflow:
    """Return the workflow of `case`'s model; raise LookupError for a model without one."""
    for flow in FLOWS.values():
        if isinstance(case, flow.model):
            return flow
    raise LookupError(f"no workflow declared for {type(case).__name__}")


def once(field_name: str, message: str) -> Refusal:
    """Return a precondition that refuses the step once `field_name` is filled on the case.

    `message` may use {value} (the date or text on file) and {cn} (a date as 2021年10月8日).
    """

    def check(case) -> str | None:
        value = getattr(case, field_name)
        if value in (None, ""):
            return None
        cn = cn_date(value) if isinstance(value, dt.date) else str(value)
        return message.format(value=value, cn=cn)

    check.__doc__ = "只登记一次"
    return check


def requires(field_name: str, message: str) -> Refusal:
    """Return a precondition that refuses the step while `field_name` is empty on the case."""

    def check(case) -> str | None:
        return message if getattr(case, field_name) in (None, "") else None

    check.__doc__ = message.rstrip("。")
    return check


def all_of(*checks: Refusal) -> Refusal:
    """Return a precondition that gives the first refusal of `checks` (None when all pass)."""

    def check(case) -> str | None:
        for one in checks:
            reason = one(case)
            if reason:
                return reason
        return None

    check.__doc__ = "；".join(c.__doc__ for c in checks if c.__doc__)
    return check

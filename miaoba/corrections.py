"""更正: correcting a registered record's basic facts, the same way for every kind of record.

A typo in a summary, a wrong village, a date keyed a day off: after registration the record's
basic facts are corrected (更正), never edited silently. Every correction:

- names its reason (更正理由), which is kept in the 修改记录 and on the timeline (办理过程);
- is version-checked: based on the copy the clerk loaded, or refused with what changed since
  (`miaoba.records.StaleRecord`), the typed input kept;
- is made by the unit that owns the record (a clerk of its unit with the kind's change
  permission); another unit's record is not found (404), as everywhere;
- never changes a registered number (编号, 发文字号, 登记号): numbers are not correctable facts;
- refuses a fact that a later step has fixed, saying why (e.g. the received date once 受理 is
  done: the acceptance deadline ran from it).

Each area declares what may be corrected in its own `<app>/corrections.py`, as a dict
`CORRECTIONS = {kind: Correctable(...)}`; `registry()` gathers them (like ledgers and
selectors). The page is one view for all (`miaoba.views_corrections`), the write one service
here, `correct(...)`, which each area's services may wrap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction

from miaoba.records import FieldChange, Versioned, expect_version


@dataclass(frozen=True)
class Fact:
    """A correctable field; `locked(record)` returns why it may no longer change, or "".

    `locked` is usually `after(date_field, why)`: fixed once that step's date is on file.
    """

    name: str
    locked: Callable[[models.Model], str] = field(default=lambda record: "")


def after(date_field: str, why: str) -> Callable[[models.Model], str]:
    """Return a lock: the fact is fixed once `date_field` holds a date, because `why`."""

    def locked(record) -> str:
        return why if getattr(record, date_field, None) else ""

    return locked


@dataclass(frozen=True)
class Correctable:
    """What of a kind of record may be corrected, and how it is found and shown.

    - `model`, `facts` (in the form's order), `perm` (e.g. "disputes.change_petition");
    - `owner`: the field naming the owning unit (`unit`, `drafting_unit`, `lead_unit`);
    - `visible`: (user) -> queryset of the records the user may see (others are 404);
    - `number`: the registered number's field, shown and never changed ("" when none);
    - `detail_url`: URL name of the record's page; `noun`: 信访件, 矛盾纠纷 ...;
    - `event`: (record, by, on, note) -> None, writing the timeline entry (办理过程), or None
      for a kind without a timeline;
    - `clean`: (record) -> None, the kind's own checks after the values are set (raises
      ValidationError), e.g. dates in order.
    """

    model: type[models.Model]
    facts: tuple[Fact, ...]
    perm: str
    owner: str
    visible: Callable
    detail_url: str
    noun: str
    number: str = "number"
    event: Callable | None = None
    clean: Callable | None = None
    # the people of a case (信访人, 当事人): (record) -> [(role word, link)], whose gender,
    # address and village as entered on this case may be corrected too (not the name, which is
    # the person's across units, nor ID numbers and phones: personal data shown masked, and a
    # wrong one is another person, not a typo)
    people: Callable | None = None

    @property
    def field_names(self) -> list[str]:
        return [fact.name for fact in self.facts]

    def locks(self, record) -> dict[str, str]:
        """Return {field: why it may no longer change} for the facts fixed on `record`."""
        return {f.name: why for f in self.facts if (why := f.locked(record))}

    def refusal(self, record, user) -> str:
        """Return why `user` may not correct `record` ("" when they may)."""
        if getattr(record, "is_voided", False):
            return "该记录已作废，不能更正。"
        if not user.has_perm(self.perm):
            return "无权更正。"
        owner_id = getattr(record, f"{self.owner}_id")
        if not user.units.filter(pk=owner_id).exists():
            return f"只有{getattr(record, self.owner)}的工作人员可以更正。"
        return ""


def registry() -> dict[str, Correctable]:
    """Return every area's correctable kinds: {kind: Correctable} from `<app>/corrections.py`."""
    from miaoba.roles import area_modules

    found: dict[str, Correctable] = {}
    for module in area_modules("corrections"):
        found.update(module.CORRECTIONS)
    return found


def _display(record, name: str, value) -> str:
    model_field = record._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return f"{value:%Y-%m-%d}"
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


# What a case holds of each of its people as its unit entered them (the petitioner or party
# link, `disputes.models.AsEntered`): corrected on the case, never on another unit's records.
PERSON_FACTS = ("gender", "address", "village")


def _correct_people(spec: Correctable, record, people: dict) -> list[FieldChange]:
    """Apply {link id: {field: value}} to the record's people as entered; return the changes."""
    changes: list[FieldChange] = []
    for role, link in spec.people(record):
        wanted = people.get(link.pk) or {}
        changed = []
        for name in PERSON_FACTS:
            if name not in wanted:
                continue
            old, new = getattr(link, name), wanted[name]
            if isinstance(new, str):
                new = new.strip()
            if old == new or (old in (None, "") and new in (None, "")):
                continue
            label = f"{role}{link.name}的{link._meta.get_field(name).verbose_name}"
            changes.append(FieldChange(label, _display(link, name, old), _display(link, name, new)))
            setattr(link, name, new)
            changed.append(name)
        if changed:
            link.save(update_fields=changed)
    return changes


@transaction.atomic
def correct(
    spec: Correctable,
    record,
    *,
    by,
    reason: str,
    version: int | None,
    values: dict,
    people: dict | None = None,
) -> list[FieldChange]:
    """Correct `record`'s basic facts to `values` ({field: new value}) and, for a case with
    people, their gender, address and village as entered (`people`: {link id: {field: value}});
    return what changed.

    Raises ValidationError: the user may not correct it (not the owning unit, voided); no
    reason; nothing changed; a fact fixed by a later step ({field: why}); the kind's own rules;
    `StaleRecord` when the record moved on since `version` was loaded. Writes the change, the
    reason into the history row (修改记录) and, where the kind has one, a 更正 entry on the
    timeline. Numbers (编号, 发文字号, 登记号) are never among the facts, so never change.
    """
    refusal = spec.refusal(record, by)
    if refusal:
        raise ValidationError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写更正理由。"})
    if isinstance(record, Versioned):
        expect_version(record, version)
    locks = spec.locks(record)
    changes: list[FieldChange] = []
    errors: dict[str, str] = {}
    for name in spec.field_names:
        if name not in values:
            continue
        old, new = getattr(record, name), values[name]
        if isinstance(new, str):
            new = new.strip()
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        if name in locks:
            errors[name] = locks[name]
            continue
        label = str(record._meta.get_field(name).verbose_name)
        changes.append(FieldChange(label, _display(record, name, old), _display(record, name, new)))
        setattr(record, name, new)
    if errors:
        raise ValidationError(errors)
    person_changes = _correct_people(spec, record, people) if spec.people and people else []
    if not changes and not person_changes:
        raise ValidationError("没有需要更正的内容：各项与原登记相同。")
    exclude = [f.name for f in record._meta.fields if f.name not in spec.field_names]
    record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    if spec.clean:
        spec.clean(record)
    record._change_reason = f"更正：{reason}"[:100]  # the history column holds 100
    # saved even when only its people changed: the version moves, the history says why
    record.save()
    changes += person_changes
    if spec.event:
        from miaoba.workflow import today

        note = "；".join(f"{c.label}：{c.old} → {c.new}" for c in changes) + f"。理由：{reason}"
        spec.event(record, by=by, on=today(), note=note)
    return changes

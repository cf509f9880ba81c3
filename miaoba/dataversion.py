"""The data version (数据版本): figures cached until the next write of any record.

The dashboard and the annual report compute their figures from the records; computing them is
the costly part of those pages, and a past year's figures do not change unless someone writes.
So every write of recorded data moves one counter on (`bump`), and figures are cached under the
counter's value (`current`): a write makes every cached figure unreachable at once.

Who bumps:
- every `save()` and `delete()` of a model of the recording apps (信访/纠纷, 规范性文件, 整改任务,
  工作记录与年度指标, and the township's units, villages and working calendar), through the
  `post_save`/`post_delete`/`m2m_changed` receivers connected in `miaoba.apps` (`connect`): the
  services' write paths, the admin, the demo loader;
- the bulk paths, which send no signals (`bulk_create`, `bulk_update`, `QuerySet.update`), call
  `bump()` themselves: the ledger imports (`disputes.services`, tasks and documents imports),
  the calendar seed, `clean_stored_text`.

The counter is one database row (`miaoba.models.DataVersion`), so every process of the site sees
the same version; `bump` updates it inside the writer's transaction (a rolled-back write leaves
it where it was, and a reader never sees the new version before the data it stands for).
Writers' transactions queue on that row from their bump to their commit.

Cost: `current()` is one query; a page reads it once (`reports.areas.FigureBook`). `bump()` is
one UPDATE.
"""

from __future__ import annotations

from django.db.models import F

# Apps whose records the figures count; a model of theirs saved or deleted bumps the version.
RECORDING_APPS = frozenset(
    {"disputes", "normative_docs", "tasks", "reports", "miaoba", "reconsideration"}
)
# Models of those apps that no figure reads (logs, counters, one-time form tokens).
NOT_COUNTED = frozenset(
    {
        "miaoba.dataversion",
        "miaoba.securityevent",
        "miaoba.numbersequence",
        "miaoba.issuednotice",
        "miaoba.formsubmission",
        "reports.annualreport",
        "reports.reportsection",
        "reports.reportevent",
    }
)


def bump() -> None:
    """Move the data version on: figures cached before this write are not served again.

    Call after a write that sends no model signal (bulk_create, bulk_update, QuerySet.update,
    raw SQL). One query (two the first time, when the row is missing after a flush).
    """
    from miaoba.models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def current() -> int:
    """Return the data version now: an int that changes with every write (one query)."""
    from miaoba.models import DataVersion

    return DataVersion.objects.filter(pk=1).values_list("counter", flat=True).first() or 0


def counts(model) -> bool:
    """Return True when a write of `model` can change a figure (a recording app's model that is
    not a log, a counter or a history row)."""
    meta = model._meta
    return (
        meta.app_label in RECORDING_APPS
        and meta.label_lower not in NOT_COUNTED
        and not meta.model_name.startswith("historical")
        and not meta.model_name.endswith("event")
    )


def _written(sender, **kwargs) -> None:
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) <= {"last_login", "name_pinyin", "password"}:
        return  # a login or a password change: no figure shows them
    bump()


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and counts(type(instance)):
        bump()


def connect() -> None:
    """Connect the receivers that bump the version on every save and delete (from
    `miaoba.apps.MiaobaConfig.ready`)."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    # One receiver per counted model (not one for every sender), so the deletes of other
    # models keep Django's fast path.
    for model in apps.get_models():
        if counts(model):
            uid = f"miaoba.dataversion.{model._meta.label_lower}"
            post_save.connect(_written, sender=model, dispatch_uid=uid + ".saved")
            post_delete.connect(_written, sender=model, dispatch_uid=uid + ".deleted")
    m2m_changed.connect(_m2m_changed, dispatch_uid="miaoba.dataversion.m2m")

"""The register and review ledgers as `miaoba.ledger` sees them (pages and commands)."""

from __future__ import annotations

from functools import partial

from miaoba.ledger import Ledger, register_ledger
from normative_docs.filters import DocumentFilter, ReviewFilter
from normative_docs.models import Document, LegalReview
from normative_docs.resources import RESOURCES, TITLES, export_dataset, import_ledger, plan_import


def _export(kind: str, model, *, year: int | None = None):
    queryset = model.objects.all()
    if year:
        field = "year" if model is Document else "submitted_on__year"
        queryset = queryset.filter(**{field: year})
    return export_dataset(kind, queryset)


def _export_for(kind: str, model, filter_class, request):
    queryset = filter_class(request.GET, queryset=model.objects.visible_to(request.user)).qs
    return export_dataset(kind, queryset)


def _value(name: str):
    def get(row):
        value = row.values.get(name)
        return getattr(value, "name", value) if value is not None else ""

    return get


_PREVIEWS = {
    "documents": (
        ("发文字号", _value("number")),
        ("登记号", _value("register_number")),
        ("文件名称", _value("title")),
        ("印发日期", _value("published_on")),
        ("起草单位", _value("drafting_unit")),
    ),
    "reviews": (
        ("审查类别", _value("kind")),
        ("审查事项", _value("title")),
        ("送审日期", _value("submitted_on")),
        ("审查结论", _value("conclusion")),
        ("建议意见条数", lambda row: len(row.extra["opinions"])),
    ),
}


def register() -> None:
    """Register the document register and review ledger; called from the AppConfig.ready()."""
    for kind, model, filter_class, area, list_url, noun in (
        ("documents", Document, DocumentFilter, "规范性文件", "normative_docs:document_list", "document"),
        ("reviews", LegalReview, ReviewFilter, "法律审查", "normative_docs:review_list", "legalreview"),
    ):  # fmt: skip
        register_ledger(
            Ledger(
                kind=kind,
                title=TITLES[kind],
                area=area,
                list_url_name=list_url,
                view_perm=f"normative_docs.view_{noun}",
                importer_perm=f"normative_docs.add_{noun}",
                export=partial(_export, kind, model),
                export_for=partial(_export_for, kind, model, filter_class),
                template=partial(export_dataset, kind, None),
                headers=RESOURCES[kind].headers,
                check_file=partial(plan_import, kind),
                import_file=partial(import_ledger, kind),
                preview_columns=_PREVIEWS[kind],
            )
        )

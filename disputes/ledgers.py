"""The petition and dispute ledgers as `miaoba.ledger` sees them (pages and commands)."""

from __future__ import annotations

from functools import partial

from disputes.filters import DisputeFilter, PetitionFilter
from disputes.models import Dispute, Petition
from disputes.resources import RESOURCES, TITLES, export_dataset, import_ledger, plan_import
from miaoba.ledger import Ledger, register_ledger

_PREVIEW = (
    ("编号", lambda row: row.display_number),
    ("登记日期", lambda row: row.values["received_on"]),
    ("当事人", lambda row: row.people_text),
    ("主要内容", lambda row: row.values["summary"][:40]),
    ("承办单位", lambda row: row.values["unit"].name),
)


PERSONAL_PERM = "disputes.view_personal_data"
PERSONAL_DATA = {
    "petitions": "信访人姓名、性别、身份证号、联系电话、住址",
    "disputes": "当事人姓名、身份证号、联系电话",
}


def _export(kind: str, model, *, year: int | None = None):
    queryset = model.objects.all()
    if year:
        queryset = queryset.received_in(year)
    return export_dataset(kind, queryset)


def _export_for(kind: str, model, filter_class, request):
    """Export what the filters show; full ID numbers and phones only to users who may see
    them (the export page records it as 导出个人信息, saying which)."""
    queryset = filter_class(request.GET, queryset=model.objects.visible_to(request.user)).qs
    show_full = request.user.has_perm(PERSONAL_PERM)
    return export_dataset(kind, queryset, show_personal_data=show_full)


def register() -> None:
    """Register the petition and dispute ledgers; called from `DisputesConfig.ready`."""
    for kind, model, filter_class, area, list_url, noun in (
        ("petitions", Petition, PetitionFilter, "信访", "disputes:petition_list", "petition"),
        ("disputes", Dispute, DisputeFilter, "矛盾纠纷", "disputes:dispute_list", "dispute"),
    ):
        register_ledger(
            Ledger(
                kind=kind,
                title=TITLES[kind],
                area=area,
                list_url_name=list_url,
                view_perm=f"disputes.view_{noun}",
                importer_perm=f"disputes.add_{noun}",
                export=partial(_export, kind, model),
                export_for=partial(_export_for, kind, model, filter_class),
                template=partial(export_dataset, kind, None),
                headers=RESOURCES[kind].headers,
                check_file=partial(plan_import, kind),
                import_file=partial(import_ledger, kind),
                preview_columns=_PREVIEW,
                personal_data=PERSONAL_DATA[kind],
                personal_perm=PERSONAL_PERM,
            )
        )

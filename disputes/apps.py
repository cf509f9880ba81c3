"""Petitions (信访件) and disputes (矛盾纠纷, 人民调解)."""

from django.apps import AppConfig


class DisputesConfig(AppConfig):
    """Register the petition and dispute registers."""

    name = "disputes"
    verbose_name = "信访与矛盾纠纷"

    def ready(self) -> None:
        from functools import partial

        from disputes.resources import TITLES, export_dataset, import_ledger
        from miaoba.ledger import Ledger, register_ledger

        for kind, model_name, perm in (
            ("petitions", "Petition", "disputes.add_petition"),
            ("disputes", "Dispute", "disputes.add_dispute"),
        ):
            register_ledger(
                Ledger(
                    kind=kind,
                    title=TITLES[kind],
                    export=partial(_export, kind, model_name, export_dataset),
                    import_file=partial(import_ledger, kind),
                    importer_perm=perm,
                )
            )


def _export(kind: str, model_name: str, export_dataset, *, year: int | None = None):
    """Export a whole register, or the cases received in `year`."""
    from django.apps import apps

    queryset = apps.get_model("disputes", model_name).objects.all()
    if year:
        queryset = queryset.received_in(year)
    return export_dataset(kind, queryset)

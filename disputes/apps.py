"""Petitions (信访件) and disputes (矛盾纠纷, 人民调解)."""

from django.apps import AppConfig


class DisputesConfig(AppConfig):
    """Register the petition and dispute registers."""

    name = "disputes"
    verbose_name = "信访与矛盾纠纷"

    def ready(self) -> None:
        # The workflows give Petition and Dispute their can_<step> properties.
        from disputes import flows, ledgers  # noqa: F401

        ledgers.register()

"""行政复议、行政应诉 cases where the township is the respondent (see the package docstring)."""

from django.apps import AppConfig


class ReconsiderationConfig(AppConfig):
    """Register the 行政复议/行政应诉 register."""

    name = "reconsideration"
    verbose_name = "行政复议与行政应诉"

    def ready(self) -> None:
        # The workflow gives Case its can_<step> properties.
        from reconsideration import flows, ledgers  # noqa: F401

        ledgers.register()

"""Normative documents (规范性文件), legal-advisor reviews (法律顾问审查) and major decisions."""

from django.apps import AppConfig


class NormativeDocsConfig(AppConfig):
    """Register the normative-document register and legal reviews."""

    name = "normative_docs"
    verbose_name = "规范性文件与法律审查"

    def ready(self) -> None:
        # The workflows give Document and Decision their can_<step> properties.
        from normative_docs import flows, ledgers  # noqa: F401

        ledgers.register()

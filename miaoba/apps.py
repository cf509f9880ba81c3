"""The township itself (庙坝镇) as a Django app: its units, villages, users and working calendar.

The project package doubles as an app because this reference data belongs to no single area
(信访, 规范性文件, 整改任务 all use it).
"""

from django.apps import AppConfig


class MiaobaConfig(AppConfig):
    """Register the township's reference data (单位、村社区、工作日历) and roles."""

    name = "miaoba"
    verbose_name = "乡镇基础信息"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Start-up checks and the security log's signal receivers.
        from miaoba import checks, security  # noqa: F401

        security.connect_axes_signals()

        # Required-field messages name the field (请填写信访人姓名), in every form.
        from miaoba.forms import install_required_messages

        install_required_messages()

        # No text field of ours stores a control character, whoever saves it (issue 12 §2).
        from django.db.models.signals import pre_save

        from miaoba.cleaning import remove_control_characters

        pre_save.connect(remove_control_characters, dispatch_uid="miaoba.remove_control_characters")

        # Reference lists cached per process are dropped when an administrator edits them.
        from miaoba import refcache

        refcache.connect()

        # Every write of a record moves the data version on, so cached figures are not served
        # after it (issue 13; the bulk paths call miaoba.dataversion.bump themselves).
        from miaoba import dataversion

        dataversion.connect()

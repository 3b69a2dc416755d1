from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("试点与证书目录")

    def ready(self) -> None:
        from . import history  # noqa: F401 - registers the audit actions

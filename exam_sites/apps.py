from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamSitesConfig(AppConfig):
    name = "exam_sites"
    verbose_name = _("考点与考核安排")

    def ready(self) -> None:
        from . import history  # noqa: F401  (registers the audit actions)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("专项资金")

    def ready(self) -> None:
        from . import history  # noqa: F401 - registers funding's audit actions

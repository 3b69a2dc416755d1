from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("成绩与证书")

    def ready(self) -> None:
        from . import history  # noqa: F401 - registers the audit actions

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportJobsConfig(AppConfig):
    name = "certportal.exportjobs"
    label = "exportjobs"
    verbose_name = _("Background exports")

    def ready(self) -> None:
        from certportal import workflow

        from .workflow import MACHINE

        workflow.register(MACHINE)

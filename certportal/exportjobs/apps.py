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

        from certportal.jobs.registry import register_kind

        from .models import ExportJob
        from .services import export_fail

        register_kind(ExportJob, queued_minutes="EXPORT_JOB_QUEUED_MINUTES", running_minutes="EXPORT_JOB_RUNNING_MINUTES",
                      queued_reason=_("No worker started this export within %(minutes)s minutes."),
                      running_reason=_("The export made no progress for %(minutes)s minutes (the worker may have "
                                       "stopped)."),
                      fail=export_fail, task="certportal.exportjobs.tasks.run_export")

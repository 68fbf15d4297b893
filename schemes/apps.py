from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = _("Schemes")

    def ready(self):
        from certportal import menus
        from certportal.accounts.models import Role

        menus.register_public(_("Scheme catalogue"), "schemes:catalogue", icon="journal-bookmark", order=10)
        menus.register_public(_("Packaging checker"), "schemes:packaging-checker", icon="ui-checks", order=12)
        menus.register_public(_("Service standard"), "schemes:service-standard", icon="award", order=14)
        admin = Role.LSP_ADMIN
        menus.register(admin, _("Schemes"), "schemes:manage-schemes", icon="journal-bookmark", order=70,
                       group=menus.SCHEMES)
        menus.register(admin, _("Competency units"), "schemes:manage-units", icon="list-check", order=71,
                       group=menus.SCHEMES)
        menus.register(admin, _("KKNI qualifications"), "schemes:manage-qualifications", icon="diagram-3", order=72,
                       group=menus.SCHEMES)
        menus.register(admin, _("Test sites (TUK)"), "schemes:manage-test-sites", icon="building", order=73,
                       group=menus.SCHEMES)
        menus.register(admin, _("Service standard"), "schemes:manage-service-standard", icon="award", order=74,
                       group=menus.SCHEMES)

        from certportal import workflow
        from certportal.jobs.registry import register_kind
        from certportal.workqueue import register_work

        from . import workqueue
        from .importers.jobs import MACHINE
        from .models import ImportJob

        workflow.register(MACHINE)  # decree imports (issue 15 point 4): a job of the core's job base
        register_kind(ImportJob, queued_minutes="SCHEMES_IMPORT_QUEUED_MINUTES",
                      running_minutes="SCHEMES_IMPORT_RUNNING_MINUTES",
                      queued_reason=_("No worker started reading this decree within %(minutes)s minutes."),
                      running_reason=_("Reading the decree made no progress for %(minutes)s minutes (the worker may "
                                       "have stopped)."),
                      task="schemes.tasks.parse_decree")
        register_work(admin, workqueue.lsp_admin)
        _register_elsewhere()


def _register_elsewhere() -> None:
    """The licence scope's choices, the import task's label and what a person's data download lists."""
    from certportal.lsp.licence import register_scope_choices

    from .selectors import licence_scope_choices

    register_scope_choices(licence_scope_choices)
    from certportal.outbox.registry import register_task_label

    from .importers.jobs import PARSE_TASK

    register_task_label(PARSE_TASK, _("Reading an imported decree"))

    from certportal import personal_data

    # A test site names its head (Kepala TUK); the row is about the site, so the head's download lists it by
    # number among the records that name them.
    personal_data.register("schemes", collect=lambda user: [], names=["schemes.TestSite.head",
                                                                             "schemes.ServiceEvaluation.recorded_by",
                                                                             "schemes.EvaluationReading.user",
                                                                             "schemes.ImportJob.created_by"])

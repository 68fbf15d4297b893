from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("LSP management system")

    def ready(self) -> None:
        """Each area registers its menus, machines, work and hooks here (one ``_register_*`` per area)."""
        self._register_impartiality()
        self._register_reports()
        self._register_retention()
        self._register_system()
        self._register_competence()
        self._register_kept_pages()

    def _register_kept_pages(self) -> None:
        from .kept_pages import register_pages

        register_pages()

    def _register_reports(self) -> None:
        from certportal import menus, personal_data, workflow
        from certportal.accounts.models import Role

        from .reports import paperwork
        from .reports import personal_data as report_data
        from .reports.workflow import REPORT_MACHINE

        workflow.register(REPORT_MACHINE)
        paperwork.register()
        personal_data.register("quality.reports", collect=report_data.collect, names=report_data.NAMES)
        menus.register(Role.LSP_ADMIN, _("Reports to BNSP"), "quality:report-list", icon="file-earmark-bar-graph",
                       order=870, group=menus.ADMINISTRATION)
        menus.register(Role.SUPERVISOR, _("Reports to BNSP"), "quality:report-list", icon="file-earmark-bar-graph",
                       order=70)

    def _register_retention(self) -> None:
        from certportal import menus, personal_data, workflow
        from certportal.accounts.models import Role

        from .retention import personal_data as retention_data
        from .retention import tasks  # noqa: F401 - registers the anonymisation task with Celery
        from .retention.workflow import DISPOSAL_MACHINE

        workflow.register(DISPOSAL_MACHINE)
        from .retention.anonymise import FILE_DISPOSED

        workflow.register_labels({FILE_DISPOSED: _("uploaded file deleted at the end of its retention period")})
        personal_data.register("quality.retention", collect=retention_data.collect, names=retention_data.NAMES)
        menus.register(Role.LSP_ADMIN, _("Records retention"), "quality:disposal-list", icon="archive", order=875,
                       group=menus.ADMINISTRATION)
        menus.register(Role.SUPERVISOR, _("Records retention"), "quality:disposal-list", icon="archive", order=75)

    def _register_system(self) -> None:
        from .system import wiring

        wiring.connect()

    def _register_competence(self) -> None:
        from .competence import wiring

        wiring.connect()

    def _register_impartiality(self) -> None:
        from .impartiality import wiring

        wiring.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Applicants")

    def ready(self) -> None:
        from certportal import menus
        from certportal.accounts.models import Role
        from certportal.sla.registry import register_tracked

        from .models import Application

        menus.register(Role.APPLICANT, _("My applications"), "applicants:mine", icon="folder2-open", order=10)
        menus.register(Role.APPLICANT, _("New application"), "applicants:start", icon="plus-circle", order=20)
        menus.register(Role.APPLICANT, _("My profile"), "applicants:profile", icon="person", order=30)
        menus.register_home(Role.APPLICANT, "applicants:mine")
        menus.register(Role.VERIFIER, _("Verification queue"), "applicants:queue", icon="inboxes", order=10)
        menus.register(Role.VERIFIER, _("Name participants"), "applicants:naming", icon="person-check", order=20)
        menus.register(Role.VERIFIER, _("Recap per unit"), "applicants:unit-recap", icon="table", order=30)
        menus.register_home(Role.VERIFIER, "applicants:queue")
        for role in (Role.LSP_ADMIN, Role.SUPERVISOR, Role.QUALITY):
            group = menus.APPLICATIONS if role == Role.LSP_ADMIN else None
            menus.register(role, _("Applications"), "applicants:queue", icon="inboxes", order=40, group=group)
            menus.register(role, _("Recap per unit"), "applicants:unit-recap", icon="table", order=41, group=group)
        menus.register(Role.LSP_ADMIN, _("Name participants"), "applicants:naming", icon="person-check", order=42,
                       group=menus.APPLICATIONS)
        menus.register(Role.LSP_ADMIN, pgettext_lazy("regional government agencies", "Agencies"), "applicants:agencies", icon="building",
                       order=43, group=menus.APPLICATIONS)

        register_tracked(
            Application,
            role=Role.VERIFIER, related=("scheme",),
            label=lambda app: f"#{app.pk} {app.applicant_name} — {app.scheme.code}",
            url=lambda app: f"/permohonan/verifikasi/{app.pk}/",
        )

        from certportal import exportjobs

        from .views.verifier import QUEUE_EXPORT, RECAP_EXPORT, queue_export_table, unit_recap_table

        exportjobs.register_source(QUEUE_EXPORT, queue_export_table)
        exportjobs.register_source(RECAP_EXPORT, unit_recap_table)

        from certportal import personal_data

        from . import personal_data as mine

        personal_data.register("applicants", collect=mine.collect, exports=mine.EXPORTS, names=mine.NAMES)
        from certportal.lsp.services import register_nip_check

        from .nip import nip_problems

        register_nip_check(nip_problems)  # the LSP profile's signatory NIP is checked like an applicant's
        self._register_workflow()
        self._register_pages()

    def _register_pages(self) -> None:
        from .kept_pages import register_pages

        register_pages()  # the verification screen kept per application (certportal.kept_pages)

    def _register_workflow(self) -> None:
        from django.db.backends.signals import connection_created

        from certportal import workflow

        from .search import register_sqlite_function

        # the queue's search function on SQLite (PostgreSQL's comes with migration 0014)
        connection_created.connect(register_sqlite_function, dispatch_uid="applicants.name_from_word")

        from .workflow import MACHINE  # its arrows declare their effects (stamps, clock, notices)

        workflow.register(MACHINE)

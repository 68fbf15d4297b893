from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "certportal.outbox"
    label = "outbox"
    verbose_name = _("Outbox")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certportal import menus, workflow
        from certportal.roles import Role
        from certportal.workqueue import register_work

        from .registry import register_task_label
        from .workflow import MACHINE
        from .workqueue import lsp_admin

        workflow.register(MACHINE)
        menus.register(Role.LSP_ADMIN, _("Failed e-mails"), "outbox:failed", icon="envelope-exclamation", order=930,
                       group=menus.ADMINISTRATION)
        register_work(Role.LSP_ADMIN, lsp_admin)
        register_task_label("certportal.notifications.tasks.send_email", _("E-mail"))
        register_task_label("certportal.exportjobs.tasks.run_export", _("Background export"))

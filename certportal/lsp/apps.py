from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LspConfig(AppConfig):
    name = "certportal.lsp"
    label = "lsp"
    verbose_name = _("Certification body profile")

    def ready(self) -> None:
        from certportal import menus
        from certportal.accounts.models import Role
        from certportal.workqueue import register_work

        from .licence import lsp_admin_work

        menus.register(Role.LSP_ADMIN, _("LSP profile"), "lsp:profile", icon="building", order=805,
                       group=menus.ADMINISTRATION)
        register_work(Role.LSP_ADMIN, lsp_admin_work)

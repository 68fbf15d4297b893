from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "certportal"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from . import checks, menus

        menus.register_core_menus()
        checks.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("LSP management system")

    def ready(self) -> None:
        """Each area registers its menus, machines, work and hooks here (one ``_register_*`` per area)."""
        self._register_impartiality()

    def _register_impartiality(self) -> None:
        from quality.impartiality import wiring

        wiring.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "certportal.sla"
    label = "sla"
    verbose_name = _("Service deadlines")

    def ready(self) -> None:
        from certportal import menus
        from certportal.accounts.models import Role

        menus.register(Role.SUPERVISOR, _("Service deadlines"), "sla:dashboard", icon="speedometer2", order=10)
        menus.register_home(Role.SUPERVISOR, "sla:dashboard")
        from certportal.workqueue import register_work

        from .workqueue import supervisor

        register_work(Role.SUPERVISOR, supervisor)
        menus.register(Role.SUPERVISOR, _("SLA policies"), "sla:policies", icon="sliders", order=20)
        menus.register(Role.LSP_ADMIN, _("Service deadlines"), "sla:dashboard", icon="speedometer2", order=800,
                       group=menus.ADMINISTRATION)
        menus.register(Role.LSP_ADMIN, _("Working-day calendar"), "sla:calendar", icon="calendar3", order=810,
                       group=menus.ADMINISTRATION)
        menus.register(Role.LSP_ADMIN, _("SLA policies"), "sla:policies", icon="sliders", order=820,
                       group=menus.ADMINISTRATION)

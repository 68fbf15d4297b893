from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "certportal.sla"
    label = "sla"
    verbose_name = _("Service deadlines")

    def ready(self) -> None:
        from certportal import exportjobs, menus
        from certportal.accounts.models import Role

        from .views import DASHBOARD_EXPORT, dashboard_export_table

        exportjobs.register_source(DASHBOARD_EXPORT, dashboard_export_table)  # a large CSV: a background export
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
        self._forget_calendar_on_change()
        self._forget_dashboard_on_change()

    def _forget_dashboard_on_change(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Clock
        from .selectors import dashboard_changed

        post_save.connect(dashboard_changed, sender=Clock, dispatch_uid="sla-dashboard-save")
        post_delete.connect(dashboard_changed, sender=Clock, dispatch_uid="sla-dashboard-delete")

    def _forget_calendar_on_change(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .calendar import forget
        from .models import CalendarDay, SeededYear, WorkWeek

        for model in (CalendarDay, WorkWeek, SeededYear):
            post_save.connect(forget, sender=model, dispatch_uid=f"sla-calendar-save-{model.__name__}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"sla-calendar-delete-{model.__name__}")

"""What the management-system room registers with the core (called from ``QualityConfig.ready``): its machines,
menus, the owners' work queue, the SLA clock's items on the supervisor's dashboard and its part of "download my
data"."""

from __future__ import annotations


def connect() -> None:
    _workflow()
    _menus()
    _work()
    _sla()
    _personal_data()


def _workflow() -> None:
    from certportal import workflow

    from .workflow import MACHINES, OTHER_LABELS

    for machine in MACHINES:
        workflow.register(machine)
    workflow.register_labels(OTHER_LABELS)


def _menus() -> None:
    from django.utils.translation import gettext_lazy as _

    from certportal import menus
    from certportal.accounts.models import Role

    menus.register(Role.LSP_ADMIN, _("Audits and reviews"), "quality:system-home", icon="clipboard-check",
                   order=860, group=menus.ADMINISTRATION)
    menus.register(Role.LSP_ADMIN, _("Corrective actions"), "quality:system-actions", icon="wrench-adjustable",
                   order=861, group=menus.ADMINISTRATION)
    menus.register(Role.LSP_ADMIN, _("Controlled documents"), "quality:system-documents", icon="file-earmark-text",
                   order=862, group=menus.ADMINISTRATION)
    menus.register(Role.LSP_ADMIN, _("Periodic duties"), "quality:system-duties", icon="calendar-check", order=863,
                   group=menus.ADMINISTRATION)
    for role in (Role.SUPERVISOR, Role.QUALITY):
        menus.register(role, _("Audits and reviews"), "quality:system-home", icon="clipboard-check", order=60)
        menus.register(role, _("Corrective actions"), "quality:system-actions", icon="wrench-adjustable", order=61)
        menus.register(role, _("Controlled documents"), "quality:system-documents", icon="file-earmark-text",
                       order=62)


def _work() -> None:
    from certportal import figures
    from certportal.accounts.models import STAFF_ROLES, Role
    from certportal.workqueue import register_work

    from . import (
        tasks,  # noqa: F401 - registers the periodic duties' reminder with Celery
        workqueue,
    )
    from .models import CorrectiveAction
    from .selectors import DUTY_OWNERS

    for role in STAFF_ROLES:
        register_work(role, workqueue.owner)
    for role in DUTY_OWNERS:
        register_work(role, workqueue.duties)
    register_work(Role.SUPERVISOR, workqueue.supervisor)
    for role in (Role.QUALITY, Role.SUPERVISOR):
        register_work(role, workqueue.overdue_actions)
    figures.forget_on_change(workqueue.ACTIONS, CorrectiveAction)


def _sla() -> None:
    from certportal.sla.registry import register_tracked

    from .models import CorrectiveAction
    from .selectors import READERS

    register_tracked(
        CorrectiveAction,
        responsible_many=lambda objs: {a.pk: [a.owner] for a in objs},
        related=("owner", "finding__review"),
        label=lambda a: f"{a} ({a.finding.review})",
        url=lambda a: a.get_absolute_url(),
        readers=READERS,
    )


def _personal_data() -> None:
    from certportal import personal_data

    from . import personal_data as mine

    personal_data.register("quality.system", collect=mine.collect, exports=mine.EXPORTS, names=mine.NAMES)

"""The impartiality room registers itself: its machine and audit labels, its menus, the LSP admin's queue, the
personal-data download, and its answer to the test event's ``declaration_missing``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from assessments.events import hooks
    from certportal import menus, personal_data, workflow
    from certportal.accounts.models import Role
    from certportal.workqueue import register_work

    from . import personal_data as mine
    from . import workqueue
    from .rules import MENU_SIGNERS, declaration_missing
    from .workflow import LABELS, MACHINE

    workflow.register(MACHINE)
    workflow.register_labels(LABELS)
    hooks.DECLARATION_MISSING.provide(declaration_missing)
    register_work(Role.LSP_ADMIN, workqueue.lsp_admin)
    personal_data.register("quality.impartiality", collect=mine.collect, exports=mine.EXPORTS, names=mine.NAMES)
    menus.register(Role.LSP_ADMIN, _("Impartiality"), "quality:impartiality", icon="shield-check", order=840,
                   group=menus.ADMINISTRATION)
    for role in (Role.QUALITY, Role.SUPERVISOR):
        menus.register(role, _("Impartiality"), "quality:impartiality", icon="shield-check", order=92)
    for role in MENU_SIGNERS:
        admin = role == Role.LSP_ADMIN
        menus.register(role, _("Declaration of interest"), "quality:declaration-sign", icon="pen",
                       order=841 if admin else 93, group=menus.ADMINISTRATION if admin else None)

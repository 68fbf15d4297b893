"""The competence room registers itself (called from ``QualityConfig.ready``): its audit labels, its menus and its
part of "download my data", and the assessors' warnings on the assessors list (``events.assessor_warnings``). Its periodic duties are read by :mod:`quality.system.duties`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from assessments.events import hooks
    from certportal import menus, personal_data, workflow
    from certportal.accounts.models import Role

    from . import personal_data as mine
    from .rules import COMPETENCE_ROLES
    from .selectors import assessor_warnings
    from .services import LABELS

    workflow.register_labels(LABELS)
    hooks.ASSESSOR_WARNINGS.provide(assessor_warnings)
    personal_data.register("quality.competence", collect=mine.collect, exports=mine.EXPORTS, names=mine.NAMES)
    menus.register(Role.LSP_ADMIN, _("Competence of personnel"), "quality:competence-list", icon="mortarboard",
                   order=845, group=menus.ADMINISTRATION)
    menus.register(Role.QUALITY, _("Competence of personnel"), "quality:competence-list", icon="mortarboard",
                   order=94)
    for role in COMPETENCE_ROLES:
        if role not in (Role.LSP_ADMIN, Role.QUALITY):
            menus.register(role, _("My competence records"), "quality:competence-mine", icon="mortarboard",
                           order=95)

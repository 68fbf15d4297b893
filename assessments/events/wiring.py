"""The test event's registrations with the core, made once in ``AssessmentsConfig.ready``: its state machines,
what assessors may see of the applicants app, its menus and home pages, the SLA clock of appeals, and the
deactivation of an assessor with their account."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from applicants.selectors import VISIBILITY
    from assessments.events.models import Appeal
    from assessments.events.selectors import assessor_visibility
    from assessments.events.workflow import machines
    from certportal import workflow
    from certportal.accounts.models import Role
    from certportal.accounts.signals import ACCOUNT_DEACTIVATED
    from certportal.sla.registry import register_tracked

    for machine in machines():
        workflow.register(machine)
    _adoption()
    VISIBILITY.provide(assessor_visibility, key=Role.ASSESSOR)
    _menus()
    register_tracked(
        Appeal,
        role=Role.QUALITY, related=("participant__application__applicant",),
        label=lambda appeal: gettext("Appeal #%(id)s %(name)s") % {"id": appeal.pk, "name": appeal.participant.name},
        url=lambda appeal: f"/asesmen/banding/{appeal.pk}/",
    )
    ACCOUNT_DEACTIVATED.provide(_deactivate_assessor)
    _forget_the_counts()


def _adoption() -> None:
    """The imports of assessors and test sites: their machine, the sweep's kind (the register's time limits) and
    the tasks' labels."""
    from assessments.events.models import AdoptionImport
    from assessments.events.services.adoption_jobs import machines
    from certportal import workflow
    from certportal.jobs.registry import register_kind
    from certportal.outbox.registry import register_task_label

    for machine in machines():
        workflow.register(machine)
    register_kind(AdoptionImport, queued_minutes="ASSESSMENT_REGISTER_QUEUED_MINUTES",
                  running_minutes="ASSESSMENT_REGISTER_RUNNING_MINUTES")
    register_task_label("assessments.tasks.read_adoption", _("Reading assessors or test sites to import"))
    register_task_label("assessments.tasks.apply_adoption", _("Importing assessors or test sites"))


_count_forgetter = None  # signals hold receivers weakly


def _forget_the_counts() -> None:
    """The staff list's counts of events are kept a minute; an event saved (a new one, a status changed) or
    deleted forgets them at once."""
    global _count_forgetter
    from django.db.models.signals import post_delete, post_save

    from assessments.events.models import Event
    from assessments.events.selectors import COUNT_FIGURES
    from certportal import figures

    _count_forgetter = figures.forgetter(COUNT_FIGURES)
    post_save.connect(_count_forgetter, sender=Event, dispatch_uid="event-count-save")
    post_delete.connect(_count_forgetter, sender=Event, dispatch_uid="event-count-delete")


def _menus() -> None:
    from certportal import menus
    from certportal.accounts.models import Role

    menus.register(Role.ASSESSOR, _("My test events"), "assessments:assessor-home", icon="clipboard-check",
                   order=10)
    menus.register_home(Role.ASSESSOR, "assessments:assessor-home")
    menus.register(Role.LSP_ADMIN, _("Test events"), "assessments:events", icon="calendar-event", order=50,
                   group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("Appeals"), "assessments:appeals", icon="megaphone", order=52,
                   group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("Assessors"), "assessments:assessors", icon="person-badge", order=53,
                   group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("Import assessors and test sites"), "assessments:adoption",
                   icon="box-arrow-in-down", order=57, group=menus.ASSESSMENT)
    for role in (Role.TUK_HEAD, Role.QUALITY):
        menus.register(role, _("Event reviews"), "assessments:reviews", icon="clipboard-data", order=10)
        menus.register_home(role, "assessments:reviews")
    menus.register(Role.QUALITY, _("Appeals"), "assessments:appeals", icon="megaphone", order=11)
    menus.register(Role.APPLICANT, _("My tests and certificates"), "assessments:mine", icon="award", order=15)


def _deactivate_assessor(*, user, actor, reason) -> None:
    """A deactivated staff account assesses nothing more: its assessor record is deactivated with it."""
    from assessments.events.services.assessors import assessors_deactivate_for_account

    assessors_deactivate_for_account(user, actor=actor, reason=reason)

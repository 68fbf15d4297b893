"""Seed 002 step 2, its second part: each assessor of the event plans the test ("merencanakan pelaksanaan uji
kompetensi, berkoordinasi dengan Bidang Teknis Operasional dan informasinya ke Bagian Administrasi").

The assessor records what they will assess and how (the units and methods, following the event's assessment plan,
FR.MAPA.01, where it has one), the schedule of the day, the tools and materials they need and their coordination
with the technical operations field; the LSP admin (Bagian Administrasi), the Kepala TUK of the site and the other
assessors of the event read it. Step 2 is not done until every active assessor of the event has planned:
:func:`planning_problem` is part of its guard (``workflow.events.step2_ready``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.errors import AssessmentError
from assessments.events.models import Event, EventAssessor, EventPlanning, EventStatus
from assessments.events.models.planning import PLANNING_ITEMS
from certportal import dates
from certportal.accounts.models import Role
from certportal.sentences import one_full_stop
from certportal.workflow import transition

PLANNING_OPEN = (EventStatus.PLANNED, EventStatus.SCHEDULE_SENT)  # until step 2 is done


def unplanned_links(event: Event):
    """The event's active assessors who have not recorded their planning yet."""
    return event.event_assessors.filter(planning__isnull=True, assessor__is_active=True).select_related(
        "assessor__user").order_by("assessor__user__full_name", "pk")


def planning_problem(event: Event) -> str | None:
    """Why step 2 cannot be marked done for want of a planning act (None: every assessor has planned)."""
    names = [link.assessor.user.full_name for link in unplanned_links(event)]
    if names:
        return one_full_stop(_("Waiting for the planning of the test by the assessors: %(names)s.")
                             % {"names": ", ".join(names)})
    return None


def may_read_planning(user, event: Event) -> bool:
    """The LSP admin (Bagian Administrasi), the Kepala TUK of the event's site and the event's assessors."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_role(Role.LSP_ADMIN):
        return True
    if user.has_role(Role.TUK_HEAD) and event.test_site.head_id == user.pk:
        return True
    return user.has_role(Role.ASSESSOR) and event.event_assessors.filter(assessor__user=user).exists()


def own_link(event: Event, user) -> EventAssessor | None:
    """``user``'s assignment to ``event`` as an active assessor, or None."""
    if not user.is_authenticated:
        return None
    return event.event_assessors.filter(assessor__user=user, assessor__is_active=True).select_related(
        "assessor__user").first()


def plan_lines(event: Event) -> str:
    """What the planning starts from: each unit of the event's assessment plan (FR.MAPA.01) with the instruments
    it names, or without a plan each unit of the scheme (the assessor writes the methods)."""
    plan = event.plan
    if plan is not None:
        methods: dict[tuple[str, str], list[str]] = {}
        for row in plan.evidence.select_related("unit").order_by("unit__code", "instrument"):
            names = methods.setdefault((row.unit.code, row.unit.title), [])
            if row.instrument not in names:
                names.append(row.instrument)
        return "\n".join(f"{code} {title}: {', '.join(names)}" for (code, title), names in methods.items())
    units = event.scheme.scheme_units.select_related("unit").order_by("position")
    return "\n".join(f"{su.unit.code} {su.unit.title}: " for su in units)


def planning_initial(event: Event, link: EventAssessor | None) -> dict:
    """The form's starting values: the assessor's planning as recorded, else the plan's units and methods and the
    hour the test starts."""
    planning = EventPlanning.objects.filter(link=link).first() if link is not None else None
    if planning is not None:
        return {name: getattr(planning, name) for name, _label in PLANNING_ITEMS}
    return {"units_methods": plan_lines(event), "schedule": f"{dates.wib(event.starts_at, 'time')}: ",
            "tools_materials": "", "coordination": ""}


def planning_save(event: Event, *, actor, data: dict, ip: str | None = None) -> EventPlanning:
    """The assessor records (or corrects) their planning before step 2 is done: the event machine's
    ``planning_recorded`` act (same status, audited)."""
    link = own_link(event, actor)
    if link is None or not actor.has_role(Role.ASSESSOR):
        raise AssessmentError(_("Only an assessor of this event records their planning of the test."))
    if event.status not in PLANNING_OPEN:
        raise AssessmentError(_("Step 2 is done: the planning of the test can no longer be changed."))
    values = {name: (data.get(name) or "").strip() for name, _label in PLANNING_ITEMS}
    empty = [str(label) for name, label in PLANNING_ITEMS if not values[name]]
    if empty:
        raise AssessmentError(_("Fill in every part of the planning: %(items)s.") % {"items": "; ".join(empty)})
    with transaction.atomic():
        transition(event, "planning_recorded", user=actor, ip=ip, reason=link.assessor.user.full_name[:200])
        planning, _created = EventPlanning.objects.update_or_create(
            link=link, defaults={**values, "event": event, "plan": event.plan, "planned_by": actor,
                                 "planned_at": timezone.now()})
    return planning

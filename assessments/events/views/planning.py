"""Seed 002 step 2, its second part: the assessor's planning of the test, on its own page of the event."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.events.forms import PlanningForm
from assessments.events.models import EventPlanning
from assessments.events.selectors import events_visible_to, get_or_403
from assessments.events.services.planning import (
    may_read_planning,
    own_link,
    planning_initial,
    planning_problem,
    planning_save,
)
from certportal.accounts.models import Role
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_form

READERS = (Role.LSP_ADMIN, Role.TUK_HEAD, Role.ASSESSOR)


@role_required(*READERS)
def event_planning(request, pk):
    """GET: every assessor's planning (the form for the viewer's own, while step 2 is open); POST: record it. Read
    by the LSP admin, the Kepala TUK of the site and the event's assessors; anyone else is refused."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    if not may_read_planning(request.user, event):
        raise PermissionDenied
    link = own_link(event, request.user)
    may_plan = allowed_actions(event, request.user)["planning_recorded"].allowed  # the same rule as the service
    form = PlanningForm(request.POST if request.method == "POST" else None, initial=planning_initial(event, link))

    def context() -> dict:
        links = list(event.event_assessors.select_related("assessor__user").order_by("assessor__user__full_name"))
        plannings = {p.link_id: p for p in EventPlanning.objects.filter(event=event).select_related(
            "planned_by", "plan")}
        return {"event": event, "may_plan": may_plan, "own_link": link,
                "rows": [(item, plannings.get(item.pk)) for item in links], "waiting": planning_problem(event)}

    return run_form(request, form, lambda data: planning_save(event, actor=request.user, data=data,
                                                             ip=client_ip(request)),
                    success=_("Your planning of the test is recorded."),
                    redirect_to=reverse("assessments:event-planning", args=[event.pk]),
                    template="assessments/planning.html", context=context)

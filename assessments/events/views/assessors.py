"""The LSP admin's assessors: the list with licences that run out and events at risk, new and edited assessors;
an assessor's declaration of a conflict of interest."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.events import hooks, services
from assessments.events.forms import (
    AssessorEditForm,
    AssessorForm,
    ConflictForm,
)
from assessments.events.models import (
    LICENCE_EXPIRING_DAYS,
    Assessor,
)
from assessments.events.selectors import (
    assessor_open_events,
    assessors_for_admin,
    events_to_reassign,
    get_or_403,
    staff_participants_visible_to,
)
from assessments.events.views.events import ADMIN
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.permissions import role_required
from certportal.workflow.views import run_action, run_form


@role_required(ADMIN)
def assessors(request):
    page = Paginator(assessors_for_admin(), 50).get_page(request.GET.get("page"))
    for assessor in page:  # reads the prefetched schemes and open events: no query per row
        assessor.at_risk = services.assessor_events_at_risk(assessor)
    warnings = hooks.ASSESSOR_WARNINGS.get()  # the LSP's competence records (quality), one query for the page
    found = warnings(list(page), timezone.localdate()) if warnings else {}
    for assessor in page:
        assessor.competence = found.get(assessor.pk, [])
    return render(request, "assessments/assessors.html", {"page": page, "params": "",
                                                          "expiring_days": LICENCE_EXPIRING_DAYS,
                                                          "to_reassign": events_to_reassign()})



@role_required(ADMIN)
def assessor_create(request):
    return run_form(request, AssessorForm(request.POST or None),
                    lambda data: services.assessor_save(actor=request.user, **data),
                    success=_("The assessor is saved."), redirect_to="assessments:assessors",
                    template="core/form_page.html", context={"title": _("New assessor")})



@role_required(ADMIN)
def assessor_edit(request, pk):
    """Edit an assessor (the user is fixed; deactivating and reactivating are changes like the others). A change
    that leaves them unqualified for events they are on is shown with the list of those events and saved only
    once confirmed (see ``services.assessor_save``): the refusal carries them (``refusal.affected`` on the page)."""
    assessor = get_object_or_404(assessors_for_admin(), pk=pk)
    form = AssessorEditForm(request.POST or None, assessor=assessor)
    if request.method == "POST" and form.is_valid() and not form.changes:
        messages.info(request, _("Nothing changed."))
        return redirect("assessments:assessor-edit", pk=assessor.pk)

    def page() -> dict:
        at_risk = {event.pk: problems for event, problems in services.assessor_events_at_risk(assessor)}
        open_events = assessor_open_events(assessor)
        for event in open_events:
            event.problems = at_risk.get(event.pk, [])
        return {"assessor": assessor, "at_risk": at_risk, "open_events": open_events,
                "history": history_for(assessor)}

    return run_form(request, form, lambda data: services.assessor_save(
        actor=request.user, assessor=assessor, accept_affected_events=data["confirm"],
        **{k: data[k] for k in ("registration_number", "licence_valid_until", "schemes", "is_active", "reason")}),
        success=_("The assessor is saved."), redirect_to=reverse("assessments:assessor-edit", args=[assessor.pk]),
        template="assessments/assessor_edit.html", context=page)



@require_POST
@role_required(Role.ASSESSOR)
def conflict_declare(request, pk):
    participant = get_or_403(staff_participants_visible_to(request.user), pk=pk)
    assessor = Assessor.objects.filter(user=request.user).first()
    form = ConflictForm(request.POST)
    if assessor is None or not form.is_valid():
        messages.error(request, _("Say briefly why there is a conflict of interest."))
        return redirect("assessments:event", pk=participant.event_id)
    return run_action(request, lambda data: services.conflict_declare(
        assessor=assessor, person=participant.application.applicant, reason=form.cleaned_data["reason"],
        actor=request.user), success=_("Your conflict of interest is recorded; the LSP will assign another assessor."),
        redirect_to=reverse("assessments:event", kwargs={"pk": participant.event_id}))


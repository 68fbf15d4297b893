"""The pleno pages of the LSP admin: record an event's pleno (members, day, decree number), record each decision
taken in it, close it, and download its decision letter (Surat Keputusan). Thin views through the one view
helper; every page is the LSP admin's only."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.events import services
from assessments.events.forms import DecisionForm, PlenoForm
from assessments.events.models import EventStatus, Pleno
from assessments.events.selectors import events_visible_to, get_or_403
from assessments.events.services.pleno import awaiting_participants, decision_rows, member_names
from assessments.events.workflow.participants import pleno_refusal
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form

ADMIN = Role.LSP_ADMIN


def _pleno(request, pk) -> Pleno:
    return get_or_403(Pleno.objects.filter(event__in=events_visible_to(request.user))
                      .select_related("event__scheme", "event__test_site"), pk=pk)


@role_required(ADMIN)
def event_plenos(request, pk):
    """The event's plenos, and the form to record a new one (once the event is reviewed)."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    form = PlenoForm(request.POST or None)
    chosen = {str(v) for v in request.POST.getlist("members")}
    return run_form(request, form, lambda data: services.pleno_create(event, actor=request.user, **data),
                    success=_("The pleno is recorded: record its decisions below."),
                    redirect_to=lambda pleno: pleno, template="assessments/pleno_create.html",
                    context=lambda: {"event": event, "plenos": event.plenos.prefetch_related("members"),
                                     "reviewed": event.reached(EventStatus.REVIEWED),
                                     "options": services.member_options(event), "chosen": chosen})


@role_required(ADMIN)
def pleno_detail(request, pk):
    pleno = _pleno(request, pk)
    awaiting = list(awaiting_participants(pleno))
    for p in awaiting:
        p.refusal = pleno_refusal(p, pleno)
        p.k_refusal = ""
        if not p.refusal:  # each decision's button from its own rule: a K may wait for the plan's records, BK not
            actions = allowed_actions(p, request.user, only=("decided_competent", "decided_not_yet_competent"))
            k, bk = actions["decided_competent"], actions["decided_not_yet_competent"]
            p.k_allowed, p.bk_allowed = k.allowed, bk.allowed
            p.refusal = "" if k.allowed or bk.allowed else (k.reason or bk.reason)
            p.k_refusal = "" if k.allowed or p.refusal else k.reason
        p.form = DecisionForm(initial={"decision": p.recommendation}, prefix=f"p{p.pk}")
    return render(request, "assessments/pleno.html", {
        "pleno": pleno, "event": pleno.event, "members": member_names(pleno), "awaiting": awaiting,
        "rows": decision_rows(pleno), "actions": allowed_actions(pleno, request.user),
        "history": history_for(pleno)})


@require_POST
@role_required(ADMIN)
def pleno_decide(request, pk, participant):
    pleno = _pleno(request, pk)
    p = get_or_403(pleno.event.participants.all(), pk=participant)
    return run_action(request, lambda data: services.pleno_decide(pleno, p, actor=request.user, **data),
                      form=DecisionForm(request.POST, prefix=f"p{p.pk}"),
                      success=_("The decision of %(name)s is recorded in the pleno.") % {"name": p.name},
                      redirect_to=reverse("assessments:pleno", args=[pleno.pk]))


@require_POST
@role_required(ADMIN)
def pleno_close(request, pk):
    pleno = _pleno(request, pk)
    return run_action(request, lambda data: services.pleno_close(pleno, actor=request.user),
                      success=_("The pleno is closed and its decision letter issued."),
                      redirect_to=reverse("assessments:pleno", args=[pleno.pk]))

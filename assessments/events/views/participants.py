"""The staff page of one participant: results per unit (with the plan's evidence behind each), the decision, the
assessor assigned, corrections after the lock."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.events import services
from assessments.events.forms import (
    ConflictForm,
    CorrectionForm,
    DecisionForm,
)
from assessments.events.models import (
    Assessor,
    ConflictOfInterest,
    EventStatus,
    Method,
    Participant,
    Result,
    UnitResult,
)
from assessments.events.selectors import (
    get_or_403,
    staff_participants_visible_to,
)
from assessments.events.views import panels
from assessments.events.views.events import ADMIN, EVENT_ROLES
from assessments.events.workflow.participants import pleno_required
from certportal import kept_pages
from certportal.audit.services import history_for
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form, run_service


def _unit_rows(participant: Participant, post=None, user=None) -> list[dict]:
    """One row per unit of the scheme: the result, whether it is assessed in this sitting, what was just posted,
    and (issue 19, FR.AK.02) the plan's evidence for it with the instrument records behind it: ``gap`` when that
    evidence is not complete and sufficient, so that a K needs the reason why it suffices all the same."""
    results = {r.unit_id: r for r in participant.results.all()}
    assessable = set(services.units_to_assess(participant).values_list("pk", flat=True))
    evidence = panels.unit_evidence(user, participant) if user is not None else {}
    rows = []
    for su in participant.application.scheme.scheme_units.select_related("unit").order_by("position"):
        unit, r = su.unit, results.get(su.unit_id)
        row = {"unit": unit, "result": r, "assess": su.unit_id in assessable}
        if post is not None:
            row["posted"] = {k: post.get(f"{k}_{unit.pk}", "") for k in ("result", "evidence", "notes",
                                                                            "explanation", "evidence_gap_reason")}
        # the K/BK button shown chosen: what was just posted (refused, shown again), else what is recorded
        row["chosen"] = row["posted"]["result"] if post is not None else (r.result if r else "")
        planned = evidence.get(unit.pk)
        row["lines"] = planned["lines"] if planned else []
        row["gap"] = bool(planned) and not planned["state"].complete
        # a K already kept on the reason why the evidence suffices: said once, not warned about again
        row["gap_kept"] = row["gap"] and post is None and bool(r and r.result == Result.K and r.evidence_gap_reason)
        row["missing"] = [f"FR.{line.row.instrument}" for line in planned["state"].missing] if planned else []
        rows.append(row)
    return rows



GAP_REASON_MAX = 2000



def _record_result(participant, actor, unit, data: dict):
    """The result service, after the one limit the view owns (the length of the reason for an evidence gap)."""
    if len(data.get("evidence_gap_reason") or "") > GAP_REASON_MAX:
        raise services.AssessmentError(_("A field can be at most %(limit)d characters long.")
                                       % {"limit": GAP_REASON_MAX})
    return services.result_record(participant, actor=actor, unit=unit, result=data["result"],
                                  evidence=data.get("evidence", ""), notes=data.get("notes", ""),
                                  explanation=data.get("explanation", ""),
                                  evidence_gap_reason=data.get("evidence_gap_reason", ""))



def _save_results(request, participant: Participant) -> bool:
    """Record each unit given K or BK; say once what was kept (and which K rests on the reason why the evidence
    suffices though the plan's is not complete), or that nothing was saved; one message per refused unit."""
    errors, saved, on_reason = 0, [], []
    for row in _unit_rows(participant, request.POST, request.user):
        data = row["posted"]
        if not row["assess"] or not data["result"]:
            continue
        # one message per refused unit, named by its code; the others are saved
        ok = run_service(request, lambda row=row, data=data: _record_result(
            participant, request.user, row["unit"], data),
            refused=lambda exc, code=row["unit"].code: messages.error(request, f"{code}: {exc.message}"))
        errors += not ok
        if ok:
            saved.append(f"{row['unit'].code} {data['result']}")
            if row["gap"] and data["result"] == Result.K:
                on_reason.append(f"{row['unit'].code} ({', '.join(row['missing'])})")
    if saved:
        kept = _("Results saved: %(units)s.") % {"units": ", ".join(saved)}
        if on_reason:
            kept += " " + _("The K of %(units)s rests on your reason why the evidence suffices, since the planned "
                            "evidence named is not complete.") % {"units": "; ".join(on_reason)}
        messages.success(request, kept)
    elif not errors:
        messages.warning(request, _("Nothing was saved: choose K or BK for a unit first."))
    return errors == 0 and bool(saved)



@role_required(*EVENT_ROLES)
def participant_detail(request, pk):
    def joined():
        return get_or_403(staff_participants_visible_to(request.user), pk=pk)

    if request.method == "POST":
        if _save_results(request, joined()):
            return redirect("assessments:participant", pk=pk)
        # read again after the refused save, with its joins (refresh_from_db() dropped them: a query each)
        participant = joined()
        return kept_pages.page(request, "assessments/participant.html", "assessments.participant", participant,
                               lambda: _participant_body(request, participant, request.POST),
                               around={"p": participant}, keep=False)
    # the title and the kept body's key need the row and its application; the body, when it is drawn, reads the
    # row again with every join it shows (a kept body's view is spared them)
    participant = get_or_403(staff_participants_visible_to(request.user).select_related(None)
                             .select_related("application"), pk=pk)
    return kept_pages.page(request, "assessments/participant.html", "assessments.participant", participant,
                           lambda: _participant_body(request, joined(), None), around={"p": participant})


def _participant_body(request, participant, post) -> dict:
    """What the participant's page shows below its title (kept: ``certportal.kept_pages``)."""
    user = request.user
    is_own_assessor = bool(participant.assessor and participant.assessor.user_id == user.pk)
    # Buttons come from the machine (assessments/events/workflow/participants.py): the same rules as the services.
    actions = allowed_actions(participant, user)
    day_open = not participant.event.is_locked and participant.event.status in (EventStatus.CONFIRMED,
                                                                                EventStatus.HELD)
    not_qualified = services.assessor_problems(participant.assessor, participant.event) if (
        is_own_assessor and day_open) else []
    return {
        "p": participant, "event": participant.event, "rows": _unit_rows(participant, post, user),
        "actions": actions, "may_record": actions["result_recorded"].allowed, "not_qualified": not_qualified,
        "is_own_assessor": is_own_assessor, "is_admin": user.has_role(ADMIN),
        "live_recommendation": services.recommend(participant) if not participant.recommendation else "",
        "decision_form": DecisionForm(initial={"decision": participant.recommendation}),
        # the same rules as the service: an event on a plan is decided in a pleno (link to its page instead)
        "may_decide": (actions["decided_competent"].allowed or actions["decided_not_yet_competent"].allowed)
        and not pleno_required(participant),
        "decide_in_pleno": pleno_required(participant) and not participant.decision and (
            actions["decided_competent"].allowed or actions["decided_not_yet_competent"].allowed),
        "decide_refused": _first_reason(actions["decided_competent"], actions["decided_not_yet_competent"]),
        "conflict_form": ConflictForm(), "results_choices": Result.choices, "method_label": Method(
            participant.method).label, "history": history_for(participant),
        "appeals": participant.appeals.all(),
        "assessors": _assign_options(participant) if user.has_role(ADMIN) else [],
        # the certificate and result letters (certificates); FR.AK.01/03/07, the written test, the instrument
        # records per unit and the assessment file (instruments)
        **panels.context("participant", user, participant)}



def _first_reason(*actions) -> str:
    """The reason a person who could take one of these actions may not take it now (help text), else ""."""
    return next((a.reason for a in actions if a.offer_reason), "")



def _assign_options(participant) -> list[dict]:
    """The event's assessors for the assign list, each with why they may not take this participant (inactive,
    licence not valid on the day, scheme out of scope, declared conflict); those are shown disabled with the
    reason, so the LSP admin sees the choice before the service would refuse it."""
    links = participant.event.event_assessors.select_related("assessor__user").prefetch_related("assessor__schemes")
    conflicted = set(ConflictOfInterest.objects.filter(person=participant.application.applicant_id)
                     .values_list("assessor_id", flat=True))
    options = []
    for link in links:
        problems = services.assessor_problems(link.assessor, participant.event)
        if link.assessor_id in conflicted:
            problems.append(_("declared a conflict of interest"))
        options.append({"assessor": link.assessor, "problems": problems,
                        "current": link.assessor_id == participant.assessor_id})
    return options



@require_POST
@role_required(ADMIN)
def participant_assign(request, pk):
    participant = get_or_403(staff_participants_visible_to(request.user), pk=pk)
    assessor = Assessor.objects.filter(pk=request.POST.get("assessor")).first()
    if assessor is None:
        messages.error(request, _("Choose an assessor."))
        return redirect("assessments:participant", pk=participant.pk)
    return run_action(request, lambda data: services.participant_assign(participant, assessor=assessor,
                                                                         actor=request.user),
                      success=_("The assessor is assigned."),
                      redirect_to=reverse("assessments:participant", kwargs={"pk": participant.pk}))



@require_POST
@role_required(ADMIN)
def participant_decide(request, pk):
    participant = get_or_403(staff_participants_visible_to(request.user), pk=pk)
    return run_action(request, lambda data: services.participant_decide(participant, actor=request.user, **data),
                      form=DecisionForm(request.POST), success=_("The certification decision is recorded."),
                      redirect_to=reverse("assessments:participant", args=[participant.pk]))



@role_required(ADMIN)
def result_correct(request, pk):
    row = get_or_403(UnitResult.objects.filter(participant__in=staff_participants_visible_to(request.user))
                     .select_related("participant", "unit"), pk=pk)
    form = CorrectionForm(request.POST or None, initial={"result": row.result, "evidence": row.evidence,
                                                         "explanation": row.explanation,
                                                         "evidence_gap_reason": row.evidence_gap_reason})
    return run_form(request, form, lambda data: services.result_correct(row, actor=request.user, **data),
                    success=_("The correction is saved and recorded in the audit trail."),
                    redirect_to=reverse("assessments:participant", args=[row.participant_id]),
                    template="core/form_page.html",
                    context={"title": _("Correct the result of unit %(code)s") % {"code": row.unit.code}})


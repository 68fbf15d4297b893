"""Staff pages about events: lists, the event page with its eight SOP steps, attendance, results, decisions.

Thin views: role check, object from the role's queryset (403 otherwise), form, one service call, message."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applicants.models import Application
from applicants.models import Status as AppStatus
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.signing.services import signing_history
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form, run_service

from .. import services
from ..forms import AssessorEditForm, AssessorForm, ConflictForm, CorrectionForm, DecisionForm, EventForm
from ..models import (
    LICENCE_EXPIRING_DAYS,
    Assessor,
    ConfirmedHow,
    ConflictOfInterest,
    Event,
    EventReview,
    EventStatus,
    Method,
    Participant,
    Result,
    ResultLetter,
    UnitResult,
)
from ..selectors import (
    assessment_files_visible_to,
    assessor_open_events,
    assessors_for_admin,
    events_to_reassign,
    events_visible_to,
    feedback_visible_to,
    get_or_403,
    staff_participants_visible_to,
)
from ..workflow.events import REVIEW_ROLES, STEP_TRANSITIONS
from ..workflow.participants import pleno_required
from . import instruments as instrument_views
from . import plans as plan_views
from . import records as record_views
from . import written_test as test_views
from .readiness_context import readiness_context  # seed 002 steps 2 and 5

EVENT_ROLES = (Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR, Role.ASSESSOR, Role.TUK_HEAD)
ADMIN = Role.LSP_ADMIN


def _list_events(qs):
    # A correlated count, evaluated for the 25 shown rows only (a JOIN + GROUP BY counted all 200,000
    # participants of every event before the page was cut: 2 s).
    participants = (Participant.objects.filter(event=OuterRef("pk")).order_by().values("event")
                    .annotate(n=Count("id")).values("n"))
    return qs.annotate(n_participants=Coalesce(Subquery(participants), 0)).order_by("-starts_at", "-id")


@role_required(*EVENT_ROLES)
def events(request):
    qs = _list_events(events_visible_to(request.user))
    status = request.GET.get("status", "")
    if status in EventStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "assessments/events.html", {
        "page": page, "params": f"status={status}" if status else "", "statuses": EventStatus.choices,
        "status": status, "title": _("Test events")})


@role_required(Role.ASSESSOR)
def assessor_home(request):
    qs = _list_events(events_visible_to(request.user).filter(event_assessors__assessor__user=request.user))
    assessor = Assessor.objects.filter(user=request.user).prefetch_related("schemes").first()
    return render(request, "assessments/assessor_home.html", {
        "open": qs.exclude(status__in=[EventStatus.REVIEWED, EventStatus.ARCHIVED])[:50],
        "done": qs.filter(status__in=[EventStatus.REVIEWED, EventStatus.ARCHIVED])[:20], "assessor": assessor})


@role_required(Role.TUK_HEAD, Role.QUALITY)
def reviews(request):
    qs = _list_events(events_visible_to(request.user))
    # An event the reader has signed waits only for the other reviewer: it leaves their list for "signed".
    waiting = qs.filter(status=EventStatus.REPORT_SIGNED)
    mine = EventReview.objects.filter(signed_by=request.user).values("event")
    return render(request, "assessments/reviews.html", {
        "to_review": waiting.exclude(pk__in=mine)[:50],
        "signed": waiting.filter(pk__in=mine)[:50],
        "to_prepare": qs.filter(status=EventStatus.SCHEDULE_SENT)[:50] if request.user.has_role(Role.TUK_HEAD)
        else [],
        "reviewed": qs.filter(status__in=[EventStatus.REVIEWED, EventStatus.ARCHIVED])[:20]})


@role_required(ADMIN)
def assessors(request):
    page = Paginator(assessors_for_admin(), 50).get_page(request.GET.get("page"))
    for assessor in page:  # reads the prefetched schemes and open events: no query per row
        assessor.at_risk = services.assessor_events_at_risk(assessor)
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


@role_required(ADMIN)
def event_create(request):
    return run_form(request, EventForm(request.POST or None),
                    lambda data: services.event_create(actor=request.user, **data),
                    success=_("The event is planned. Add assessors and participants."),
                    redirect_to=lambda event: reverse("assessments:event", args=[event.pk]),
                    template="core/form_page.html", context={"title": _("Plan a test event")})


def _event_context(request, event: Event) -> dict:
    participants = list(event.participants.select_related("application__applicant", "assessor__user",
                                                          "reassessment_of")
                        .annotate(n_results=Count("results"),
                                  n_bk=Count("results", filter=Q(results__result=Result.BK))))
    links = list(event.event_assessors.select_related("assessor__user").prefetch_related("assessor__schemes"))
    for link in links:  # e.g. a licence shortened after the assessor was added (see services.assessor_save)
        link.problems = [] if event.is_locked else services.assessor_problems(link.assessor, event)
    user = request.user
    is_admin = user.has_role(ADMIN)
    step = services.next_step(event)
    actions = allowed_actions(event, user)
    candidates = []
    if is_admin and not event.is_locked:
        candidates = (Application.objects.filter(scheme__code=event.scheme.code)
                      .filter(Q(status=AppStatus.PARTICIPANT) | Q(status=AppStatus.APPEALED,
                                                                  participations__appeals__outcome="reassess"))
                      .exclude(participations__event=event).distinct().order_by("applicant_name"))
    return {
        "event": event, "participants": participants, "links": links,
        "steps": _step_rows(event, actions, step), "next_step": step, "actions": actions,
        "reviews": event.reviews.select_related("signed_by"), "review_roles": _review_roles(event),
        "confirm_how": [c for c in ConfirmedHow.choices if c[0] != ConfirmedHow.PORTAL],
        "unconfirmed": [link for link in links if not link.confirmed_at and link.assessor.is_active],
        "self_confirm": any(link.assessor.user_id == user.pk and not link.confirmed_at for link in links),
        "is_admin": is_admin, "is_event_assessor": any(link.assessor.user_id == user.pk for link in links),
        "candidates": candidates,
        "free_assessors": Assessor.objects.filter(schemes__code=event.scheme.code, is_active=True,
                                                  user__is_active=True)
        .exclude(event_links__event=event).select_related("user").distinct() if is_admin else [],
        "history": history_for(event), "day_open": actions["attendance_recorded"].allowed,
        "print_jobs": _print_jobs(event), "decided": any(p.decision for p in participants),
        "reviewed": event.reached(EventStatus.REVIEWED),
        **readiness_context(user, event),
        "report_signing": next(iter(signing_history("report", event.pk, limit=1)), None),
        # issue 19: the plan, and the records of the event (FR.AK.05/06)
        **plan_views.event_context(user, event), **record_views.event_context(user, event),
    }


# The SOP step each action belongs to, for the step table: the buttons of a step are the actions the reader
# may take now (allowed_actions), and an action they could take but may not yet shows why.
STEP_ACTIONS = {1: ("schedule_distributed", "assessor_confirmed"), 2: ("site_prepared",),
                3: ("candidates_reminded",), 4: ("confirmed",), 5: ("attendance_recorded", "held"),
                6: ("report_signed_by_assessor", "report_signed"), 7: ("review_signed",), 8: ("archived",)}


def _step_rows(event: Event, actions: dict, current: int | None) -> list:
    steps = list(event.steps.select_related("done_by"))
    for s in steps:
        s.actions = [{"action": actions[name], "url": actions[name].url(event)} for name in STEP_ACTIONS[s.number]
                     if s.number == current]
    return steps


def _review_roles(event: Event) -> list[dict]:
    signed = {r.role: r for r in event.reviews.select_related("signed_by")}
    return [{"role": Role(role).label, "review": signed.get(role)} for role in REVIEW_ROLES]


def _certificate_issue_refusal(participant) -> str | None:
    from ..workflow.certificates import issue_refusal

    return issue_refusal(participant) if participant.decision == Result.K else None


def _print_jobs(event) -> list:
    """The event's last print jobs, each with who it skipped and why, in the reader's language."""
    from ..certificates import skip_reason

    jobs = list(event.print_jobs.all()[:5])
    for job in jobs:
        job.skipped_reasons = [f"{s['name']}: {skip_reason(s)}" for s in job.skipped]
    return jobs


@role_required(*EVENT_ROLES)
def event_detail(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    return render(request, "assessments/event.html", _event_context(request, event))


@require_POST
@role_required(ADMIN)
def event_add_assessor(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    assessor = Assessor.objects.filter(pk=request.POST.get("assessor")).first()
    if assessor is None:
        messages.error(request, _("Choose an assessor."))
        return redirect("assessments:event", pk=event.pk)
    return run_action(request, lambda data: services.event_add_assessor(event, assessor=assessor, actor=request.user),
                      success=_("The assessor is added."),
                      redirect_to=reverse("assessments:event", kwargs={"pk": event.pk}))


@require_POST
@role_required(ADMIN)
def event_add_participants(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    ids = request.POST.getlist("application")
    apps = Application.objects.filter(pk__in=ids, scheme__code=event.scheme.code)
    if not ids:
        messages.error(request, _("Choose at least one participant."))
    for app in apps:  # one message per applicant: a refusal of one does not stop the others
        run_service(request, lambda app=app: services.event_add_participant(event, application=app, actor=request.user),
                    success=_("%(name)s is added.") % {"name": app.applicant_name})
    return redirect("assessments:event", pk=event.pk)


def _event_action(request, pk, call, success):
    """Run one event service through the one view helper (a refusal is shown with its reason)."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    note = request.POST.get("note", "").strip()[:1000]
    return run_action(request, lambda data: call(event, note, client_ip(request)), success=success,
                      redirect_to=reverse("assessments:event", kwargs={"pk": event.pk}))


@require_POST
@role_required(*EVENT_ROLES)
def event_step(request, pk, number):
    if number not in STEP_ACTIONS:
        raise Http404
    return _event_action(request, pk, lambda e, note, ip: services.event_step_complete(
        e, number, actor=request.user, note=note, ip=ip), _("Step %(n)s is recorded as done.") % {"n": number})


@require_POST
@role_required(*EVENT_ROLES)
def event_act(request, pk, name):
    """One named SOP transition (``assessments.event.<name>``) from its button on the event page."""
    if name == "schedule_distributed":
        return _event_action(request, pk, lambda e, note, ip: services.event_distribute_schedule(
            e, actor=request.user, note=note, ip=ip), _("The schedule is sent. Each assessor now confirms."))
    number = {v: k for k, v in STEP_TRANSITIONS.items()}[name]
    return event_step(request, pk, number)


@require_POST
@role_required(Role.ASSESSOR, ADMIN)
def event_confirm(request, pk):
    """SOP step 1: the assessor confirms their own assignment, or the LSP admin records who confirmed and how."""
    assessor = Assessor.objects.filter(pk=request.POST.get("assessor") or None).first()
    return _event_action(request, pk, lambda e, note, ip: services.assessor_confirm(
        e, actor=request.user, assessor=assessor, how=request.POST.get("how", ""), note=note, ip=ip),
        _("The confirmation is recorded."))


@require_POST
@role_required(*REVIEW_ROLES)
def event_review(request, pk):
    return _event_action(request, pk, lambda e, note, ip: services.review_sign(
        e, actor=request.user, note=note, ip=ip), _("Your review is signed."))


@role_required(Role.ASSESSOR, Role.TUK_HEAD, ADMIN)
def event_attendance(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    if request.method == "POST" and request.POST.get("all_present"):
        return _attendance_all_present(request, event)
    if request.method == "POST":
        participants = {p.pk: request.POST.get(f"p{p.pk}") == "1" for p in event.participants.all()
                        if request.POST.get(f"p{p.pk}") in ("0", "1")}
        assessors = {a.pk: request.POST.get(f"a{a.pk}") == "1" for a in event.event_assessors.all()
                     if request.POST.get(f"a{a.pk}") in ("0", "1")}
        return run_action(request, lambda data: services.attendance_record(
            event, actor=request.user, participants=participants, assessors=assessors, ip=client_ip(request)),
            success=_("Attendance is saved."), redirect_to=reverse("assessments:event", kwargs={"pk": event.pk}))
    action = allowed_actions(event, request.user)["attendance_recorded"]
    return render(request, "assessments/attendance.html", {
        "event": event, "participants": event.participants.select_related("application"), "action": action,
        "links": event.event_assessors.select_related("assessor__user")})


def _attendance_all_present(request, event: Event):
    """"All present" with exceptions: the ticked participants are absent, every other one present. The first post
    shows who will be marked absent; the confirmed second post records it through the one attendance service."""
    participants = list(event.participants.select_related("application__applicant"))
    ticked = set(request.POST.getlist("absent"))
    absent = [p for p in participants if str(p.pk) in ticked]
    if request.POST.get("confirm") != "1":
        action = allowed_actions(event, request.user)["attendance_recorded"]
        return render(request, "assessments/attendance_confirm.html", {
            "event": event, "absent": absent, "n_present": len(participants) - len(absent), "action": action})
    return run_action(request, lambda data: services.attendance_record(
        event, actor=request.user, participants={p.pk: p not in absent for p in participants}, assessors={},
        ip=client_ip(request)),
        success=_("Attendance is saved."), redirect_to=reverse("assessments:event", kwargs={"pk": event.pk}),
        error_redirect=reverse("assessments:event-attendance", kwargs={"pk": event.pk}))


@require_POST
@role_required(Role.ASSESSOR)
def event_sign(request, pk):
    return _event_action(request, pk, lambda e, note, ip: services.report_sign_as_assessor(
        e, actor=request.user, ip=ip),
        _("You signed the official report. The head of the test site signs next (SOP step 6)."))


@require_POST
@role_required(*EVENT_ROLES)
def event_minutes(request, pk):
    minutes = request.POST.get("minutes", "")
    return _event_action(request, pk, lambda e, note, ip: services.event_save_minutes(
        e, actor=request.user, minutes=minutes, ip=ip), _("The minutes are saved."))


# --- one participant -------------------------------------------------------------------------------------

def _unit_rows(participant: Participant, post=None, user=None) -> list[dict]:
    """One row per unit of the scheme: the result, whether it is assessed in this sitting, what was just posted,
    and (issue 19, FR.AK.02) the plan's evidence for it with the instrument records behind it: ``gap`` when that
    evidence is not complete and sufficient, so that a K needs the reason why it suffices all the same."""
    results = {r.unit_id: r for r in participant.results.all()}
    assessable = set(services.units_to_assess(participant).values_list("pk", flat=True))
    evidence = instrument_views.unit_evidence(user, participant) if user is not None else {}
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
    errors = 0
    for row in _unit_rows(participant, request.POST):
        data = row["posted"]
        if not row["assess"] or not data["result"]:
            continue
        # one message per refused unit, named by its code; the others are saved
        errors += not run_service(request, lambda row=row, data=data: _record_result(
            participant, request.user, row["unit"], data),
            refused=lambda exc, code=row["unit"].code: messages.error(request, f"{code}: {exc.message}"))
    return errors == 0


@role_required(*EVENT_ROLES)
def participant_detail(request, pk):
    participant = get_or_403(staff_participants_visible_to(request.user), pk=pk)
    post = None
    if request.method == "POST":
        if _save_results(request, participant):
            messages.success(request, _("The results are saved."))
            return redirect("assessments:participant", pk=participant.pk)
        post = request.POST
    participant.refresh_from_db()
    user = request.user
    is_own_assessor = bool(participant.assessor and participant.assessor.user_id == user.pk)
    # Buttons come from the machine (assessments/workflow/participants.py): the same rules as the services.
    actions = allowed_actions(participant, user)
    day_open = not participant.event.is_locked and participant.event.status in (EventStatus.CONFIRMED,
                                                                                EventStatus.HELD)
    not_qualified = services.assessor_problems(participant.assessor, participant.event) if (
        is_own_assessor and day_open) else []
    certificate = participant.certificates.exclude(status="withdrawn").first() or participant.certificates.first()
    return render(request, "assessments/participant.html", {
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
        "certificate": certificate, "certificate_to_correct": _certificate_to_correct(participant, certificate),
        # the same rule as the service: the button is offered only when the certificate may be issued now
        "issue_refusal": _certificate_issue_refusal(participant),
        "letter": ResultLetter.objects.filter(participant=participant, status=ResultLetter.Status.ISSUED).first(),
        "letters": ResultLetter.objects.filter(participant=participant).order_by("-created_at", "-id"),
        "appeals": participant.appeals.all(),
        # FR.AK.03: only their assessor, the LSP admin and quality management read it
        "feedback": feedback_visible_to(user).filter(participant=participant).first(),
        # the complete assessment file (APL.01 to AK.05), for the archive: LSP admin, quality, their assessor
        "may_download_file": assessment_files_visible_to(user).filter(pk=participant.pk).exists(),
        "assessors": _assign_options(participant) if user.has_role(ADMIN) else [],
        # issue 19: FR.AK.01/07 consents and adjustments, the FR.IA.05 test, the instrument records per unit
        **record_views.participant_context(user, participant), **test_views.participant_context(user, participant),
        **instrument_views.participant_context(user, participant)})


def _first_reason(*actions) -> str:
    """The reason a person who could take one of these actions may not take it now (help text), else ""."""
    return next((a.reason for a in actions if a.offer_reason), "")


def _certificate_to_correct(participant: Participant, certificate) -> bool:
    """A certificate suspended because its results were corrected after it was issued: after the new decision
    the LSP admin reinstates or replaces it (still K) or withdraws it (no longer K) on the certificate's page."""
    from ..certificates import suspended_after_correction

    if certificate is None:
        return False
    return suspended_after_correction(participant.certificates.filter(pk=certificate.pk)).exists()


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
                                                         "explanation": row.explanation})
    return run_form(request, form, lambda data: services.result_correct(row, actor=request.user, **data),
                    success=_("The correction is saved and recorded in the audit trail."),
                    redirect_to=reverse("assessments:participant", args=[row.participant_id]),
                    template="core/form_page.html",
                    context={"title": _("Correct the result of unit %(code)s") % {"code": row.unit.code}})



# --- the results grid: every participant × every unit of an event on one page ------------------------------------

def _grid_rows(event: Event, user, participants) -> tuple[list, list]:
    """The columns (units, in scheme order) and a row per participant: each cell the recorded result, whether the
    unit is assessed in this sitting, and the row's reason it cannot be recorded now (empty: it can). A constant
    number of queries whatever the size: the rule of each row is the workflow's own (``result_recorded``), read
    from rows loaded with what it needs."""
    from schemes.models import SchemeUnit

    participants = list(participants.select_related("application__applicant", "assessor__user")
                        .prefetch_related("assessor__schemes", "reassess_units").order_by("application__applicant_name",
                                                                                          "pk"))
    links = list(SchemeUnit.objects.filter(scheme_id__in={p.application.scheme_id for p in participants}
                                           | {event.scheme_id}).select_related("unit").order_by("position", "pk"))
    units, by_scheme = {}, {}
    for link in links:
        units.setdefault(link.unit_id, link.unit)
        by_scheme.setdefault(link.scheme_id, set()).add(link.unit_id)
    results = {(r.participant_id, r.unit_id): r for r in UnitResult.objects.filter(participant__in=participants)}
    for p in participants:
        p.event = event  # one event object for every row's rule
    # issue 19: the plan's evidence per cell with the instrument records behind it (two queries for the grid)
    evidence = instrument_views.grid_evidence(participants) if event.plan_id else {}
    rows = []
    for p in participants:
        assessed = by_scheme.get(p.application.scheme_id, set())
        if p.reassessment_of_id:
            assessed = assessed & {u.pk for u in p.reassess_units.all()}
        action = allowed_actions(p, user, only=("result_recorded",))["result_recorded"]
        rows.append({"p": p, "editable": action.allowed, "reason": action.reason if action.offer_reason else "",
                     "cells": [{"unit": u, "result": results.get((p.pk, u.pk)), "assess": u.pk in assessed,
                                **evidence.get((p.pk, u.pk), {})} for u in units.values()]})
    return list(units.values()), rows


@role_required(Role.ASSESSOR, ADMIN)
def event_grid(request, pk):
    """The assessor's grid of their participants of the event (the LSP admin sees every participant, read-only).
    Each cell is saved on its own as it changes (:func:`event_grid_save`)."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    participants = event.participants.all()
    is_admin = request.user.has_role(ADMIN)
    if not is_admin:
        participants = participants.filter(assessor__user=request.user)
    units, rows = _grid_rows(event, request.user, participants)
    return render(request, "assessments/grid.html", {
        "event": event, "units": units, "rows": rows, "read_only": is_admin and not any(r["editable"] for r in rows),
        "results_choices": Result.choices})


@require_POST
@role_required(Role.ASSESSOR)
def event_grid_save(request, pk):
    """One cell of the grid (JSON): the result service records it with its rules, or its refusal is answered."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    participant = event.participants.filter(pk=request.POST.get("participant") or None,
                                            assessor__user=request.user).first()
    from schemes.models import Unit

    unit = Unit.objects.filter(pk=request.POST.get("unit") or None).first()
    if participant is None or unit is None:
        raise Http404
    refusal = {}
    data = {k: request.POST.get(k, "") for k in ("result", "evidence", "explanation", "evidence_gap_reason")}
    saved = run_service(request, lambda: _record_result(participant, request.user, unit, data),
                        refused=lambda exc: refusal.setdefault("message", exc.message))
    if not saved:
        return JsonResponse({"saved": False, "message": refusal["message"]}, status=422)
    row = UnitResult.objects.get(participant=participant, unit=unit)
    return JsonResponse({"saved": True, "result": row.result, "evidence": row.evidence,
                         "explanation": row.explanation, "evidence_gap_reason": row.evidence_gap_reason,
                         "message": str(_("saved"))})

"""Staff pages about test events: the lists, the event page with its eight SOP steps, the step and review
buttons, attendance, the berita acara and the minutes.

Thin views: role check, object from the role's queryset (403 otherwise), form, one service call, message."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST

from applicants.models import Application
from assessments.events import services
from assessments.events.forms import (
    EventForm,
)
from assessments.events.models import (
    Assessor,
    ConfirmedHow,
    Event,
    EventReview,
    EventStatus,
    Participant,
    Result,
)
from assessments.events.selectors import (
    event_candidates,
    events_assessed_by,
    events_counted,
    events_visible_to,
    get_or_403,
)
from assessments.events.views import panels, rows
from assessments.events.views.readiness_context import readiness_context  # seed 002 steps 2 and 5
from assessments.events.workflow.events import REVIEW_ROLES, STEP_TRANSITIONS
from assessments.events.workflow.next_act import STEP_ACTIONS, next_act
from certportal import kept_pages
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.signing.services import signing_history
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form, run_service
from certportal.workqueue import kept, reads

EVENT_ROLES = (Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR, Role.ASSESSOR, Role.TUK_HEAD)



ADMIN = Role.LSP_ADMIN



def _list_events(qs):
    # A correlated count, evaluated for the 25 shown rows only (a JOIN + GROUP BY counted all 200,000
    # participants of every event before the page was cut: 2 s).
    participants = (Participant.objects.filter(event=OuterRef("pk")).order_by().values("event")
                    .annotate(n=Count("id")).values("n"))
    # only what the table shows, as values: ``rows.events_table`` draws them (no three models per row)
    return (qs.annotate(n_participants=Coalesce(Subquery(participants), 0))
            .values("id", "starts_at", "status", "n_participants", scheme_code=F("scheme__code"),
                    scheme_name=F("scheme__name"), site=F("test_site__name")).order_by("-starts_at", "-id"))



@role_required(*EVENT_ROLES)
def events(request):
    visible = events_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in EventStatus.values:
        visible = visible.filter(status=status)
    page = rows.page_of(_list_events(visible), events_counted(request.user, visible, status), request.GET.get("page"))
    return render(request, "assessments/events.html", {
        "page": page, "params": f"status={status}" if status else "", "statuses": EventStatus.choices,
        "status": status, "title": _("Test events"), "table": rows.events_table(page)})



@role_required(Role.ASSESSOR)
def assessor_home(request):
    return render(request, "assessments/assessor_home.html", kept(assessor_lists, request.user))


@reads("assessments.Event", "assessments.EventAssessor", "assessments.Assessor", "assessments.Participant",
       "accounts.User", "schemes.Scheme", "schemes.TestSite")
def assessor_lists(user) -> dict:
    """The assessor's home: their events still open and those reviewed, and their registration (kept until one
    of the models read changes: ``certportal.workqueue.kept``)."""
    qs = _list_events(events_assessed_by(user))
    return {"open": rows.events_table(qs.exclude(status__in=[EventStatus.REVIEWED, EventStatus.ARCHIVED])[:50]),
            "done": rows.events_table(qs.filter(status__in=[EventStatus.REVIEWED, EventStatus.ARCHIVED])[:20]),
            "assessor": Assessor.objects.filter(user=user).prefetch_related("schemes").first()}


@role_required(Role.TUK_HEAD, Role.QUALITY)
def reviews(request):
    return render(request, "assessments/reviews.html", kept(review_lists, request.user))


@reads("assessments.Event", "assessments.EventReview", "assessments.Participant", "schemes.Scheme",
       "schemes.TestSite")
def review_lists(user) -> dict:
    """The reviewers' home (Kepala TUK, quality): the events to prepare, to review, signed by the reader and
    reviewed (kept until one of the models read changes)."""
    qs = _list_events(events_visible_to(user))
    # An event the reader has signed waits only for the other reviewer: it leaves their list for "signed".
    waiting = qs.filter(status=EventStatus.REPORT_SIGNED)
    mine = EventReview.objects.filter(signed_by=user).values("event")
    to_prepare = list(qs.filter(status=EventStatus.SCHEDULE_SENT)[:50]) if user.has_role(Role.TUK_HEAD) else []
    signed = list(waiting.filter(pk__in=mine)[:50])
    return {
        "to_review": rows.events_table(waiting.exclude(pk__in=mine)[:50]),
        "signed": signed and rows.events_table(signed), "to_prepare": to_prepare and rows.events_table(to_prepare),
        "reviewed": rows.events_table(qs.filter(status__in=[EventStatus.REVIEWED, EventStatus.ARCHIVED])[:20])}


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
    candidates = event_candidates(event, request.GET.get("calon", "")) if is_admin and not event.is_locked else None
    return {
        "event": event, "participants": participants, "links": links,
        "steps": _step_rows(event, actions, step, len(participants)), "next_step": step, "actions": actions,
        **_next_act(event, user),
        "reviews": event.reviews.select_related("signed_by"), "review_roles": _review_roles(event),
        "confirm_how": [c for c in ConfirmedHow.choices if c[0] != ConfirmedHow.PORTAL],
        "unconfirmed": [link for link in links if not link.confirmed_at and link.assessor.is_active],
        "self_confirm": any(link.assessor.user_id == user.pk and not link.confirmed_at for link in links),
        "unreached": [p for p in participants if not p.attendance_confirmed_at and not p.reached_at],
        "is_admin": is_admin, "is_event_assessor": any(link.assessor.user_id == user.pk for link in links),
        "candidates": candidates,
        "free_assessors": Assessor.objects.filter(schemes__code=event.scheme.code, is_active=True,
                                                  user__is_active=True)
        .exclude(event_links__event=event).select_related("user").distinct() if is_admin else [],
        "history": history_for(event), "day_open": actions["attendance_recorded"].allowed,
        "decided": any(p.decision for p in participants),
        "reviewed": event.reached(EventStatus.REVIEWED),
        **readiness_context(user, event, actions),
        "report_signing": next(iter(signing_history("report", event.pk, limit=1)), None),
        # the plan and the FR.AK.05/06 records (instruments), the print jobs (certificates)
        **panels.context("event", user, event),
    }



def _next_act(event: Event, user) -> dict:
    """The line saying who acts next and where (every reader sees it; the link is for those who act)."""
    act = next_act(event)
    return {"next_act": act, "next_act_link": bool(act and act.for_viewer(user))}


# The SOP step each action belongs to (STEP_ACTIONS), for the step table: the buttons of a step are the actions
# the reader may take now (allowed_actions), and an action they could take but may not yet shows why.



# The step acts that sign, lock or close ask first, each stating its own consequence (``data-confirm``), counted:
# each reaches the results of every participant of the event.
STEP_CONSEQUENCES = {
    "report_signed_by_assessor": ngettext_lazy(
        "You sign the official report (berita acara) of %(n)d participant as assessor; your signature cannot be "
        "withdrawn. The result stays open until the head of the test site signs last. Sign now?",
        "You sign the official report (berita acara) of %(n)d participants as assessor; your signature cannot be "
        "withdrawn. The results stay open until the head of the test site signs last. Sign now?", "n"),
    "report_signed": ngettext_lazy(
        "Signing the official report (berita acara) as head of the test site locks the results of this event, of "
        "%(n)d participant: no result can be changed afterwards, and the event goes to review. Sign now?",
        "Signing the official report (berita acara) as head of the test site locks the results of this event, of "
        "%(n)d participants: no result can be changed afterwards, and the event goes to review. Sign now?", "n"),
    "review_signed": ngettext_lazy(
        "You sign the review of this event; your signature cannot be withdrawn. When every reviewer has signed, the "
        "event goes to the LSP for its decision on %(n)d participant. Sign now?",
        "You sign the review of this event; your signature cannot be withdrawn. When every reviewer has signed, the "
        "event goes to the LSP for its decisions on %(n)d participants. Sign now?", "n"),
    "archived": ngettext_lazy(
        "Archiving closes this event for good: nothing in it can be changed afterwards, the record of its "
        "%(n)d participant included. Archive now?",
        "Archiving closes this event for good: nothing in it can be changed afterwards, the records of its "
        "%(n)d participants included. Archive now?", "n"),
}


def _step_rows(event: Event, actions: dict, current: int | None, participants: int) -> list:
    steps = list(event.steps.select_related("done_by"))
    for s in steps:
        s.actions = [{"action": actions[name], "url": actions[name].url(event),
                      "confirm": STEP_CONSEQUENCES[name] % {"n": participants} if name in STEP_CONSEQUENCES else ""}
                     for name in STEP_ACTIONS[s.number] if s.number == current]
        # a button or a reason the reader sees (an act only another role takes shows them nothing: the cell says —)
        s.shown = any(x["action"].allowed or x["action"].offer_reason for x in s.actions)
    return steps



def _review_roles(event: Event) -> list[dict]:
    signed = {r.role: r for r in event.reviews.select_related("signed_by")}
    return [{"role": Role(role).label, "review": signed.get(role)} for role in REVIEW_ROLES]



@role_required(*EVENT_ROLES)
def event_detail(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    return kept_pages.page(request, "assessments/event.html", "assessments.event", event,
                           lambda: _event_context(request, event), around={"event": event})



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
@role_required(ADMIN)
def event_reached(request, pk):
    """SOP step 4: the LSP admin records how and when a participant who has not confirmed was reached."""
    participant = Participant.objects.filter(pk=request.POST.get("participant") or None).first()
    try:
        when = timezone.make_aware(datetime.datetime.fromisoformat(request.POST.get("reached_at", "")[:16]))
    except (ValueError, TypeError):
        when = None
    return _event_action(request, pk, lambda e, note, ip: services.participant_reached(
        e, actor=request.user, participant=participant, how=request.POST.get("how", ""), reached_at=when, note=note,
        ip=ip), _("The contact is recorded."))


@require_POST
@role_required(ADMIN)
def event_plan_adopt(request, pk):
    """FR.MAPA.01: the LSP admin sets the scheme's plan in force on the event (its button in the plan section)."""
    return _event_action(request, pk, lambda e, note, ip: services.event_plan_adopt(
        e, actor=request.user, note=note, ip=ip), _("The assessment plan in force is adopted for this event."))


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
            success=_attendance_saved(event, participants),
            redirect_to=reverse("assessments:event", kwargs={"pk": event.pk}),
            error_redirect=reverse("assessments:event-attendance", kwargs={"pk": event.pk}))
    action = allowed_actions(event, request.user)["attendance_recorded"]
    return render(request, "assessments/attendance.html", {
        "event": event, "participants": event.participants.select_related("application"), "action": action,
        "links": event.event_assessors.select_related("assessor__user"),
        "active_links": event.event_assessors.filter(assessor__is_active=True).select_related("assessor__user")})



def _attendance_all_present(request, event: Event):
    """"All present" with exceptions: the ticked participants and assessors are absent, every other one present (the
    assessors too: leaving them out left the event asking for everyone's attendance). The first post shows who will
    be marked absent; the confirmed second post records it through the one attendance service."""
    participants = list(event.participants.select_related("application__applicant"))
    links = list(event.event_assessors.filter(assessor__is_active=True).select_related("assessor__user"))
    ticked, ticked_assessors = set(request.POST.getlist("absent")), set(request.POST.getlist("absent_assessor"))
    absent = [p for p in participants if str(p.pk) in ticked]
    absent_assessors = [link for link in links if str(link.pk) in ticked_assessors]
    if request.POST.get("confirm") != "1":
        action = allowed_actions(event, request.user)["attendance_recorded"]
        return render(request, "assessments/attendance_confirm.html", {
            "event": event, "absent": absent, "n_present": len(participants) - len(absent), "action": action,
            "absent_assessors": absent_assessors, "present_assessors": [x for x in links if x not in absent_assessors]})
    marked = {p.pk: p not in absent for p in participants}
    return run_action(request, lambda data: services.attendance_record(
        event, actor=request.user, participants=marked,
        assessors={link.pk: link not in absent_assessors for link in links}, ip=client_ip(request)),
        success=_attendance_saved(event, marked),
        redirect_to=reverse("assessments:event", kwargs={"pk": event.pk}),
        error_redirect=reverse("assessments:event-attendance", kwargs={"pk": event.pk}))


def _attendance_saved(event: Event, marked: dict[int, bool]) -> str:
    """What a save of attendance kept, in one line: who is present, who absent, how many are not marked yet."""
    present = sum(marked.values())
    left = event.participants.exclude(pk__in=marked).filter(attended__isnull=True).count()
    saved = _("Attendance is saved: %(present)s present, %(absent)s absent.") % {
        "present": present, "absent": len(marked) - present}
    if left:
        saved += " " + _("Not marked yet: %(left)s participant(s).") % {"left": left}
    return saved



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


"""Staff pages: the officer's home, the list, staff entry, the record and its actions (thin: form, service)."""

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal import figures
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.forms import search_terms
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.sla import services as sla
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form

from .. import queries, services
from ..forms import (
    AnalysisForm,
    AnswerForm,
    ClassifyForm,
    CloseForm,
    NoteForm,
    RouteForm,
    StaffComplaintForm,
)
from ..models import FIGURES, OPEN_STATES, Kind, Status
from .rows import rows_html

OFFICER = Role.COMPLAINT_OFFICER
STAFF = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)


def _desk_tables(visible, today) -> dict:
    """The desk's three tables (20 rows each, oldest first), drawn."""
    open_qs = visible.filter(status__in=OPEN_STATES)
    due_soon = sla.filter_deadline_state(open_qs, "complaint-answer", "due_soon", today=today)
    # an open complaint past its answer limit is marked overdue, as on the list
    return {name: rows_html(queries.for_table(qs).order_by("received_at")[:20], today=today)
            for name, qs in (("open", open_qs), ("overdue", queries.overdue(visible, today=today)),
                             ("due_soon", due_soon))}


@role_required(OFFICER)
def officer_home(request):
    visible = queries.complaints_visible_to(request.user)
    today = timezone.localdate()
    # The same for every officer (an officer sees every complaint: queries.complaints_visible_to): drawn once a
    # minute and day, forgotten by any change of a complaint or a clock (three queries and most of the page's work)
    tables = figures.kept(FIGURES, ("desk", today), lambda: _desk_tables(visible, today))
    counts = queries.status_counts()
    return render(request, "complaints/officer_home.html", {
        **tables,
        "counts": [(s.label, counts.get(s.value, 0), s.value) for s in Status],
    })


@role_required(*STAFF)
def complaint_list(request):
    qs = queries.complaints_visible_to(request.user)
    status, kind, q = request.GET.get("status", ""), request.GET.get("kind", ""), search_terms(request)
    if status in Status.values:
        qs = qs.filter(status=status)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(tracking_number__icontains=q) | Q(name__icontains=q) | Q(object_text__icontains=q)
                       | Q(email__icontains=q))
    # newest first, off the index in this order: a page is 25 index entries, not a sort of every complaint
    paginator = Paginator(queries.for_table(qs).order_by("-received_at", "-id"), 25)
    if not q:  # every complaint, or those of a state or kind: counted once a minute, forgotten by any change
        paginator.count = figures.kept(FIGURES, ("list-count", status, kind), qs.count)
    page = paginator.get_page(request.GET.get("page"))
    params = urlencode([(k, v) for k, v in (("status", status), ("kind", kind), ("q", q)) if v])  # "&" in a search
    return render(request, "complaints/list.html", {
        "page": page, "params": params, "statuses": Status.choices, "kinds": Kind.choices,
        "status": status, "kind": kind, "q": q, "rows": rows_html(page, today=timezone.localdate()),
    })


@role_required(OFFICER)
def staff_new(request):
    def file(data):
        day = data["received_on"]
        received_at = timezone.now() if day == timezone.localdate() else timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9, 0)))
        return services.complaint_file(data=data, files=data["attachments"], actor=request.user,
                                       channel=data["channel"], received_at=received_at)

    return run_form(request, StaffComplaintForm(request.POST or None, request.FILES or None), file,
                    success=lambda complaint: _("%(number)s recorded as %(kind)s.") % {
                        "number": complaint.tracking_number, "kind": complaint.get_kind_display().lower()},
                    redirect_to=lambda complaint: complaint, template="complaints/staff_form.html",
                    context={"title": _("Record a complaint")})


def _clock_row(label, clock) -> tuple:
    state = sla.clock_state(clock) if clock else ""
    return label, clock, sla.state_label(state), state


def _get(request, pk: int):
    return get_object_or_404(queries.complaints_visible_to(request.user), pk=pk)


@role_required(*STAFF)
def detail(request, pk: int):
    complaint = _get(request, pk)
    clocks = [(label, sla.clock_for(complaint, code)) for label, code in (
        (_("Follow-up (3 working days)"), services.FOLLOWUP), (_("Answer (14 working days)"), services.ANSWER))]
    return render(request, "complaints/detail.html", {
        "complaint": complaint,
        "actions": allowed_actions(complaint, request.user),
        "clocks": [_clock_row(label, clock) for label, clock in clocks],
        "earlier": queries.earlier_records(complaint),
        "attachments": complaint.attachments.all(), "updates": complaint.updates.all(),
        "history": history_for(complaint),
        "classify_form": ClassifyForm(initial={"service": complaint.service, "component": complaint.component}),
        "analysis_form": AnalysisForm(instance=complaint), "route_form": RouteForm(),
        "note_form": NoteForm(), "answer_form": AnswerForm(), "close_form": CloseForm(),
    })


def _act(request, pk: int, form_class, call, success: str):
    """POST only: the one workflow view helper validates the form, runs the service and shows its message."""
    complaint = _get(request, pk)
    form = form_class(request.POST, instance=complaint) if form_class is AnalysisForm else form_class(request.POST)
    ip = client_ip(request)
    return run_action(request, lambda data: call(complaint, data, ip), form=form, success=success,
                      redirect_to=complaint)


@role_required(OFFICER)
@require_POST
def classify(request, pk: int):
    return _act(request, pk, ClassifyForm, lambda c, d, ip: services.complaint_classify(
        complaint=c, actor=request.user, service=d["service"], component=d["component"], ip=ip), _("Classified."))


@role_required(OFFICER)
@require_POST
def start_analysis(request, pk: int):
    return _act(request, pk, CloseForm, lambda c, d, ip: services.complaint_start_analysis(
        complaint=c, actor=request.user, ip=ip), _("Analysis started."))


@role_required(OFFICER)
@require_POST
def analysis(request, pk: int):
    return _act(request, pk, AnalysisForm, lambda c, d, ip: services.complaint_record_analysis(
        complaint=c, actor=request.user, ip=ip, **d), _("Analysis saved."))


@role_required(Role.SUPERVISOR)
@require_POST
def approve_apip(request, pk: int):
    return _act(request, pk, NoteForm, lambda c, d, ip: services.complaint_approve_apip(
        complaint=c, actor=request.user, note=d["note"], ip=ip), _("Approval to involve APIP recorded."))


@role_required(OFFICER)
@require_POST
def route(request, pk: int):
    return _act(request, pk, RouteForm, lambda c, d, ip: services.complaint_route(
        complaint=c, actor=request.user, route=d["route"], detail=d["detail"], ip=ip), _("Route recorded."))


@role_required(OFFICER)
@require_POST
def escalate(request, pk: int):
    return _act(request, pk, NoteForm, lambda c, d, ip: services.complaint_escalate(
        complaint=c, actor=request.user, note=d["note"], ip=ip), _("Escalated to the next level."))


@role_required(OFFICER)
@require_POST
def progress(request, pk: int):
    return _act(request, pk, NoteForm, lambda c, d, ip: services.complaint_post_progress(
        complaint=c, actor=request.user, text=d["note"], ip=ip), _("Progress posted on the tracking page."))


@role_required(OFFICER)
@require_POST
def answer(request, pk: int):
    return _act(request, pk, AnswerForm, lambda c, d, ip: services.complaint_answer(
        complaint=c, actor=request.user, answer=d["answer"], superior_report=d["superior_report"], ip=ip),
        _("Answer sent and reported to the superior."))


@role_required(OFFICER)
@require_POST
def close(request, pk: int):
    return _act(request, pk, CloseForm, lambda c, d, ip: services.complaint_close(
        complaint=c, actor=request.user, note=d["note"], ip=ip), _("Closed."))


@role_required(*STAFF)
def attachment(request, pk: int, attachment_id: int):
    complaint = _get(request, pk)
    att = get_object_or_404(complaint.attachments, pk=attachment_id)
    return att.response()

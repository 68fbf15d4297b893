"""Corrective actions: the list (readers), "my corrective actions" (their owners, whatever their role), an action's
page with its evidence, and the acts on it (record the correction and the cause, add evidence, report done, send
back, check the effectiveness and close)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certportal import kept_pages
from certportal.audit.services import history_for
from certportal.net import client_ip
from certportal.pagination import CappedPaginator
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action
from quality.kept_pages import ACTIONS

from .. import selectors, services
from ..forms import AnalysisForm, EffectivenessForm, EvidenceForm, ReasonForm
from ..models import ActionStatus, CorrectiveAction

PAGE_SIZE = 25
# lazy: read in the reader's language when the page is drawn (a gettext here would freeze the default, Indonesian)
STATES = [("open", gettext_lazy("Not closed")), ("overdue", gettext_lazy("Overdue")), ("closed", gettext_lazy("Closed")),
          ("all", gettext_lazy("All"))]


def _filtered(qs, state: str, today):
    if state == "open":
        return qs.exclude(status=ActionStatus.CLOSED)
    if state == "overdue":
        return qs.exclude(status=ActionStatus.CLOSED).filter(due_on__lt=today)
    if state == "closed":
        return qs.filter(status=ActionStatus.CLOSED)
    return qs


def _list(request, qs, *, mine: bool):
    """Kept per reader (``quality.kept_pages``): "my corrective actions" is at its own address."""
    def draw() -> dict:
        today = timezone.localdate()
        state = request.GET.get("state", "open")
        state = state if state in dict(STATES) else "open"
        page = CappedPaginator(_filtered(qs, state, today), PAGE_SIZE).get_page(request.GET.get("page"))
        return {"page": page, "rows": page.object_list, "today": today, "state": state,
                "states": [(code, str(label)) for code, label in STATES]}

    return kept_pages.page(request, "quality/system/action_list.html", ACTIONS, kept_pages.WHOLE, draw,
                           around={"mine": mine})


@role_required(*selectors.READERS)
def action_list(request):
    return _list(request, selectors.actions(), mine=False)


def my_actions(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff_member:
        raise PermissionDenied
    return _list(request, selectors.actions_of(request.user), mine=True)


def _visible(request, pk: int) -> CorrectiveAction:
    if not request.user.is_authenticated:
        raise PermissionDenied
    action = get_object_or_404(selectors.actions(), pk=pk)
    if not selectors.may_see_action(request.user, action):
        raise PermissionDenied
    return action


@role_required(*selectors.READERS, *selectors.STAFF)
def action_detail(request, pk: int):
    action = _visible(request, pk)
    return render(request, "quality/system/action_detail.html", {
        "action": action, "evidence": action.evidence.select_related("uploaded_by"),
        "actions": allowed_actions(action, request.user), "today": timezone.localdate(),
        "evidence_form": EvidenceForm(), "history": history_for(action),
        # the audit or review behind the finding is the readers' page: its owner in another role reads the
        # finding here, without a link that would answer 403 (issue 43)
        "review_link": selectors.may_read(request.user)})


@role_required(*selectors.READERS, *selectors.STAFF)
def evidence_file(request, pk: int, evidence_id: int):
    action = _visible(request, pk)
    item = get_object_or_404(action.evidence, pk=evidence_id)
    return item.response()


@role_required(*selectors.STAFF)
@require_POST
def evidence_add(request, pk: int):
    action = _visible(request, pk)
    return run_action(request, lambda d: services.evidence_add(action, actor=request.user, upload=d["file"],
                                                               note=d["note"], ip=client_ip(request)),
                      form=EvidenceForm(request.POST, request.FILES), success=_("The evidence is attached."),
                      redirect_to=action)


def _take(request, pk: int, name: str, success: str, form_class=None):
    action = _visible(request, pk)
    return run_action(request, lambda d: services.action_take(action, name, actor=request.user,
                                                              reason=d.get("reason", ""), ip=client_ip(request)),
                      form=form_class(request.POST) if form_class else None, success=success, redirect_to=action)


@role_required(*selectors.STAFF)
@require_POST
def action_complete(request, pk: int):
    return _take(request, pk, "completed", _("Reported done: someone else now checks the evidence and closes it."))


@role_required(*selectors.STAFF)
@require_POST
def action_return(request, pk: int):
    return _take(request, pk, "returned", _("Sent back to its owner."), ReasonForm)


@role_required(*selectors.STAFF)
@require_POST
def action_close(request, pk: int):
    return _take(request, pk, "closed", _("The corrective action is checked effective and closed."),
                 EffectivenessForm)


@role_required(*selectors.STAFF)
@require_POST
def action_analysis(request, pk: int):
    action = _visible(request, pk)
    return run_action(request, lambda d: services.action_analyse(action, actor=request.user, ip=client_ip(request),
                                                                 correction=d["correction"], cause=d["cause"]),
                      form=AnalysisForm(request.POST), success=_("The correction and the cause are recorded."),
                      redirect_to=action)

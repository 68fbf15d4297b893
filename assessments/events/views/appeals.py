"""Appeals (banding): the list and the decision page."""

from django.db.models import F
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.events import services
from assessments.events.forms import AppealDecisionForm
from assessments.events.models import Result
from assessments.events.selectors import appeals_visible_to, get_or_403
from assessments.events.views import rows
from certportal.accounts.models import Role
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_form

STAFF = (Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR)


@role_required(*STAFF)
def appeal_list(request):
    visible = appeals_visible_to(request.user)
    values = visible.values(  # only what a row shows, as values (rows.appeal_rows)
        "id", "filed_at", "status", "outcome", name=F("participant__application__applicant_name"),
        scheme_code=F("participant__event__scheme__code")).order_by("status", "-filed_at")
    page = rows.page_of(values, visible, request.GET.get("page"))
    return render(request, "assessments/appeals.html", {"page": page, "params": "", "rows": rows.appeal_rows(page)})


@role_required(*STAFF)
def appeal_detail(request, pk):
    appeal = get_or_403(appeals_visible_to(request.user), pk=pk)
    p = appeal.participant
    bk_rows = p.results.filter(result=Result.BK).select_related("unit")
    form = AppealDecisionForm(request.POST or None, bk_units=[r.unit for r in bk_rows])

    def page() -> dict:
        # the buttons' rules are the machine's (assessments/events/workflow/participants.py: assessments.appeal.*)
        actions = allowed_actions(appeal, request.user)
        return {"appeal": appeal, "p": p, "results": p.results.select_related("unit").order_by("unit__code"),
                "actions": actions, "may_decide": actions["dismissed"].allowed or actions["upheld"].allowed,
                "refused": next((a.reason for a in actions.values() if a.offer_reason), "")}

    return run_form(request, form, lambda data: services.appeal_decide(
        appeal, actor=request.user, outcome=data["outcome"], note=data["note"], unit_ids=data["units"]),
        success=_("The appeal is decided."), redirect_to=reverse("assessments:appeal", args=[appeal.pk]),
        template="assessments/appeal.html", context=page)

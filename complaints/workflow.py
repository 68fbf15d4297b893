"""The complaint's state machine, declared for the workflow core (registered in ``ComplaintsConfig.ready``).

received → classified (complaint or suggestion) → in_analysis → routed → answered → closed; a suggestion may be
answered straight after classification (nothing to investigate). Actions that keep the status (recording the
analysis, the head's APIP approval, escalation, a progress note) are transitions too, so the same rules decide
the buttons and the services, and every one is audited.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal import dates
from certportal.accounts.models import Role
from certportal.errors import PortalError, TransitionRefused
from certportal.workflow import Machine, Transition

from .models import OPEN_STATES, Complaint, Kind, Level, Route, Status

OFFICER, HEAD = (Role.COMPLAINT_OFFICER,), (Role.SUPERVISOR,)


class ComplaintError(PortalError):
    """A refused complaint action or survey answer, with a message for the user."""


class ComplaintRefused(ComplaintError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


def _not_before_receipt(c: Complaint, user, at) -> str | None:
    if at < c.received_at:
        return _("Nothing can be recorded before %(date)s, when the report was received.") % {
            "date": dates.wib(c.received_at)}
    return None


def _classify_values(c, changes, at) -> str | None:
    if not changes.get("service") or not changes.get("component"):
        return _("Choose the service and the component of the service standard.")
    return None


def _analysable(c: Complaint, user, at) -> str | None:
    if c.kind == Kind.SUGGESTION:
        return _("A suggestion is answered directly; it is not analysed as a complaint.")
    return None


def _apip_not_yet_approved(c: Complaint, user, at) -> str | None:
    return _("APIP involvement was already approved.") if c.apip_approved_at else None


def _analysis_recorded(c: Complaint, user, at) -> str | None:
    if not (c.core_problem.strip() and c.standard_concerned.strip() and c.planned_handling.strip()):
        return _("Record the core problem, the standard or rule concerned and the planned handling before "
                 "choosing a route.")
    return None


def _route_values(c: Complaint, changes, at) -> str | None:
    route, detail = changes.get("route"), changes.get("route_detail", "")
    if route not in Route.values:
        return _("Choose a route.")
    if route == Route.APIP and not c.apip_approved_at:
        return _("Handing a complaint to APIP needs the head's recorded approval first.")
    if route == Route.TECHNICAL and not detail.strip():
        return _("Name the technical team or agency involved.")
    return None


def _escalable(c: Complaint, user, at) -> str | None:
    if c.route == Route.APIP or not c.route:
        return _("Only a routed complaint handled inside the office or with a technical team can be escalated.")
    if (c.level or 0) >= Level.HEAD:
        return _("The complaint is already with the head of the agency.")
    return None


def _answerable(c: Complaint, user, at) -> str | None:
    if c.status == Status.CLASSIFIED and c.kind != Kind.SUGGESTION:
        return _("A complaint is answered after its analysis and route.")
    if c.kind == Kind.COMPLAINT and not c.findings.strip():
        return _("Record the findings before answering.")
    return None


def _answer_values(c, changes, at) -> str | None:
    if not (changes.get("answer") or "").strip() or not (changes.get("superior_report") or "").strip():
        return _("Write both the answer to the complainant and the report to the superior.")
    return None


S = Status
MACHINE = Machine(
    model=Complaint, states=Status, guard=_not_before_receipt, refused=ComplaintRefused,
    labels={"received": gettext_lazy("received")},
    transitions=[
        Transition("classified", {S.RECEIVED}, S.CLASSIFIED, gettext_lazy("classified"), gettext_lazy("Classify"), OFFICER,
                   validate=_classify_values, url_name="complaints:classify"),
        Transition("analysis_started", {S.CLASSIFIED}, S.IN_ANALYSIS, gettext_lazy("analysis started"),
                   gettext_lazy("Start the analysis"), OFFICER, guard=_analysable, url_name="complaints:start-analysis"),
        Transition("analysis_recorded", {S.IN_ANALYSIS, S.ROUTED}, None, gettext_lazy("analysis recorded"),
                   gettext_lazy("Save the analysis"), OFFICER, url_name="complaints:analysis"),
        Transition("apip_approved", {S.IN_ANALYSIS}, None, gettext_lazy("APIP involvement approved by the head"),
                   gettext_lazy("Record my approval"), HEAD, guard=_apip_not_yet_approved, needs_reason=True,
                   reason_prompt=gettext_lazy("Write the approval note."), stamp="apip_approved_at",
                   url_name="complaints:approve-apip"),
        Transition("routed", {S.IN_ANALYSIS}, S.ROUTED, gettext_lazy("routed for resolution"), gettext_lazy("Choose this route"),
                   OFFICER, guard=_analysis_recorded, validate=_route_values, url_name="complaints:route"),
        Transition("escalated", {S.ROUTED}, None, gettext_lazy("escalated"), gettext_lazy("Escalate"), OFFICER, guard=_escalable,
                   needs_reason=True, reason_prompt=gettext_lazy("Write the report for the next level."),
                   url_name="complaints:escalate"),
        Transition("answered", {S.CLASSIFIED, S.ROUTED}, S.ANSWERED, gettext_lazy("answered"), gettext_lazy("Send the answer"),
                   OFFICER, guard=_answerable, validate=_answer_values, stamp="answered_at",
                   url_name="complaints:answer"),
        Transition("closed", {S.ANSWERED}, S.CLOSED, gettext_lazy("closed"), gettext_lazy("Close formally"), OFFICER,
                   stamp="closed_at", url_name="complaints:close"),
        Transition("progress_posted", set(OPEN_STATES), None, gettext_lazy("progress reported"), gettext_lazy("Post progress"),
                   OFFICER, needs_reason=True, reason_prompt=gettext_lazy("Write the progress message."),
                   url_name="complaints:progress"),
    ],
)

"""The verifier's screen for one dossier: document by document (the file beside its decision and its notes,
previous and next), the checks, and the decisions on the dossier."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from certportal import kept_pages
from certportal.audit.services import history_for
from certportal.net import client_ip
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_service

from .. import hooks, services
from ..forms import CheckForm, DocumentReviewForm, ReasonForm, ReturnForm
from ..models import Application, ApplicationDocument, DocumentAccess
from ..selectors import applications_visible_to
from .applicant import _clock, _documents, clock_rules
from .verifier import actor_only, reader_only


def _visible(request, pk: int) -> Application:
    return get_object_or_404(applications_visible_to(request.user).select_related("scheme", "applicant"), pk=pk)


def _shown_files(document, wanted: str):
    """Every current file of ``document`` in slot order (three photos are photos 1, 2 and 3) and the one to show:
    ``?file=`` picks any of them or an earlier version, so the verifier sees each file they accept."""
    if document is None:
        return [], None
    files = list(document.files.all())
    current = sorted((f for f in files if f.superseded_at is None), key=lambda f: (f.slot, f.uploaded_at, f.pk))
    shown = next((f for f in files if wanted.isdigit() and f.pk == int(wanted)), None)
    return current, shown or (current[0] if current else None)


def _waiting(document) -> bool:
    return bool(document.n_current) and document.review == document.Review.PENDING


def _selected(documents: list, wanted: str):
    """The document on screen: the one asked for, else the first still waiting for a decision, else the first
    with files, else the first."""
    chosen = next((d for d in documents if wanted.isdigit() and d.pk == int(wanted)), None)
    return chosen or next((d for d in documents if _waiting(d)), None) or \
        next((d for d in documents if d.n_current), None) or (documents[0] if documents else None)


def next_waiting(documents: list, current_pk: int) -> int:
    """The document to go to after deciding ``current_pk``: the next one still waiting (after it in the dossier's
    order, then from the start), else the next one, else the same."""
    at = next((i for i, d in enumerate(documents) if d.pk == current_pk), 0)
    after = documents[at + 1:] + documents[:at]
    return next((d.pk for d in after if _waiting(d)), None) or (after[0].pk if after else current_pk)


def _position(documents: list, selected) -> dict:
    if selected is None:
        return {}
    at = documents.index(selected)
    return {"position": at + 1, "previous_doc": documents[at - 1] if at else None,
            "next_doc": documents[at + 1] if at + 1 < len(documents) else None}


@reader_only
def verify_screen(request, pk: int):
    app = _visible(request, pk)
    # the openings are drawn on every view (the file shown in the page's viewer is one): not kept with the rest
    openings = DocumentAccess.objects.filter(file__document__application=app).select_related("user", "file")[:20]
    return kept_pages.page(request, "applicants/verify.html", "applicants.verify", app,
                           lambda: _verify_body(request, app), around={"application": app, "accesses": openings})


def _verify_body(request, app) -> dict:
    """What the verification screen shows below its title (kept: ``certportal.kept_pages``)."""
    documents = list(_documents(app))
    provided = hooks.provided_documents(app)  # the agency's letters signed in the portal: by whom, when
    for d in documents:
        d.provided = provided.get(d.pk, "")
    selected = _selected(documents, request.GET.get("doc", ""))
    current_files, current_file = _shown_files(selected, request.GET.get("file", ""))
    clock, clock_state = _clock(app)
    actions = allowed_actions(app, request.user)
    # documents and checks are recorded by whoever may declare the dossier complete or verify it
    can_review = app.status in services.REVIEWABLE and actions["completed"].role_ok \
        and app.applicant_id != request.user.pk
    notes = list(app.return_notes.select_related("document__requirement", "author"))
    return {
        "application": app, "documents": documents, "selected": selected, "current_file": current_file,
        "current_files": current_files, **_position(documents, selected),
        "earlier_files": [f for f in selected.files.all() if f.superseded_at] if selected else [],
        "document_notes": [n for n in notes if selected and n.document_id == selected.pk],
        "pending_with_files": sum(1 for d in documents if _waiting(d)),
        "review_form": DocumentReviewForm(), "check_form": CheckForm(), "return_form": ReturnForm(auto_id="id_return_%s"),
        "reason_form": ReasonForm(auto_id="id_reject_%s"), "checks": app.checks.select_related("checked_by"),
        "timeline": history_for(app), "clock": clock, "clock_state": clock_state, "clock_rules": clock_rules(clock),
        "actions": actions, "can_review": can_review,
        "answers": app.self_assessments.select_related("unit", "element").order_by("unit__code", "element__position"),
        "eligibility": services.eligibility_problems(app),
        "notes": notes, "profile": app.profile_data, "roster": _roster_comparison(app),
    }


def _roster_comparison(app) -> dict:
    """Where the dossier's profile disagrees with the province's roster (issue 48): ``{"known": bool, "rows":
    [(label, profile's, roster's)]}``."""
    labels = {"full_name": _("Name"), "org_unit": _("Agency"), "position": pgettext("job", "Position"),
              "rank": _("Rank"), "education": _("Education"), "status": _("Status on the roster")}
    found = hooks.roster_mismatch({**(app.profile_data or {}), "nip": app.nip})
    if found is None:
        return {"known": False, "rows": []}
    return {"known": True, "rows": [(labels[name], ours, theirs) for name, ours, theirs in found]}


@actor_only
@require_POST
def verify_document(request, pk: int, doc_pk: int):
    app = _visible(request, pk)
    document = get_object_or_404(ApplicationDocument.objects.select_related("requirement", "application"),
                                 application=app, pk=doc_pk)
    form = DocumentReviewForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.document_review(
            document, actor=request.user, accepted=form.cleaned_data["decision"] == "accepted",
            reason=form.cleaned_data.get("reason", "")),
            success=lambda _result: _("“%(doc)s”: %(review)s.") % {
                "doc": document.requirement.name, "review": document.get_review_display()})
    else:  # one message with every problem (run_action's form= would show one per error)
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    nxt = next_waiting(list(_documents(app)), doc_pk)
    # Back on the page, the next document still waiting is on screen (its file beside its decision) and focus lands
    # on its decision (portal.js, data-focus-on-arrival): the verifier goes document by document.
    return redirect(reverse("applicants:verify", kwargs={"pk": app.pk}) + f"?doc={nxt}#decide-{nxt}")


@actor_only
@require_POST
def verify_accept_remaining(request, pk: int):
    """"Accept all remaining": one click for every document with files not yet accepted (the verifier has the
    files listed on the screen; returned documents stay returned unless the applicant uploaded again)."""
    app = _visible(request, pk)
    return run_action(request, lambda data: services.documents_accept_remaining(app, actor=request.user),
                      success=lambda accepted: ngettext("%(n)s document accepted.", "%(n)s documents accepted.",
                                                        len(accepted)) % {"n": len(accepted)},
                      redirect_to=reverse("applicants:verify", args=[app.pk]))


@actor_only
@require_POST
def verify_check(request, pk: int):
    app = _visible(request, pk)
    form = CheckForm(request.POST)
    if not form.is_valid():  # one message with every problem (run_action's form= would show one per error)
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("applicants:verify", pk=app.pk)
    return run_action(request, lambda data: services.check_record(app, actor=request.user, **form.cleaned_data),
                      success=_("The check is recorded."), redirect_to=reverse("applicants:verify", args=[app.pk]))


DECISIONS = {  # the button's ``action`` -> (the transition it takes, the service that takes it, its form)
    "return": ("returned", lambda app, user, data, ip: services.application_return(
        app, actor=user, reason=data["reason"], field_notes=data["field_notes"], ip=ip), ReturnForm),
    "complete": ("completed", lambda app, user, data, ip: services.application_complete(app, actor=user, ip=ip),
                 None),
    "verify": ("verified", lambda app, user, data, ip: services.application_verify(app, actor=user, ip=ip), None),
    "reject": ("rejected", lambda app, user, data, ip: services.application_reject(
        app, actor=user, reason=data["reason"], ip=ip), None),
}


@actor_only
@require_POST
def verify_decide(request, pk: int):
    """One button per decision (offered from ``allowed_actions``); each runs its service, which takes the arrow
    through the workflow core, so a stale page is refused with the reason."""
    app = _visible(request, pk)
    decision = DECISIONS.get(request.POST.get("action", ""))
    if decision is None:
        raise Http404
    _name, call, form_class = decision
    form = form_class(request.POST) if form_class else None
    ip = client_ip(request)

    def run(data):
        if form is not None:
            data = {**data, "field_notes": form.field_notes()}
        return call(app, request.user, data or {"reason": request.POST.get("reason", "")}, ip)

    return run_action(request, run, form=form, redirect_to=reverse("applicants:verify", args=[app.pk]),
                      success=lambda done: _("Application #%(id)s is now “%(status)s”; the applicant is notified.")
                      % {"id": done.pk, "status": done.get_status_display()})

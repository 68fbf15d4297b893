"""PDFs of an event, certificates and result letters, printing a whole event, status changes and handover."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.certificates import services as certs
from assessments.certificates.forms import HandoverForm, ReasonForm, ReplaceCertificateForm, SuspendForm
from assessments.certificates.models import (
    CERTIFICATE_STATES,
    STATE_COLOURS,
    Certificate,
    PrintJob,
    ResultLetter,
)
from assessments.certificates.selectors import (
    COUNT_FIGURES,
    LETTER_FIGURES,
    STAFF_SEE_ALL,
    certificates_visible_to,
    letters_visible_to,
)
from assessments.certificates.services import event_papers
from assessments.certificates.services.reduction import reduction_of
from assessments.certificates.views import rows
from assessments.certificates.views.holder import report_actions, surveillance_actions
from assessments.certificates.workflow import decision_refusal
from assessments.events.models import Pleno
from assessments.events.selectors import events_visible_to, get_or_403, staff_participants_visible_to
from assessments.events.services.planning import may_read_planning
from assessments.events.views.events import EVENT_ROLES
from certportal import figures, kept_pages
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.files import private_file_response
from certportal.forms import search_terms
from certportal.pdf import pdf_response
from certportal.permissions import role_required
from certportal.signing.services import signing_history
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form


@role_required(*EVENT_ROLES)
def event_document(request, pk, doc):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    if doc not in event_papers.EVENT_DOCS or doc in event_papers.BACKGROUND:
        raise Http404
    if doc == event_papers.PLANNING and not may_read_planning(request.user, event):
        raise PermissionDenied
    name = event_papers.EVENT_DOCS[doc][1]
    return pdf_response(event_papers.render_event_document(event, doc), f"{name}-{event.pk}.pdf")


@require_POST
@role_required(*EVENT_ROLES)
def event_archive(request, pk):
    """The archive of SOP step 8, written by a background job: its page at once (the running one on a second
    click)."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    return redirect(event_papers.archive_start(event, user=request.user))


@role_required(Role.LSP_ADMIN)
def print_start(request, pk):
    """GET: who will be printed and who is skipped, and why; POST: start the job."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    if kind not in PrintJob.Kind.values:
        raise Http404
    if request.method != "POST":
        plan = certs.print_plan(event, kind)
        return render(request, "assessments/print_preview.html", {
            "event": event, "kind": kind, "kind_label": PrintJob.Kind(kind).label, "printed": plan.printed,
            "skipped": [{**s, "reason": certs.skip_reason(s)} for s in plan.skipped]})
    return run_action(request, lambda data: certs.print_job_start(event, actor=request.user, kind=kind),
                      success=_("Issuing and printing has started; the progress is shown below."),
                      redirect_to=lambda job: f"{event_url(event)}?job={job.pk}#print" if job else f"{event_url(event)}#print")


def event_url(event) -> str:
    from django.urls import reverse

    return reverse("assessments:event", kwargs={"pk": event.pk})


def _job(request, pk) -> PrintJob:
    return get_or_403(PrintJob.objects.filter(event__in=events_visible_to(request.user)), pk=pk)


@role_required(Role.LSP_ADMIN)
def print_status(request, pk):
    job = _job(request, pk)
    from django.urls import reverse

    label = _("Nothing printed") if job.produced_nothing else job.get_status_display()
    return JsonResponse({"status": job.status, "label": str(label), "done": job.done,
                         "total": job.total, "percent": job.percent, "error": job.error,
                         "nothing": str(_("Nothing was printed: every participant was skipped."))
                         if job.produced_nothing else "",
                         "skipped": [f"{s['name']}: {certs.skip_reason(s)}" for s in job.skipped],
                         "download": reverse("assessments:print-download", kwargs={"pk": job.pk})
                         if job.status == PrintJob.Status.DONE and job.file else None})


@require_POST
@role_required(Role.LSP_ADMIN)
def print_retry(request, pk):
    job = _job(request, pk)
    return run_action(request, lambda data: certs.print_job_retry(job, actor=request.user),
                      success=_("The print job starts again; the progress is shown below."),
                      redirect_to=f"{event_url(job.event)}?job={job.pk}#print")


@role_required(Role.LSP_ADMIN)
def print_download(request, pk):
    job = _job(request, pk)
    if job.status != PrintJob.Status.DONE or not job.file:
        raise Http404
    return private_file_response(job.file, f"acara-{job.event_id}-{job.kind}.pdf")


# --- certificates ----------------------------------------------------------------------------------------

@role_required(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY)
def certificate_list(request):
    qs = (certificates_visible_to(request.user).select_related(None)  # only what a row shows
          .only("id", "number", "holder_name", "holder_nip", "scheme_code", "issued_on", "expires_on", "status",
                "suspended_until"))
    q = search_terms(request)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(holder_name__icontains=q) | Q(holder_nip__icontains=q))
    corrected = request.GET.get("koreksi") == "1"  # the work queue's "suspended after a correction"
    if corrected:
        qs = certs.suspended_after_correction(qs)
    paginator = Paginator(qs.order_by("-issued_on", "-sequence"), 25)
    if not q and not corrected and request.user.has_role(*STAFF_SEE_ALL):
        # every certificate: counted once a minute (forgotten when one is made or deleted), not on every view
        paginator.count = figures.kept(COUNT_FIGURES, "all", qs.count)
    page = paginator.get_page(request.GET.get("page"))
    # a withdrawn letter is not handed over (the service refuses it): not offered
    waiting = (letters_visible_to(request.user).filter(outcome="BK", status=ResultLetter.Status.ISSUED,
                                                       handovers__isnull=True).values("id", "number", "holder_name"))
    letters = figures.kept(LETTER_FIGURES, "waiting", lambda: list(waiting[:50]))  # every reader sees every letter
    params = "&".join(([f"q={q}"] if q else []) + (["koreksi=1"] if corrected else []))
    return render(request, "assessments/certificates.html", {
        "page": page, "params": params, "q": q, "corrected": corrected,
        "rows": rows.certificate_rows(page), "letters": rows.letter_rows(request, letters)})


@role_required(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY, Role.APPLICANT)
def certificate_detail(request, pk):
    return _certificate_page(request, get_or_403(certificates_visible_to(request.user), pk=pk))


def _certificate_page(request, cert):
    return kept_pages.page(request, "assessments/certificate.html", "assessments.certificate", cert,
                           lambda: _certificate_context(request, cert), around={"cert": cert})


def _certificate_context(request, cert, *, replace_form: ReplaceCertificateForm | None = None) -> dict:
    state = cert.state()
    staff = request.user.has_role(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY)
    actions = allowed_actions(cert, request.user)
    replaced_by = cert.replaced_by.first()
    # after a result correction: what the LSP admin does next (decide; then reinstate, replace or withdraw)
    # (read off the row just loaded: what certs.suspended_after_correction() filters on)
    corrected = request.user.has_role(Role.LSP_ADMIN) and (
        cert.status == Certificate.Status.SUSPENDED and cert.suspended_by_correction)
    return {
        "corrected": corrected, "decision_refusal": decision_refusal(cert.participant) if corrected else "",
        "cert": cert, "state": state, "state_label": CERTIFICATE_STATES[state], "colour": STATE_COLOURS[state],
        "staff": staff, "actions": actions, "replaced_by": replaced_by,
        "handovers": cert.handovers.select_related("handed_by"), "suspend_form": SuspendForm(auto_id="id_suspend_%s"),
        # The page shows up to three status forms: each gets ids of its own, so each label names its own field.
        "reinstate_form": ReasonForm(auto_id="id_reinstate_%s"), "reason_form": ReasonForm(auto_id="id_withdraw_%s"),
        "handover_form": HandoverForm(initial={"received_by": cert.holder_name}),
        "replace_form": replace_form or (ReplaceCertificateForm.for_certificate(cert)
                                         if actions["replaced"].allowed else None),
        "history": history_for(cert) if staff else [], "verify_url": certs.verification_url(cert),
        "signatures": signing_history("certificate", cert.pk) if staff else [],
        "holder_reports": report_actions(cert, request.user) if staff else [],
        "surveillance_reports": surveillance_actions(cert, request.user) if staff else [],
        "review_form": ReasonForm(auto_id="id_review_%s"), "reduction": reduction_of(cert)}


@require_POST
@role_required(Role.LSP_ADMIN)
def certificate_replace(request, pk):
    """Issue a correcting certificate; on an error the detail page comes back with what was typed."""
    cert = get_or_403(certificates_visible_to(request.user), pk=pk)
    form = ReplaceCertificateForm(request.POST)
    return run_form(request, form, lambda data: certs.certificate_replace(cert, actor=request.user, **data),
                    success=lambda new: _("Certificate %(new)s is issued; it replaces %(old)s, which is withdrawn.")
                    % {"new": new.number, "old": cert.number},
                    redirect_to=lambda new: reverse("assessments:certificate", args=[new.pk]),
                    template="assessments/certificate.html",
                    context=lambda: _certificate_context(request, cert, replace_form=form))


@role_required(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY, Role.APPLICANT)
def certificate_pdf(request, pk):
    # the paper needs the row alone (its printed data is frozen on it): no joined dossier and event to read
    cert = get_or_403(certificates_visible_to(request.user).select_related(None), pk=pk)
    if cert.imported:  # issued on paper before the portal: the paper original is the record, no copy is printed
        raise Http404
    return pdf_response(certs.kept_certificate_pdf(cert), f"sertifikat-{cert.pk}.pdf")


@role_required(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY, Role.APPLICANT)
def letter_pdf(request, pk):
    letter = get_or_403(letters_visible_to(request.user).select_related(None), pk=pk)
    return pdf_response(certs.kept_letter_pdf(letter), f"surat-hasil-{letter.pk}.pdf")


STATUS_ACTIONS = {  # the button's action → (service, form, message)
    "suspended": (lambda cert, user, d: certs.certificate_suspend(cert, actor=user, reason=d["reason"],
                                                                 until=d["until"]),
                  SuspendForm, gettext_lazy("The certificate is suspended; the holder is told.")),
    "reinstated": (lambda cert, user, d: certs.certificate_reinstate(cert, actor=user, reason=d["reason"]),
                   ReasonForm, gettext_lazy("The certificate is valid again; the holder is told.")),
    "withdrawn": (lambda cert, user, d: certs.certificate_withdraw(cert, actor=user, reason=d["reason"]),
                  ReasonForm, gettext_lazy("The certificate is withdrawn; the holder is told.")),
}


@require_POST
@role_required(Role.LSP_ADMIN)
def certificate_status(request, pk):
    cert = get_or_403(certificates_visible_to(request.user), pk=pk)
    action = request.POST.get("action")
    if action not in STATUS_ACTIONS:
        raise Http404
    call, form_class, success = STATUS_ACTIONS[action]
    return run_action(request, lambda data: call(cert, request.user, data), form=form_class(request.POST),
                      success=str(success), redirect_to=reverse("assessments:certificate", kwargs={"pk": cert.pk}))


@require_POST
@role_required(Role.LSP_ADMIN, Role.VERIFIER)
def certificate_handover(request, pk):
    cert = get_or_403(certificates_visible_to(request.user), pk=pk)
    return run_action(request, lambda data: certs.handover_record(actor=request.user, certificate=cert, **data),
                      form=HandoverForm(request.POST), success=_("The handover is recorded."),
                      redirect_to=reverse("assessments:certificate", kwargs={"pk": cert.pk}))


@require_POST
@role_required(Role.LSP_ADMIN, Role.VERIFIER)
def letter_handover(request, pk):
    letter = get_or_403(letters_visible_to(request.user), pk=pk)
    return run_action(request, lambda data: certs.handover_record(actor=request.user, letter=letter, **data),
                      form=HandoverForm(request.POST), success=_("The handover is recorded."),
                      redirect_to="assessments:certificates")


@require_POST
@role_required(Role.LSP_ADMIN)
def participant_issue(request, pk):
    participant = get_or_403(staff_participants_visible_to(request.user), pk=pk)
    if request.POST.get("doc") == "letter":
        call, ok = certs.result_letter_issue, _("The result letter is issued.")
    else:
        call, ok = certs.certificate_issue, _("The certificate is issued.")
    return run_action(request, lambda data: call(participant, actor=request.user), success=ok,
                      redirect_to=reverse("assessments:participant", kwargs={"pk": participant.pk}))


@role_required(Role.LSP_ADMIN)
def pleno_letter(request, pk):
    """The pleno's decision letter (surat keputusan), signed like each certificate."""
    pleno = get_or_403(Pleno.objects.filter(event__in=events_visible_to(request.user)), pk=pk)
    return pdf_response(certs.kept_decision_letter_pdf(pleno), f"surat-keputusan-{pleno.pk}.pdf")

"""PDFs of an event, certificates and result letters, printing a whole event, status changes and handover."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.files import private_file_response
from certportal.forms import search_terms
from certportal.pdf import render_pdf
from certportal.permissions import role_required

from .. import certificates as certs
from .. import services
from ..forms import HandoverForm, ReasonForm, ReplaceCertificateForm, SuspendForm
from ..models import CERTIFICATE_STATES, STATE_COLOURS, PrintJob
from ..selectors import (
    certificates_visible_to,
    events_visible_to,
    get_or_403,
    letters_visible_to,
    staff_participants_visible_to,
)
from .staff import EVENT_ROLES

EVENT_DOCS = {
    "berita-acara": ("assessments/pdf/report.html", "berita-acara"),
    "daftar-hadir": ("assessments/pdf/attendance.html", "daftar-hadir"),
    "notulen": ("assessments/pdf/minutes.html", "notulen"),
}


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*EVENT_ROLES)
def event_document(request, pk, doc):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    if doc not in EVENT_DOCS:
        raise Http404
    template, name = EVENT_DOCS[doc]
    participants = event.participants.select_related("application", "assessor__user").prefetch_related(
        "results__unit")
    data = render_pdf(template, {"event": event, "participants": participants,
                                 "links": event.event_assessors.select_related("assessor__user"),
                                 "steps": event.steps.select_related("done_by")}, language="id")
    return pdf_response(data, f"{name}-{event.pk}.pdf")


@require_POST
@role_required(Role.LSP_ADMIN)
def print_start(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    kind = request.POST.get("kind")
    if kind not in PrintJob.Kind.values:
        raise Http404
    try:
        job = certs.print_job_start(event, actor=request.user, kind=kind)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:event", pk=event.pk)
    messages.info(request, _("Issuing and printing has started; the progress is shown below."))
    return redirect(f"{event_url(event)}?job={job.pk}#print")


def event_url(event) -> str:
    from django.urls import reverse

    return reverse("assessments:event", kwargs={"pk": event.pk})


def _job(request, pk) -> PrintJob:
    return get_or_403(PrintJob.objects.filter(event__in=events_visible_to(request.user)), pk=pk)


@role_required(Role.LSP_ADMIN)
def print_status(request, pk):
    job = _job(request, pk)
    from django.urls import reverse

    return JsonResponse({"status": job.status, "label": str(job.get_status_display()), "done": job.done,
                         "total": job.total, "percent": job.percent, "error": job.error,
                         "download": reverse("assessments:print-download", kwargs={"pk": job.pk})
                         if job.status == PrintJob.Status.DONE else None})


@require_POST
@role_required(Role.LSP_ADMIN)
def print_retry(request, pk):
    job = _job(request, pk)
    try:
        certs.print_job_retry(job, actor=request.user)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("The print job starts again; the progress is shown below."))
    return redirect(f"{event_url(job.event)}?job={job.pk}#print")


@role_required(Role.LSP_ADMIN)
def print_download(request, pk):
    job = _job(request, pk)
    if job.status != PrintJob.Status.DONE or not job.file:
        raise Http404
    return private_file_response(job.file, f"acara-{job.event_id}-{job.kind}.pdf")


# --- certificates ----------------------------------------------------------------------------------------

@role_required(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY)
def certificate_list(request):
    qs = certificates_visible_to(request.user).prefetch_related("handovers")
    q = search_terms(request)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(holder_name__icontains=q) | Q(holder_nip__icontains=q))
    page = Paginator(qs.order_by("-issued_on", "-sequence"), 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for c in page:
        c.state_value = c.state(today)
        c.state_label = CERTIFICATE_STATES[c.state_value]
        c.state_colour = STATE_COLOURS[c.state_value]
    letters = letters_visible_to(request.user).filter(outcome="BK", handovers__isnull=True)[:50]
    return render(request, "assessments/certificates.html", {
        "page": page, "params": f"q={q}" if q else "", "q": q, "letters": letters})


@role_required(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY, Role.APPLICANT)
def certificate_detail(request, pk):
    return _certificate_page(request, get_or_403(certificates_visible_to(request.user), pk=pk))


def _certificate_page(request, cert, *, replace_form: ReplaceCertificateForm | None = None):
    state = cert.state()
    staff = request.user.has_role(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY)
    is_admin = request.user.has_role(Role.LSP_ADMIN)
    replaced_by = cert.replaced_by.first()
    return render(request, "assessments/certificate.html", {
        "cert": cert, "state": state, "state_label": CERTIFICATE_STATES[state], "colour": STATE_COLOURS[state],
        "staff": staff, "is_admin": is_admin, "replaced_by": replaced_by,
        "may_hand_over": request.user.has_role(Role.LSP_ADMIN, Role.VERIFIER) and state != "withdrawn"
        and not cert.handovers.exists(),
        "handovers": cert.handovers.select_related("handed_by"), "suspend_form": SuspendForm(auto_id="id_suspend_%s"),
        # The page shows up to three status forms: each gets ids of its own, so each label names its own field.
        "reinstate_form": ReasonForm(auto_id="id_reinstate_%s"), "reason_form": ReasonForm(auto_id="id_withdraw_%s"), "handover_form": HandoverForm(initial={"received_by": cert.holder_name}),
        "replace_form": replace_form or (ReplaceCertificateForm.for_certificate(cert)
                                         if is_admin and state == "valid" else None),
        "history": history_for(cert) if staff else [], "verify_url": certs.verification_url(cert)})


@require_POST
@role_required(Role.LSP_ADMIN)
def certificate_replace(request, pk):
    """Issue a correcting certificate; on an error the detail page comes back with what was typed."""
    cert = get_or_403(certificates_visible_to(request.user), pk=pk)
    form = ReplaceCertificateForm(request.POST)
    if form.is_valid():
        try:
            new = certs.certificate_replace(cert, actor=request.user, **form.cleaned_data)
        except services.AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Certificate %(new)s is issued; it replaces %(old)s, which is withdrawn.")
                             % {"new": new.number, "old": cert.number})
            return redirect("assessments:certificate", pk=new.pk)
    return _certificate_page(request, cert, replace_form=form)


@role_required(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY, Role.APPLICANT)
def certificate_pdf(request, pk):
    cert = get_or_403(certificates_visible_to(request.user), pk=pk)
    return pdf_response(certs.certificate_pdf(cert), f"sertifikat-{cert.pk}.pdf")


@role_required(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY, Role.APPLICANT)
def letter_pdf(request, pk):
    letter = get_or_403(letters_visible_to(request.user), pk=pk)
    return pdf_response(certs.letter_pdf(letter), f"surat-hasil-{letter.pk}.pdf")


@require_POST
@role_required(Role.LSP_ADMIN)
def certificate_status(request, pk):
    cert = get_or_403(certificates_visible_to(request.user), pk=pk)
    action = request.POST.get("action")
    if action == "suspend":
        form = SuspendForm(request.POST)
        if form.is_valid():
            _do(request, certs.certificate_suspend, cert, actor=request.user, ok=_("The certificate is suspended."),
                **form.cleaned_data)
        else:
            messages.error(request, _("Give the reason and the date until which the certificate is suspended."))
    elif action in ("withdraw", "reinstate"):
        fn = certs.certificate_withdraw if action == "withdraw" else certs.certificate_reinstate
        ok = _("The certificate is withdrawn.") if action == "withdraw" else _("The certificate is valid again.")
        _do(request, fn, cert, actor=request.user, reason=request.POST.get("reason", ""), ok=ok)
    return redirect("assessments:certificate", pk=cert.pk)


def _do(request, fn, *args, ok: str, **kwargs) -> bool:
    try:
        fn(*args, **kwargs)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, ok)
    return True


@require_POST
@role_required(Role.LSP_ADMIN, Role.VERIFIER)
def certificate_handover(request, pk):
    cert = get_or_403(certificates_visible_to(request.user), pk=pk)
    form = HandoverForm(request.POST)
    if form.is_valid():
        _do(request, certs.handover_record, actor=request.user, certificate=cert, ok=_("The handover is recorded."),
            **form.cleaned_data)
    else:
        messages.error(request, _("Say who received the document."))
    return redirect("assessments:certificate", pk=cert.pk)


@require_POST
@role_required(Role.LSP_ADMIN, Role.VERIFIER)
def letter_handover(request, pk):
    letter = get_or_403(letters_visible_to(request.user), pk=pk)
    form = HandoverForm(request.POST)
    if form.is_valid():
        _do(request, certs.handover_record, actor=request.user, letter=letter, ok=_("The handover is recorded."),
            **form.cleaned_data)
    else:
        messages.error(request, _("Say who received the document."))
    return redirect("assessments:certificates")


@require_POST
@role_required(Role.LSP_ADMIN)
def participant_issue(request, pk):
    participant = get_or_403(staff_participants_visible_to(request.user), pk=pk)
    if request.POST.get("doc") == "letter":
        _do(request, certs.result_letter_issue, participant, actor=request.user, ok=_("The result letter is issued."))
    else:
        _do(request, certs.certificate_issue, participant, actor=request.user, ok=_("The certificate is issued."))
    return redirect("assessments:participant", pk=participant.pk)


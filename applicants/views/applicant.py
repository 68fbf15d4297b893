"""The applicant's side: profile, the application wizard, the dashboard, downloads."""


from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from certportal import dates, rows
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.lsp.licence import scope_refusal
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.redirects import safe_next
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form
from schemes.models import Scheme
from schemes.selectors import open_schemes

from .. import hooks, services
from ..forms import (
    ApplicationDataForm,
    DeclarationForm,
    ProfileForm,
    ReasonForm,
    UploadForm,
    roster_prefill,
    self_assessment_form,
)
from ..models import ApplicantProfile, Application, ApplicationDocument, DocumentFile, Status
from ..paperwork import documents, render_apl, slots
from ..selectors import applications_visible_to, files_visible_to, may_manage
from ..workflow import MACHINE

applicant_only = role_required(Role.APPLICANT)


def _own(request, pk: int) -> Application:
    """An application of the logged-in applicant (404 for anybody else's: ids are never taken on trust)."""
    return get_object_or_404(Application.objects.select_related("scheme").filter(applicant=request.user), pk=pk)


_documents = documents


def _clock(app: Application):
    from certportal.sla import services as sla

    clock = sla.clock_for(app, services.CLOCK)
    return clock, (sla.clock_state(clock) if clock else None)


@applicant_only
def my_applications(request):
    apps = (Application.objects.filter(applicant=request.user).order_by("-created_at")
            .values("pk", "status", "created_at", "scheme__name", "scheme__code"))
    profile = ApplicantProfile.objects.filter(user=request.user).first()
    return render(request, "applicants/mine.html", {"cards": _cards(apps), "profile": profile})


CARD = ('\n  <div class="list-group-item" id="app-card-{}">\n    <div class="d-flex justify-content-between flex-wrap '
        'gap-2">\n      <a class="fw-semibold" href="{}">{}</a>\n      <span class="badge text-bg-{}">{}</span>\n'
        '    </div>\n    <small class="text-muted">#{} · {} · {} {}</small>\n    {}\n  </div>\n')
CORRECT = ('<div class="mt-2"><a class="btn btn-sm btn-warning" data-next="correct" href="{}"><i class="bi bi-pencil" '
           'aria-hidden="true"></i> {}</a> <span class="small">{}</span></div>')
CONTINUE = '<div class="mt-2"><a class="btn btn-sm btn-outline-primary" data-next="continue" href="{}">{}</a></div>'
BADGE = {Status.RETURNED: "warning", Status.DRAFT: "secondary", Status.REJECTED: "dark", Status.WITHDRAWN: "dark"}


def _cards(apps) -> SafeString:
    """The applicant's applications, a card each, drawn from their values: the template's loop (its lookups,
    filters and three reversed URLs a card) was most of the page (issue 47). Every value goes through
    ``format_html``'s escaping."""
    status, created = rows.labels(Status.choices), _("created")
    detail, go_on, correct = (rows.link(f"applicants:{name}") for name in ("detail", "step-data", "step-documents"))

    def next_step(app) -> str:
        if app["status"] == Status.RETURNED:
            return format_html(CORRECT, correct(app["pk"]), _("Correct this"),
                               _("The verifier returned your dossier with notes."))
        if app["status"] == Status.DRAFT:
            return format_html(CONTINUE, go_on(app["pk"]), _("Continue the application"))
        return ""

    return format_html_join("", CARD, (
        (a["pk"], detail(a["pk"]), a["scheme__name"], BADGE.get(a["status"], "primary"),
         status.get(a["status"], a["status"]), a["pk"], a["scheme__code"], created, dates.day(a["created_at"]),
         next_step(a)) for a in apps))


@applicant_only
def profile_edit(request):
    """The person's profile. A new one is first looked up in the province's roster by NIP (``?nip=``): found under
    the account's name, it is pre-filled from the roster and the person confirms it on saving."""
    profile = ApplicantProfile.objects.filter(user=request.user).first()
    initial = {} if profile else {"full_name": request.user.full_name, "phone": request.user.phone,
                                  "email": request.user.email}
    nip = request.POST.get("nip") if request.method == "POST" else request.GET.get("nip", "")
    roster = None if profile or not nip else roster_prefill(nip, request.user.full_name)
    form = ProfileForm(_posted(request), instance=profile, initial={**initial, **(roster or {})},
                       roster_confirm=roster is not None)
    return run_form(request, form, lambda data: services.profile_save(
        user=request.user, data={name: data[name] for name in form.Meta.fields}),
        success=_("Your profile is saved."),
        redirect_to=safe_next(request, "applicants:mine"),
        template="applicants/profile.html",
        context={"profile": profile, "roster": roster, "looked_up": bool(nip) and not profile})


@applicant_only
def scheme_choose(request):
    schemes = Scheme.objects.filter(is_current=True, is_published=True).order_by("name")
    if request.method == "POST":
        scheme = get_object_or_404(schemes, pk=request.POST.get("scheme"))
        return run_action(request, lambda data: services.application_start(user=request.user, scheme=scheme),
                          success=None, redirect_to=lambda app: reverse("applicants:step-data", args=[app.pk]),
                          error_redirect="applicants:profile")
    profile = ApplicantProfile.objects.filter(user=request.user).first()
    asked = schemes.filter(pk=request.GET["scheme"]).first() if request.GET.get("scheme", "").isdigit() else None
    if asked is not None and (refusal := scope_refusal(asked.code)):
        messages.warning(request, refusal)
    schemes = open_schemes().order_by("name")
    if asked is not None and schemes.filter(pk=asked.pk).exists():  # "Apply" on the public scheme page: that one
        schemes = schemes.filter(pk=asked.pk)
    rows = [(scheme, _eligibility_before_start(scheme, profile)) for scheme in schemes]
    return render(request, "applicants/start.html", {"schemes": schemes, "rows": rows, "has_profile": bool(profile)})


def _eligibility_before_start(scheme, profile) -> list[str]:
    """The scheme's rules the profile does not meet, shown before any draft is created (nothing is written)."""
    if profile is None:
        return []
    return services.eligibility_of(scheme, profile.snapshot())


def _wizard_context(app: Application, step: str, **extra) -> dict:
    return {"application": app, "step": step, "editable": app.status in services.EDITABLE,
            "notes": app.return_notes.filter(resolved_at__isnull=True).select_related("document__requirement"),
            **extra}


def _guard_editable(request, app: Application):
    if app.status not in services.EDITABLE:
        messages.info(request, _("Application #%(id)s is “%(status)s” and can no longer be changed.")
                      % {"id": app.pk, "status": app.get_status_display()})
        return redirect("applicants:detail", pk=app.pk)
    return None


@applicant_only
def step_data(request, pk: int):
    app = _own(request, pk)
    if (stop := _guard_editable(request, app)) is not None:
        return stop
    form = ApplicationDataForm(_posted(request), instance=app)
    return run_form(request, form, lambda d: services.application_save_data(
        app, user=request.user, purpose=d["purpose"], purpose_other=d.get("purpose_other", ""),
        experienced=d["experienced"]),
        success=_("Saved. Next: the documents."), redirect_to=reverse("applicants:step-documents", args=[app.pk]),
        template="applicants/step_data.html",
        context=lambda: _wizard_context(app, "data", eligibility=services.eligibility_problems(app)))


@applicant_only
def step_documents(request, pk: int, upload_form=None, failed_doc=None):
    app = _own(request, pk)
    if (stop := _guard_editable(request, app)) is not None:
        return stop
    documents = list(_documents(app))
    provided = hooks.provided_documents(app)  # issued in the portal (the agency's letters): not asked of them
    for d in documents:
        d.slots = slots(d)
        d.provided = provided.get(d.pk, "")
    forms = {d.pk: (upload_form if d.pk == failed_doc
                    else UploadForm(kinds=d.requirement.accepted_kinds or None, document=d))
             for d in documents}
    rows = [(d, forms[d.pk]) for d in documents]
    # a document returned with a note still open and uploaded again since (its review went back to pending)
    corrected = set(app.return_notes.filter(resolved_at__isnull=True, document__isnull=False,
                                            document__review=ApplicationDocument.Review.PENDING)
                    .values_list("document_id", flat=True))
    return render(request, "applicants/step_documents.html",
                  _wizard_context(app, "documents", rows=rows, corrected=corrected),
                  status=400 if upload_form is not None else 200)


@applicant_only
@require_POST
def document_upload(request, pk: int, doc_pk: int):
    """One requirement's files, one or several at once: each file is checked on its own; those that pass are kept
    in their slots, each refused one is named with the reason (nothing else is lost)."""
    app = _own(request, pk)
    if (stop := _guard_editable(request, app)) is not None:
        return stop
    document = get_object_or_404(ApplicationDocument.objects.select_related("requirement", "application"),
                                 application=app, pk=doc_pk)
    form = UploadForm(request.POST, request.FILES, kinds=document.requirement.accepted_kinds or None,
                      document=document)
    if not form.is_valid():
        # Nothing else is lost: every other document was saved by its own upload; this one shows the reason.
        messages.error(request, _("“%(doc)s” was not saved: %(why)s") % {
            "doc": document.requirement.name, "why": " ".join(form.errors.get("file", []))})
        return step_documents(request, pk, upload_form=form, failed_doc=document.pk)
    for refused in form.refused:
        messages.error(request, refused)
    return run_action(request, lambda data: services.documents_upload(
        document, user=request.user, uploads=form.accepted),
        success=lambda saved: _saved_message(document, saved),
        redirect_to=reverse("applicants:step-documents", kwargs={"pk": app.pk}) + f"#doc-{document.pk}")


def _saved_message(document: ApplicationDocument, saved: list) -> str:
    if len(saved) == 1:
        return _("“%(doc)s” is saved.") % {"doc": document.requirement.name}
    return _("“%(doc)s”: %(n)s files saved (%(names)s).") % {
        "doc": document.requirement.name, "n": len(saved), "names": ", ".join(f.original_name for f in saved)}


@applicant_only
@require_POST
def document_file_remove(request, pk: int, file_pk: int):
    app = _own(request, pk)
    file = get_object_or_404(DocumentFile, document__application=app, pk=file_pk)
    return run_action(request, lambda data: services.document_remove_file(file, user=request.user),
                      success=_("“%(name)s” is removed from the dossier.") % {"name": file.original_name},
                      redirect_to=reverse("applicants:step-documents", kwargs={"pk": app.pk}))


@applicant_only
def step_self_assessment(request, pk: int):
    app = _own(request, pk)
    if (stop := _guard_editable(request, app)) is not None:
        return stop
    form = self_assessment_form(app, _posted(request))

    def page() -> dict:
        units = []
        for unit, element, key in form.rows:
            if not units or units[-1][0] != unit:
                units.append((unit, []))
            units[-1][1].append((element, form[f"a_{key}"], form[f"e_{key}"]))
        return _wizard_context(app, "self", units=units)

    return run_form(request, form, lambda data: services.self_assessment_save(app, user=request.user, answers=[
        (unit.pk, element.pk if element else None, data[f"a_{key}"], data[f"e_{key}"])
        for unit, element, key in form.rows]),
        success=_("Your self-assessment is saved."), redirect_to=reverse("applicants:step-submit", args=[app.pk]),
        template="applicants/step_self_assessment.html", context=page)


@applicant_only
def step_submit(request, pk: int):
    app = _own(request, pk)
    if (stop := _guard_editable(request, app)) is not None:
        return stop
    form = DeclarationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        here = reverse("applicants:step-submit", kwargs={"pk": app.pk})
        response = run_action(request, lambda data: services.application_submit(
            app, user=request.user, declaration=form.cleaned_data["declaration"], ip=client_ip(request)),
            success=_("Your application is submitted. We will e-mail you at every step."), redirect_to=here)
        app.refresh_from_db(fields=["status"])
        return response if app.status in services.EDITABLE else redirect("applicants:detail", pk=app.pk)
    actions = allowed_actions(app, request.user)
    return render(request, "applicants/step_submit.html", _wizard_context(
        app, "submit", form=form, eligibility=services.eligibility_problems(app),
        missing=services.missing_items(app), email_ok=request.user.email_verified,
        submit=actions["resubmitted" if app.status == "returned" else "submitted"]))


def application_detail(request, pk: int):
    """The applicant's dashboard for one application (staff who may see it get the same page, read-only)."""
    app = get_object_or_404(applications_visible_to(request.user).select_related("scheme", "applicant"), pk=pk)
    if app.applicant_id != request.user.pk and may_manage(request.user):
        return redirect("applicants:verify", pk=app.pk)
    clock, clock_state = _clock(app)
    documents = list(_documents(app))
    provided = hooks.provided_documents(app)
    for d in documents:
        d.provided = provided.get(d.pk, "")
        d.slots = slots(d)
    return render(request, "applicants/detail.html", {
        "application": app, "timeline": status_history(app),
        "missing": services.missing_items(app, documents=documents) if app.status in services.EDITABLE else [],
        "notes": app.return_notes.filter(resolved_at__isnull=True).select_related("document__requirement"),
        "documents": documents, "clock": clock, "clock_state": clock_state, "clock_rules": clock_rules(clock),
        "is_owner": app.applicant_id == request.user.pk, "actions": allowed_actions(app, request.user),
    })


def status_history(app: Application) -> list:
    """The application's status changes (and its start), oldest first: label, from → to, who, when, why."""
    codes = {MACHINE.code(t.name) for t in MACHINE.transitions} | {MACHINE.code("created")}
    return list(history_for(app).filter(action__in=codes))


def clock_rules(clock) -> dict:
    """The numbers the page states with the clock's rules: the clock's own, else the policy's (seed 001 item 3)."""
    from certportal.sla import services as sla

    if clock is not None:
        return {"target": clock.target_days, "limit": clock.limit_days}
    policy = sla.get_policy(services.CLOCK)
    return {"target": policy.target_days, "limit": policy.limit_days}


@applicant_only
def withdraw(request, pk: int):
    app = _own(request, pk)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        return run_action(request, lambda data: services.application_withdraw(
            app, user=request.user, reason=form.cleaned_data["reason"], ip=client_ip(request)),
            success=_("Your application is withdrawn."), redirect_to=reverse("applicants:detail", args=[app.pk]))
    return render(request, "applicants/withdraw.html", {
        "application": app, "form": form, "action": allowed_actions(app, request.user)["withdrawn"]})


def _pdf_response(request, pk: int, form: str, filename: str) -> HttpResponse:
    app = get_object_or_404(applications_visible_to(request.user).select_related("scheme", "applicant"), pk=pk)
    response = HttpResponse(render_apl(app, form, language=request.LANGUAGE_CODE), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}-{app.pk}.pdf"'
    return response


def apl01_pdf(request, pk: int):
    return _pdf_response(request, pk, "apl01", "FR.APL.01")


def apl02_pdf(request, pk: int):
    return _pdf_response(request, pk, "apl02", "FR.APL.02")


@xframe_options_sameorigin
def document_file_open(request, file_pk: int):
    """Serve one uploaded file after checking the viewer may see its application; every opening is logged."""
    file = get_object_or_404(files_visible_to(request.user).select_related("document__application"), pk=file_pk)
    services.document_opened(file, user=request.user, ip_address=client_ip(request))
    return file.response(inline=request.GET.get("download") != "1")


def _posted(request):
    """The submitted data on POST (even when empty, so a blank form shows its errors), else None."""
    return request.POST if request.method == "POST" else None

"""The agency's pages: the home of its officers and head (and of the Sekretaris Daerah), proposing staff one by
one or from an XLSX with a preview, a cohort's proposals, withdrawing one."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certportal import dates, exports, kept_pages, workqueue
from certportal.accounts.models import Role
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.rows import link, memo
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_service
from schemes.models import Scheme

from .. import importing, roster, services
from ..forms import PersonForm, ReasonForm, UploadForm
from ..kept_pages import PROPOSAL
from ..models import FundedRound
from ..selectors import (
    AGENCY_ROLES,
    PROVINCE_WIDE,
    agency_of,
    cohorts_visible_to,
    open_places,
    proposals_visible_to,
    quota_of,
    rounds_open_for,
)
from . import letters

AGENCY_PAGES = (*AGENCY_ROLES, Role.REGIONAL_SECRETARY)
COHORT_READERS = (*AGENCY_PAGES, Role.LSP_ADMIN, Role.SUPERVISOR)
PREVIEW = "agencies:preview"
PROPOSE = "agencies/propose.html"


def _open_rounds(agency):
    return list(rounds_open_for(agency, today=timezone.localdate())) if agency else []


COHORT_ROW = '<tr><td><a href="{}">{}</a></td>{}<td>{} ({})</td><td>{}</td><td>{}</td></tr>\n'
AGENCY_CELL = "<td>{}</td>"


def _cohort_rows(user, with_agency: bool) -> SafeString:
    """The home's table of the latest 100 cohorts, drawn from their values: the template's loop over four related
    objects a row (its lookups, filters and a reversed URL each) took most of the page (issue 47). The HTML is the
    template's own; every value goes through ``format_html``'s escaping."""
    url, when = link("agencies:cohort-detail"), memo(dates.wib)
    cohorts = cohorts_visible_to(user).values_list(
        "pk", "created_at", "agency__name", "round__name", "round__fiscal_year", "scheme__code",
        "created_by__full_name", "created_by__email")[:100]
    return format_html_join("", COHORT_ROW, (
        (url(pk), when(at), format_html(AGENCY_CELL, agency) if with_agency else "", round_name, year, scheme,
         by_name or by_email) for pk, at, agency, round_name, year, scheme, by_name, by_email in cohorts))


@role_required(*AGENCY_PAGES)
def home(request):
    return render(request, "agencies/home.html", workqueue.kept(home_lists, request.user))


@workqueue.reads("applicants.Agency", "agencies.AgencyMembership", "agencies.FundedRound", "agencies.RoundQuota",
                 "agencies.Proposal", "agencies.Cohort", "schemes.Scheme", "accounts.User")
def home_lists(user) -> dict:
    """The agency's home beside its queue: the places left in the open rounds and the latest cohorts (kept until
    one of the models read changes: ``certportal.workqueue.kept``)."""
    agency = agency_of(user)
    return {"agency": agency, "places": open_places(user, today=timezone.localdate()),
            "cohorts": _cohort_rows(user, with_agency=agency is None),
            "role": next((r for r in AGENCY_PAGES if user.has_role(r)), "")}


def _round_and_scheme(form) -> tuple[FundedRound, Scheme]:
    round_pk, scheme_pk = form.chosen()
    return get_object_or_404(FundedRound, pk=round_pk), get_object_or_404(Scheme, pk=scheme_pk)


def _proposal_forms(request, agency) -> dict:
    rounds = _open_rounds(agency)
    return {"rounds": rounds, "person": PersonForm(request.POST if request.POST.get("form") == "person" else None,
                                                   rounds=rounds, prefix="person"),
            "upload": UploadForm(request.POST if request.POST.get("form") == "upload" else None,
                                 request.FILES or None, rounds=rounds, prefix="upload")}


@role_required(Role.AGENCY_OFFICER)
def propose(request):
    agency = agency_of(request.user)
    if request.method != "POST" and agency is not None:  # the empty forms: kept per agency (agencies.kept_pages)
        return kept_pages.page(request, PROPOSE, PROPOSAL, agency, lambda: _proposal_forms(request, agency))
    forms = _proposal_forms(request, agency)
    person, upload = forms["person"], forms["upload"]
    if request.method == "POST" and person.is_bound and person.is_valid():
        funded_round, scheme = _round_and_scheme(person)
        d = person.cleaned_data
        row = importing.Row(line=1, nip=d["nip"], name=d["name"], email=d["email"], education=d["education"],
                            rank=d["rank"])
        if run_service(request, lambda: services.cohort_propose(actor=request.user, funded_round=funded_round,
                                                                scheme=scheme, rows=[row]),
                       success=lambda cohort: _proposed(cohort, d["nip"], d["name"]),
                       refused=lambda exc: person.add_error(None, exc.message)):
            return redirect("agencies:home")
    if request.method == "POST" and upload.is_bound and upload.is_valid():
        funded_round, scheme = _round_and_scheme(upload)
        if run_service(request, lambda: _preview_store(request, funded_round, scheme, upload.cleaned_data["file"]),
                       refused=lambda exc: upload.add_error("file", exc.message)):
            return redirect(PREVIEW)
    return render(request, PROPOSE, forms)


def _proposed(cohort, nip: str, name: str) -> str:
    if cohort.proposals.filter(nip=nip.replace(" ", ""), needs_confirmation=True).exists():
        return _("%(name)s is proposed and invited; not being on your staff list yet, they confirm on the "
                 "invitation that they work for your agency.") % {"name": name}
    return _("%(name)s is proposed and invited.") % {"name": name}


def _preview_store(request, funded_round, scheme, upload) -> None:
    rows = importing.read_rows(upload)
    importing.check_rows(rows, agency=agency_of(request.user), funded_round=funded_round, scheme=scheme,
                         today=timezone.localdate())
    request.session["agencies_preview"] = {"round": funded_round.pk, "scheme": scheme.pk,
                                           "name": str(upload.name)[:100], "rows": importing.rows_to_session(rows)}


@role_required(Role.AGENCY_OFFICER)
def preview(request):
    stored = request.session.get("agencies_preview")
    if not stored:
        messages.info(request, _("Upload a list of staff first."))
        return redirect("agencies:propose")
    funded_round = get_object_or_404(FundedRound, pk=stored["round"])
    scheme = get_object_or_404(Scheme, pk=stored["scheme"])
    rows = importing.rows_from_session(stored["rows"])
    good = [r for r in rows if r.ok]
    if request.method == "POST" and run_service(
            request, lambda: services.cohort_propose(actor=request.user, funded_round=funded_round, scheme=scheme,
                                                     rows=good),
            success=ngettext("%(n)d person proposed and invited.", "%(n)d people proposed and invited.",
                             len(good)) % {"n": len(good)}):
        request.session.pop("agencies_preview", None)
        return redirect("agencies:home")
    agency = agency_of(request.user)
    return render(request, "agencies/preview.html", {
        "round": funded_round, "scheme": scheme, "rows": rows, "good": good, "name": stored["name"],
        "faulty": [r for r in rows if not r.ok], "quota": quota_of(funded_round, agency) if agency else None,
        "refusal": services.proposal_refusal(funded_round, scheme, agency, len(good)) if agency and good else None})


@role_required(Role.AGENCY_OFFICER)
def template(request):
    import tempfile

    from django.http import FileResponse

    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse once sent
    importing.write_template(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename="usulan-pegawai.xlsx", content_type=exports.XLSX_TYPE)


@role_required(*COHORT_READERS)
def cohort_detail(request, pk: int):
    cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)
    proposals = list(proposals_visible_to(request.user).filter(cohort=cohort).order_by("name"))
    # The agency's own readers see a person's application only while the rule counts the person as the agency's
    # (agencies.roster): someone who moved, or was proposed before the rule, is no longer its business.
    wide = request.user.has_role(*PROVINCE_WIDE)
    said = {} if wide else roster.verdicts(cohort.agency, [p.nip for p in proposals])
    for p in proposals:
        p.actions = allowed_actions(p, request.user, only=("withdrawn",))
        p.counted = wide or said.get(p.nip) is True
        p.elsewhere = not p.counted and not (p.needs_confirmation and not p.confirmed_at)
    return render(request, "agencies/cohort_detail.html", {
        "cohort": cohort, "proposals": proposals, "reason_form": ReasonForm(),
        "letters": letters.letter_rows(cohort, request.user)})


@role_required(Role.AGENCY_OFFICER)
@require_POST
def proposal_withdraw(request, pk: int):
    proposal = get_object_or_404(proposals_visible_to(request.user), pk=pk)
    return run_action(request, lambda d: services.proposal_withdraw(
        proposal, actor=request.user, reason=d["reason"], ip=client_ip(request)),
        form=ReasonForm(request.POST), success=_("The proposal is withdrawn; its place is free again."),
        redirect_to=proposal.cohort)

"""BNSP registration for the LSP admin: choose a decision batch, export the request (XLSX), bring BNSP's numbers
back (the returned XLSX, or typed per row), review what will be recorded, record it (assessments.certificates.services.bnsp).

Like the decree importers: nothing is written before the admin confirms on the review page; the checked rows wait
in the session. The forms live here because only these views use them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applicants.models import ApplicantProfile
from applicants.nik import mask_nik
from assessments.certificates.services import bnsp
from assessments.events.selectors import events_visible_to
from certportal.accounts.models import Role
from certportal.dates import day
from certportal.exports import xlsx_response
from certportal.permissions import role_required
from certportal.workflow.views import run_action

lsp_admin = role_required(Role.LSP_ADMIN)
SESSION_KEY = "assessments_bnsp_import"
MAX_RANGE_DAYS = 366


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BatchForm(forms.Form):
    """A decision batch: the decisions taken for one event, or those taken within a date range."""

    event = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Test event"), required=False)
    date_from = forms.DateField(label=gettext_lazy("Decided from"), required=False, widget=_date_widget())
    date_to = forms.DateField(label=gettext_lazy("Decided until"), required=False, widget=_date_widget(),
                              help_text=gettext_lazy("A decision taken in a pleno counts on the pleno's day; "
                                                     "another on the day it was recorded."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events_visible_to(user).filter(
            participants__certificates__isnull=False).distinct().order_by("-starts_at")
        self.fields["event"].label_from_instance = lambda e: f"{e.scheme.code} · {e.test_site.name} · " \
                                                             f"{day(e.starts_at)}"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if data.get("event") is None and not (start and end):
            raise forms.ValidationError(_("Choose an event, or give both dates of the range."))
        if data.get("event") is None and start > end:
            raise forms.ValidationError(_("The range ends before it starts."))
        if data.get("event") is None and (end - start).days > MAX_RANGE_DAYS:
            raise forms.ValidationError(_("Choose a range of at most a year."))
        return data

    def certificates(self):
        d = self.cleaned_data
        if d.get("event") is not None:
            return bnsp.batch_certificates(event=d["event"])
        return bnsp.batch_certificates(date_from=d["date_from"], date_to=d["date_to"])


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("BNSP's answer (the request with the numbers filled in, .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


def _batch(request, data):
    form = BatchForm(data or None, user=request.user)
    return form, (form.certificates() if data and form.is_valid() else None)


@lsp_admin
def batch(request):
    form, certs = _batch(request, request.GET)
    rows = []
    if certs is not None:
        certs = list(certs)
        niks = dict(ApplicantProfile.objects.filter(user_id__in=[c.application.applicant_id for c in certs])
                    .values_list("user_id", "nik"))
        rows = [{"cert": c, "nik": mask_nik(niks.get(c.application.applicant_id)),
                 "decided_on": c.participant.decided_at} for c in certs]
    return render(request, "assessments/bnsp.html", {
        "form": form, "rows": rows, "selected": certs is not None, "query": request.GET.urlencode(),
        "missing_nik": sum(1 for r in rows if not r["nik"]), "upload_form": UploadForm()})


@lsp_admin
def export(request):
    form, certs = _batch(request, request.GET)
    if certs is None:
        messages.error(request, _("Choose an event, or give both dates of the range."))
        return redirect("assessments:bnsp")
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(f"permohonan-registrasi-bnsp-{stamp}.xlsx", [bnsp.request_sheet(certs)])


def _keep_for_review(request, rows, source: str) -> None:
    request.session[SESSION_KEY] = {"rows": bnsp.rows_to_session(rows), "source": source}


def _to_review(request, rows, source: str):
    _keep_for_review(request, rows, source)
    return redirect("assessments:bnsp-review")


@lsp_admin
@require_POST
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file BNSP returned."))
        return redirect("assessments:bnsp")
    upload = form.cleaned_data["file"]
    return run_action(request, lambda data: _keep_for_review(request, bnsp.read_xlsx(upload), upload.name[:100]),
                      success=None, redirect_to="assessments:bnsp-review", error_redirect="assessments:bnsp")


@lsp_admin
@require_POST
def typed(request):
    form, certs = _batch(request, request.POST)
    if certs is None:
        messages.error(request, _("Choose an event, or give both dates of the range."))
        return redirect("assessments:bnsp")
    rows = bnsp.typed_rows(certs, request.POST)
    if not rows:
        messages.info(request, _("No numbers were typed."))
        return redirect(reverse("assessments:bnsp") + "?" + urlencode(
            {k: request.POST.get(k, "") for k in ("event", "date_from", "date_to")}))
    return _to_review(request, rows, _("typed"))


@lsp_admin
def review(request):
    saved = request.session.get(SESSION_KEY)
    if not saved:
        messages.info(request, _("Export the request or upload BNSP's answer first."))
        return redirect("assessments:bnsp")
    rows = bnsp.check_rows(bnsp.rows_from_session(saved["rows"]))
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)
        if "cancel" in request.POST:
            messages.info(request, _("Import cancelled; nothing was recorded."))
            return redirect("assessments:bnsp")
        done, refused = bnsp.rows_apply(rows, actor=request.user, source=saved["source"])
        messages.success(request, _("BNSP numbers recorded for %(count)s certificates.") % {"count": done})
        for line in refused:
            messages.error(request, _("Not recorded: %(row)s") % {"row": line})
        return redirect("assessments:bnsp")
    return render(request, "assessments/bnsp_review.html", {
        "rows": rows, "source": saved["source"], "ready": sum(1 for r in rows if r.ready),
        "refused": sum(1 for r in rows if r.problems), "unchanged": sum(1 for r in rows if r.unchanged)})


"""Issue 19: FR.AK.01 (the agreement and each party's consent), FR.AK.07 (reasonable adjustments), FR.AK.05 (the
assessor's report) and FR.AK.06 (quality's review): forms, PDFs, and this area's part of the event page, the staff
participant page and the applicant's page (the ``*_context`` hooks). Services: ``assessments.instruments.services.records``.

Who reads what (``selectors``): the participant their own FR.AK.01 and FR.AK.07; their assessor, the LSP admin and
quality management all four; the Kepala TUK the FR.AK.05/06 of their site's events; nobody else."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.events.models import EventAssessor, EventStatus, Participant
from assessments.events.selectors import events_visible_to, get_or_403
from assessments.instruments.models.records import (
    AgreementConsent,
    AssessmentReview,
    AssessorReport,
    ReasonableAdjustment,
)
from assessments.instruments.paperwork import records as paperwork
from assessments.instruments.selectors import (
    RECORD_READERS,
    assessment_reviews_visible_to,
    assessor_reports_visible_to,
    record_participants_visible_to,
)
from assessments.instruments.services import consents as consent_services
from assessments.instruments.services import records as svc
from certportal.accounts.models import Role
from certportal.pdf import pdf_response
from certportal.permissions import role_required
from certportal.workflow.views import run_action, run_form

Party = AgreementConsent.Party



SIGNATURE_HELP = gettext_lazy("Typing your name signs this form electronically.")


def _signature(label=None) -> forms.CharField:
    return forms.CharField(label=label or _("Your full name (your signature)"), max_length=200,
                           help_text=SIGNATURE_HELP)


class ConsentForm(forms.Form):
    signed_name = forms.CharField(label=gettext_lazy("Your full name (your signature)"), max_length=200,
                                  help_text=SIGNATURE_HELP)


class AdjustmentForm(forms.Form):
    needs = forms.MultipleChoiceField(label=gettext_lazy("The participant's particular needs"), required=False,
                                      choices=svc.NEEDS, widget=forms.CheckboxSelectMultiple)
    needs_note = forms.CharField(label=gettext_lazy("About these needs"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    adjustments = forms.CharField(
        label=gettext_lazy("Adjustments to the assessment"), required=False, max_length=svc.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("E.g. extra time, a reader or a scribe, an interpreter, assistive tools, another "
                               "room; or that no adjustment is needed."))
    signed_name = forms.CharField(label=gettext_lazy("Your full name (your signature)"), max_length=200,
                                  help_text=SIGNATURE_HELP)


class ReportForm(forms.Form):
    aspects = forms.CharField(label=gettext_lazy("Positive and negative aspects of the assessment"), required=False,
                              max_length=svc.TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    rejections = forms.CharField(label=gettext_lazy("Rejections of the assessment result recorded"), required=False,
                                 max_length=svc.TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    improvements = forms.CharField(label=gettext_lazy("Suggestions for improvement"), required=False,
                                   max_length=svc.TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=svc.TEXT_MAX_LENGTH,
                            widget=forms.Textarea(attrs={"rows": 2}))
    signed_name = forms.CharField(label=gettext_lazy("Your full name (your signature)"), max_length=200,
                                  help_text=SIGNATURE_HELP)


class ReviewForm(forms.Form):
    """FR.AK.06: Yes/No and a note per aspect (``met_<code>``, ``note_<code>``), recommendations, the signature."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _part, text in svc.REVIEW_ASPECTS:
            self.fields[f"met_{code}"] = forms.ChoiceField(
                label=text, choices=[("ya", _("Yes")), ("tidak", _("No"))],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Answer every aspect with Yes or No: %(aspect)s") % {"aspect": text}})
            self.fields[f"note_{code}"] = forms.CharField(label=_("Note"), required=False,
                                                          max_length=svc.NOTE_MAX_LENGTH)
        self.fields["recommendations"] = forms.CharField(
            label=_("Recommendations for improvement"), required=False, max_length=svc.TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}))
        self.fields["signed_name"] = _signature()

    def parts(self) -> list[dict]:
        """The aspects grouped under FR.AK.06's parts, each with its two fields, for the template."""
        out: dict[str, dict] = {}
        for code, part, _text in svc.REVIEW_ASPECTS:
            out.setdefault(part, {"title": svc.REVIEW_PARTS[part], "rows": []})["rows"].append(
                {"code": code, "met": self[f"met_{code}"], "note": self[f"note_{code}"]})
        return list(out.values())

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        findings = {code: (data[f"met_{code}"] == "ya", data[f"note_{code}"]) for code, _p, _t in svc.REVIEW_ASPECTS}
        return {"findings": findings, "recommendations": data["recommendations"], "signed_name": data["signed_name"]}


# --- FR.AK.01 ---------------------------------------------------------------------------------------------------


def consent_action(request, participant: Participant, *, redirect_to: str):
    """The participant's consent from their page (action "agree" of ``views.participant``)."""
    from assessments.instruments import services

    return run_action(request, lambda data: services.participant_accept_agreement(
        participant, user=request.user, signed_name=data["signed_name"]), form=ConsentForm(request.POST),
        success=_("You consented to the assessment agreement (FR.AK.01)."), redirect_to=redirect_to)


@role_required(Role.ASSESSOR)
def assessor_consent(request, pk):
    if request.method != "POST":
        return redirect("assessments:participant", pk=pk)
    participant = get_or_403(record_participants_visible_to(request.user), pk=pk)
    here = reverse("assessments:participant", args=[participant.pk])
    return run_action(request, lambda data: consent_services.assessor_accept_agreement(
        participant, user=request.user, signed_name=data["signed_name"]), form=ConsentForm(request.POST),
        success=_("You consented to the assessment agreement (FR.AK.01) as assessor."), redirect_to=here)


@role_required(Role.APPLICANT, Role.ASSESSOR, *RECORD_READERS)
def ak01_pdf(request, pk):
    participant = get_or_403(record_participants_visible_to(request.user), pk=pk)
    if not participant.consents.exists():
        raise Http404
    return pdf_response(paperwork.render_ak01(participant), f"fr-ak-01-{participant.pk}.pdf")


# --- FR.AK.07 ---------------------------------------------------------------------------------------------------


@role_required(Role.ASSESSOR)
def ak07_form(request, pk):
    participant = get_or_403(record_participants_visible_to(request.user).filter(assessor__user=request.user),
                             pk=pk)
    here = reverse("assessments:participant", args=[participant.pk])
    row = ReasonableAdjustment.objects.filter(participant=participant).first()
    initial = {"needs": row.needs, "needs_note": row.needs_note, "adjustments": row.adjustments} if row else {}
    form = AdjustmentForm(request.POST or None, initial=initial)
    return run_form(request, form, lambda data: svc.adjustment_record(participant, user=request.user, **data),
                    success=_("The reasonable adjustments (FR.AK.07) are recorded."), redirect_to=here,
                    template="assessments/ak07_form.html",
                    context=lambda: {"p": participant, "event": participant.event, "row": row, "back": here,
                                     "refusal_now": svc.adjustment_refusal(participant, request.user)})


@role_required(Role.APPLICANT, Role.ASSESSOR, *RECORD_READERS)
def ak07_pdf(request, pk):
    participant = get_or_403(record_participants_visible_to(request.user), pk=pk)
    row = ReasonableAdjustment.objects.filter(participant=participant).select_related("recorded_by").first()
    if row is None:
        raise Http404
    return pdf_response(paperwork.render_ak07(row), f"fr-ak-07-{participant.pk}.pdf")


# --- FR.AK.05 ---------------------------------------------------------------------------------------------------


@role_required(Role.ASSESSOR)
def ak05_form(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    here = reverse("assessments:event", args=[event.pk])
    mine = AssessorReport.objects.filter(event=event, assessor__user=request.user).first()
    if mine is not None:
        return redirect(reverse("assessments:ak05-pdf", args=[mine.pk]))
    link = EventAssessor.objects.filter(event=event, assessor__user=request.user).select_related("assessor").first()
    form = ReportForm(request.POST or None)
    return run_form(request, form, lambda data: svc.report_sign(event, user=request.user, **data),
                    success=_("Your assessment report (FR.AK.05) is signed."), redirect_to=here,
                    template="assessments/ak05_form.html",
                    context=lambda: {"event": event, "back": here, "refusal_now": svc.report_refusal(event, request.user),
                                     "preview": svc.report_snapshot(event, link.assessor) if link else None})


@role_required(Role.ASSESSOR, Role.TUK_HEAD, *RECORD_READERS)
def ak05_pdf(request, pk):
    report = get_or_403(assessor_reports_visible_to(request.user), pk=pk)
    return pdf_response(paperwork.render_ak05(report), f"fr-ak-05-{report.event_id}-{report.assessor_id}.pdf")


# --- FR.AK.06 ---------------------------------------------------------------------------------------------------


@role_required(Role.QUALITY)
def ak06_form(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    here = reverse("assessments:event", args=[event.pk])
    if AssessmentReview.objects.filter(event=event).exists():
        return redirect(reverse("assessments:ak06-pdf", args=[event.pk]))
    form = ReviewForm(request.POST or None)
    return run_form(request, form, lambda data: svc.review_record(event, user=request.user, **form.service_kwargs()),
                    success=_("The review of the assessment (FR.AK.06) is recorded."), redirect_to=here,
                    template="assessments/ak06_form.html",
                    context=lambda: {"event": event, "back": here, "refusal_now": svc.review_refusal(event, request.user),
                                     "reports": AssessorReport.objects.filter(event=event)
                                     .select_related("assessor__user")})


@role_required(Role.ASSESSOR, Role.TUK_HEAD, *RECORD_READERS)
def ak06_pdf(request, pk):
    review = get_or_403(assessment_reviews_visible_to(request.user), event_id=pk)
    return pdf_response(paperwork.render_ak06(review), f"fr-ak-06-{review.event_id}.pdf")


urls = [
    path("peserta/<int:pk>/fr-ak-01/", assessor_consent, name="ak01-assessor-consent"),
    path("peserta/<int:pk>/fr-ak-01.pdf", ak01_pdf, name="ak01-pdf"),
    path("peserta/<int:pk>/fr-ak-07/", ak07_form, name="ak07"),
    path("peserta/<int:pk>/fr-ak-07.pdf", ak07_pdf, name="ak07-pdf"),
    path("acara/<int:pk>/fr-ak-05/", ak05_form, name="ak05"),
    path("fr-ak-05/<int:pk>.pdf", ak05_pdf, name="ak05-pdf"),
    path("acara/<int:pk>/fr-ak-06/", ak06_form, name="ak06"),
    path("acara/<int:pk>/fr-ak-06.pdf", ak06_pdf, name="ak06-pdf"),
]


# --- this area's part of the event, participant and applicant pages --------------------------------------------


def _reads_event_records(user, event) -> bool:
    if user.has_role(*RECORD_READERS):
        return True
    if user.has_role(Role.TUK_HEAD) and event.test_site.head_id == user.pk:
        return True
    return user.has_role(Role.ASSESSOR) and event.event_assessors.filter(assessor__user=user).exists()


def event_context(user, event) -> dict:
    """FR.AK.05 per assessor of the event (state; the PDF where the reader may read it; the own assessor's form or
    why not yet) and FR.AK.06 (state, PDF, quality's form or why not yet)."""
    if not _reads_event_records(user, event):
        return {}
    reports = {r.assessor_id: r for r in AssessorReport.objects.filter(event=event)}
    if not reports and not event.reached(EventStatus.HELD):  # nothing to report before the test is held
        return {}
    readable = set(assessor_reports_visible_to(user).filter(event=event).values_list("pk", flat=True))
    rows = []
    for link in event.event_assessors.select_related("assessor__user").order_by("assessor__user__full_name"):
        report, own = reports.get(link.assessor_id), link.assessor.user_id == user.pk
        rows.append({"assessor": link.assessor, "report": report, "own": own,
                     "readable": bool(report and report.pk in readable),
                     "refusal": svc.report_refusal(event, user) if own and not report else ""})
    review = AssessmentReview.objects.filter(event=event).select_related("reviewer").first()
    is_quality = user.has_role(Role.QUALITY)
    return {"records": {
        "reports": rows, "review": review,
        "review_readable": bool(review and assessment_reviews_visible_to(user).filter(pk=review.pk).exists()),
        "is_quality": is_quality, "review_refusal": svc.review_refusal(event, user) if is_quality and not review
        else ""}}


def _current(consents: dict, participant) -> AgreementConsent | None:
    """The assessor's consent, unless it was given by an assessor since replaced (the new one consents again)."""
    given = consents.get(Party.ASSESSOR)
    return None if given is None or consent_services.by_a_former_assessor(given, participant) else given


def participant_context(user, participant) -> dict:
    """FR.AK.01 (the agreement, both consents, the own assessor's consent form) and FR.AK.07 (read-only; the own
    assessor's link to record it before the test) — for the readers of these records only."""
    if not record_participants_visible_to(user).filter(pk=participant.pk).exists():
        return {}
    consents = consent_services.consents_of(participant)
    own = bool(participant.assessor_id and participant.assessor.user_id == user.pk)
    adjustment = ReasonableAdjustment.objects.filter(participant=participant).select_related("recorded_by").first()
    return {"records": {
        "terms": consent_services.agreement_terms(participant), "consents": consents,
        "participant_consent": consents.get(Party.PARTICIPANT), "assessor_consent": _current(consents, participant),
        "own": own, "consent_form": ConsentForm(),
        "consent_refusal": consent_services.consent_refusal(participant, party=Party.ASSESSOR, user=user) if own else "",
        "adjustment": adjustment, "needs": paperwork.needs_rows(adjustment),
        "adjustment_refusal": svc.adjustment_refusal(participant, user) if own else ""}}


def my_context(user, participant) -> dict:
    """The applicant's FR.AK.01 (the agreement, the consent form or the consents given) and FR.AK.07 (read-only)."""
    consents = consent_services.consents_of(participant)
    adjustment = ReasonableAdjustment.objects.filter(participant=participant).first()
    return {"records": {
        "terms": consent_services.agreement_terms(participant), "consents": consents,
        "participant_consent": consents.get(Party.PARTICIPANT), "assessor_consent": _current(consents, participant),
        "consent_form": ConsentForm(),
        "consent_refusal": consent_services.consent_refusal(participant, party=Party.PARTICIPANT, user=user),
        "adjustment": adjustment, "needs": paperwork.needs_rows(adjustment)}}

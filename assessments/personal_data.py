"""The assessments app's part of "download my data": participations with every unit result and explanation,
appeals, certificates and result letters (with their PDFs), handovers, look-ups of the person's certificates,
conflicts of interest declared about them, the plenos they sat in, and, for an assessor, their assessor record."""

from django.utils.translation import gettext_lazy as _

from assessments.certificates.models import (
    Certificate,
    ExpiryReminder,
    Handover,
    HolderReport,
    Renewal,
    ResultLetter,
    SurveillanceFile,
    SurveillanceReport,
)
from assessments.events.models import Appeal, Assessor, ConflictOfInterest, Participant, Pleno
from assessments.instruments.models import AssessmentFeedback, ReasonableAdjustment, WrittenTest
from certportal.personal_data import PersonalFile, Section, rows

EXPORTS = [
    "assessments.Assessor.user", "assessments.ConflictOfInterest.person", "assessments.ConflictOfInterest.assessor",
    "assessments.EventAssessor.assessor", "assessments.Participant.application",
    "assessments.Participant.reassessment_of", "assessments.UnitResult.participant", "assessments.Appeal.participant",
    "assessments.Certificate.participant", "assessments.Certificate.application", "assessments.Certificate.replaces",
    "assessments.ResultLetter.participant", "assessments.ResultLetter.application", "assessments.Handover.application",
    "assessments.Handover.certificate", "assessments.Handover.result_letter",
    "assessments.VerificationLookup.certificate", "assessments.Certificate.renews",
    "assessments.HolderReport.reporter", "assessments.HolderReport.certificate",
    "assessments.SurveillanceReport.certificate", "assessments.SurveillanceReport.submitted_by",
    "assessments.SurveillanceFile.report", "assessments.ExpiryReminder.certificate",
    "assessments.Renewal.application", "assessments.Renewal.previous", "assessments.AssessmentFeedback.participant",
    # issue 19: their consents to FR.AK.01 (a participant's, or an assessor's own), adjustments, instrument records
    # and written test (outcomes and notes; the questions are confidential test material: see _participation)
    "assessments.AgreementConsent.participant", "assessments.AgreementConsent.user",
    "assessments.ReasonableAdjustment.participant", "assessments.InstrumentRecord.participant",
    "assessments.WrittenTest.participant",
    # issue 30: scope reductions of their certificates; misuse reports about their certificates (without who
    # reported) and those they filed with their account's e-mail as the contact (see _scope_and_misuse)
    "assessments.ScopeReduction.certificate", "assessments.ScopeReduction.replacement",
    "assessments.MisuseReport.certificate", "assessments.MisuseEvidence.report",
    # issue 31: the certificate's Open Badges credential (the signed JSON as issued)
    "assessments.IssuedCredential.certificate",
    # a certificate issued on paper before the portal, imported from the LSP's register and linked by NIP
    "assessments.Certificate.holder",
]
# Participant.assessor: the participants an assessor was given are other people; the assessor's part lists their
# numbers only (see _assessor).
NAMES = [
    "assessments.ReadinessCheck.checked_by", "assessments.EventDocumentation.uploaded_by",
    # the assessor whose planning of a test it is (a staff act)
    "assessments.EventPlanning.planned_by", "assessments.EventPlanning.link",
    "assessments.Participant.assessor", "assessments.Appeal.decided_by", "assessments.Certificate.issued_by",
    "assessments.Event.created_by", "assessments.EventStep.done_by", "assessments.Handover.handed_by",
    "assessments.Participant.decided_by", "assessments.PrintJob.created_by", "assessments.RegisterImport.created_by",
    "assessments.AdoptionImport.created_by", "assessments.RegisterImport.confirmed_by",
    "assessments.AdoptionImport.confirmed_by", "assessments.ResultLetter.issued_by",
    "assessments.UnitResult.recorded_by", "assessments.EventAssessor.confirmed_by", "assessments.EventReview.signed_by",
    "assessments.ApiToken.created_by", "assessments.Pleno.created_by",
    "assessments.AssessmentPlan.made_by", "assessments.AssessmentPlan.validated_by",
    "assessments.AssessmentReview.reviewer", "assessments.AssessorReport.assessor", "assessments.BankItem.created_by",
    "assessments.InstrumentRecord.recorded_by", "assessments.InstrumentValidation.recorded_by",
    "assessments.ReasonableAdjustment.recorded_by",
    # who keeps a scheme's question bank and who assigned them (a staff assignment, listed by kind and number)
    "assessments.BankKeeper.user", "assessments.BankKeeper.assigned_by",
    # the LSP admin who recorded a scope reduction and the members who took it (staff acts)
    "assessments.ScopeReduction.decided_by", "assessments.ScopeReduction.members",
    # the members of a pleno (its decisions are about others: see the "plenos" section) and an instrument's validators
    "assessments.Pleno.members", "assessments.InstrumentValidation.validators",
]


def collect(user) -> list[Section]:
    from assessments.certificates.services import kept_certificate_pdf, kept_letter_pdf

    participations = (Participant.objects.filter(application__applicant=user)
                      .select_related("event__scheme", "event__test_site", "assessor__user").order_by("pk"))
    certs = Certificate.objects.held_by(user).select_related("replaces", "credential").order_by("pk")
    letters = ResultLetter.objects.filter(application__applicant=user).order_by("pk")
    return [
        Section("participations", _("Test participations and unit results"), [_participation(p) for p in participations]),
        Section("appeals", _("Appeals"), rows(
            Appeal.objects.filter(participant__application__applicant=user).order_by("pk"), "id", "participant_id",
            "grounds", "discussed_with_assessor", "filed_at", "status", "outcome", "outcome_note", "decided_at")),
        Section("certificates", _("Certificates"), [_certificate(c) for c in certs],
                [PersonalFile(f"sertifikat-{c.pk}.pdf", lambda c=c: kept_certificate_pdf(c)) for c in certs
                 if not c.imported]),  # a certificate from the register is on paper: no PDF of it
        Section("result_letters", _("Result letters"), rows(letters, "id", "number", "issued_on", "holder_name",
                                                            "outcome", "snapshot", "created_at", "status",
                                                            "withdrawn_at", "withdrawn_reason"),
                [PersonalFile(f"surat-hasil-{x.pk}.pdf", lambda x=x: kept_letter_pdf(x)) for x in letters]),
        Section("handovers", _("Handovers of your documents"), rows(
            Handover.objects.filter(application__applicant=user).order_by("pk"), "application_id",
            "certificate__number", "result_letter__number", "handed_by__full_name", "received_by", "handed_at", "note")),
        *_after_certificate(user),
        Section("conflicts_about_you", _("Conflicts of interest declared about you"), rows(
            ConflictOfInterest.objects.filter(person=user), "assessor__user__full_name", "reason", "declared_at")),
        Section("assessor", _("Your assessor record"), _assessor(user)),
        # the plenos they sat in: the meeting and its decree, not the decisions (those are about the participants)
        Section("plenos", _("Plenos you sat in as a member"), rows(
            Pleno.objects.filter(members=user).order_by("held_on", "pk"), "id", "event_id", "event__scheme__code",
            "held_on", "decree_number", "status", "closed_at")),
    ]


def _after_certificate(user) -> list[Section]:
    """Holder reports, surveillance evidence (with its documents), expiry reminders and re-certifications."""
    surveillance = SurveillanceReport.objects.filter(certificate__application__applicant=user).order_by("pk")
    files = SurveillanceFile.objects.filter(report__in=surveillance).order_by("pk")
    return [
        Section("holder_reports", _("Your reports of changes affecting your competence"), rows(
            HolderReport.objects.filter(certificate__application__applicant=user).order_by("pk"),
            "certificate__number", "text", "status", "review_note", "created_at", "reviewed_at")),
        Section("surveillance", _("Your surveillance evidence"), rows(
            surveillance, "id", "certificate__number", "due_on", "statement", "status", "review_note",
            "created_at", "reviewed_at"),
            [PersonalFile(f"surveilans-{f.report_id}-{f.pk}.{f.kind}", lambda f=f: f.file.open("rb").read())
             for f in files]),
        Section("expiry_reminders", _("Reminders before your certificates expired"), rows(
            ExpiryReminder.objects.filter(certificate__application__applicant=user, sent=True).order_by("pk"),
            "certificate__number", "months", "created_at")),
        Section("recertifications", _("Your re-certifications"), rows(
            Renewal.objects.filter(application__applicant=user).order_by("pk"), "previous__number",
            "application_id", "documents_reused", "created_at")),
        *_scope_and_misuse(user),
    ]


def _scope_and_misuse(user) -> list[Section]:
    """Reductions of the holder's certificates; misuse reports about them (what, where and the result, never the
    reporter); the reports the person filed with their e-mail as the contact (with their evidence's names)."""
    from assessments.certificates.scope_models import MisuseReport, ScopeReduction

    filed = MisuseReport.objects.filter(reporter_contact__iexact=user.email).order_by("pk") if user.email else \
        MisuseReport.objects.none()
    return [
        Section("scope_reductions", _("Scope reductions of your certificates"), rows(
            ScopeReduction.objects.filter(certificate__application__applicant=user).order_by("pk"),
            "certificate__number", "replacement__number", "units_removed", "units_kept", "ground", "reason",
            "decree_number", "decided_on")),
        Section("misuse_about_you", _("Reports of misuse of your certificates"), rows(
            MisuseReport.objects.filter(certificate__application__applicant=user).order_by("pk"),
            "certificate__number", "what", "where", "status", "result_note", "created_at", "handled_at")),
        Section("misuse_you_reported", _("Misuse reports you filed"), rows(
            filed, "id", "certificate__number", "what", "where", "reporter_name", "reporter_contact", "status",
            "created_at", "files__original_name")),
    ]


def _participation(p: Participant) -> dict:
    return {
        "id": p.pk, "application": p.application_id, "scheme": p.event.scheme.code, "event_at": p.event.starts_at,
        "test_site": p.event.test_site.name, "assessor": p.assessor.user.full_name if p.assessor else "",
        "reassessment_of": p.reassessment_of_id, "attendance_confirmed_at": p.attendance_confirmed_at,
        "present": p.attended, "agreement_accepted_at": p.agreement_accepted_at, "status": p.status,
        "recommendation": p.recommendation, "decision": p.decision, "decision_note": p.decision_note,
        "decided_at": p.decided_at, "obligations_accepted_at": p.obligations_accepted_at,
        "obligations_accepted": p.obligations_accepted,  # the text accepted: version, obligations, rules, SHA-256
        # the pleno that decided (its decree), when the decision was taken in one
        "decree_number": p.pleno.decree_number if p.pleno_id else "",
        "decree_date": p.pleno.held_on if p.pleno_id else None,
        # FR.AK.03 as they gave it
        "feedback": rows(AssessmentFeedback.objects.filter(participant=p), "form_version", "answers",
                         "overall_comment", "signed_name", "assessment_started_on", "assessment_ended_on",
                         "submitted_at", "ip_address"),
        "unit_results": rows(p.results.order_by("unit__code"), "unit__code", "unit__title", "result", "method",
                             "evidence", "notes", "explanation", "carried_over", "evidence_gap_reason", "recorded_at"),
        # issue 19: FR.AK.01 consents, FR.AK.07, and per instrument its outcome and the assessor's notes. The
        # entries (questions, keys, the answers to them) stay out: they are confidential test material (seed 000)
        "consents": rows(p.consents.order_by("signed_at"), "party", "signed_name", "signed_at"),
        "adjustment": rows(ReasonableAdjustment.objects.filter(participant=p), "needs", "needs_note", "adjustments",
                           "recorded_at"),
        "instrument_records": rows(p.instrument_records.order_by("unit__code", "instrument"), "unit__code",
                                   "instrument", "status", "outcome", "notes", "signed_at"),
        "written_test": rows(WrittenTest.objects.filter(participant=p), "status", "started_at", "submitted_at",
                             "timed_out", "correct", "total"),
    }


def _certificate(c: Certificate) -> dict:
    return {
        "id": c.pk, "number": c.number, "status": c.status, "state": c.state(), "issued_on": c.issued_on,
        "valid_until": c.expires_on, "status_reason": c.status_reason, "suspended_until": c.suspended_until,
        "replaces": c.replaces.number if c.replaces else "", "holder_name": c.holder_name,
        "holder_nip": c.holder_nip, "holder_unit": c.holder_unit, "scheme": c.scheme_code,
        "scheme_name": c.scheme_name, "printed_data": c.snapshot, "verification_code": c.verification_code,
        # who looked the certificate up is about them (their address); the holder sees when and how
        "public_lookups": rows(c.lookups.order_by("at"), "at", "via"),
        "open_badge_credential": getattr(getattr(c, "credential", None), "document", ""),
        "open_badge_credential_vc2": getattr(getattr(c, "credential", None), "document_v2", ""),
    }


def _assessor(user) -> list[dict]:
    assessor = Assessor.objects.filter(user=user).prefetch_related("schemes").first()
    if assessor is None:
        return []
    return [{
        "registration_number": assessor.registration_number, "nip": assessor.nip,
        "licence_valid_from": assessor.licence_valid_from, "licence_valid_until": assessor.licence_valid_until,
        "active": assessor.is_active, "schemes": [s.code for s in assessor.schemes.all()],
        "events": rows(assessor.event_links.order_by("event__starts_at"), "event_id", "event__scheme__code",
                       "event__starts_at", "confirmed_at", "confirmed_how", "attended", "signed_report_at"),
        "conflicts_declared": rows(assessor.conflicts.order_by("declared_at"), "person_id", "reason", "declared_at"),
        "participants_assigned": list(assessor.participants.order_by("pk").values_list("pk", flat=True)),
    }]

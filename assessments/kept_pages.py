"""The assessments' detail pages kept per record (:mod:`certportal.kept_pages`): a test event, a participant and a
certificate, each with the records it hangs on and every model it reads (checked against what each page asks the
database for the demo's records: ``tests/core/test_kept_pages.py``). A model read with ``None`` forgets every such
page when any of its rows changes: the reference tables, the accounts, and the tables a page reads beyond its own
record (the event's candidates are every application of its scheme)."""

from __future__ import annotations

from certportal.kept_pages import KeptPage, Link, about, register, signed

EVENT, PARTICIPANT, CERTIFICATE = "assessments.Event", "assessments.Participant", "assessments.Certificate"
APPLICATION = "applicants.Application"
# read by every page as they stand: changed by the LSP's own staff, seldom
REFERENCE: dict[str, Link | list[Link] | None] = dict.fromkeys((
    "accounts.User", "accounts.UserRole", "assessments.Assessor", "schemes.Scheme", "schemes.SchemeUnit",
    "schemes.Unit", "schemes.TestSite"))


def _event_page() -> KeptPage:
    on_event: dict[str, Link | list[Link] | None] = {f"assessments.{m}": (EVENT, "event_id") for m in (
        "Participant", "EventDocumentation", "AssessorReport", "EventAssessor", "EventReview", "EventPlanning",
        "PrintJob", "EventStep", "AssessmentReview", "ReadinessCheck", "Pleno")}
    return KeptPage("assessments.event", anchors={EVENT: "pk"}, reads={
        **REFERENCE, **on_event, EVENT: (EVENT, "pk"),
        "assessments.Appeal": (EVENT, "participant.event_id"),
        "assessments.UnitResult": (EVENT, "participant.event_id"),
        "signing.SignedDocument": (EVENT, signed("report")), "audit.AuditEntry": (EVENT, about(EVENT)),
        # the candidates to add: every application of the event's scheme
        APPLICATION: None, "assessments.Procedure": None, "assessments.AssessmentPlan": None,
        "quality.Declaration": None, "sla.SeededYear": None, "sla.CalendarDay": None, "sla.WorkWeek": None})


def _participant_page() -> KeptPage:
    on_participant: dict[str, Link | list[Link] | None] = {
        f"assessments.{m}": (PARTICIPANT, "participant_id") for m in (
        "Appeal", "ReasonableAdjustment", "InstrumentRecord", "AgreementConsent", "UnitResult", "WrittenTest",
        "AssessmentFeedback", "ResultLetter", "Certificate")}
    return KeptPage("assessments.participant",
                    anchors={PARTICIPANT: "pk", EVENT: "event_id", APPLICATION: "application_id"}, reads={
        **REFERENCE, **on_participant, PARTICIPANT: (PARTICIPANT, "pk"), EVENT: (EVENT, "pk"),
        APPLICATION: (APPLICATION, "pk"), "assessments.Pleno": (EVENT, "event_id"),
        "assessments.EventAssessor": (EVENT, "event_id"), "audit.AuditEntry": (PARTICIPANT, about(PARTICIPANT)),
        "assessments.AssessmentPlan": None, "assessments.PlanEvidence": None, "assessments.ConflictOfInterest": None,
        "lsp.LspProfile": None})


def _certificate_page() -> KeptPage:
    return KeptPage("assessments.certificate",
                    anchors={CERTIFICATE: "pk", PARTICIPANT: "participant_id", APPLICATION: "application_id"}, reads={
        **REFERENCE,
        # the certificate, the one correcting or renewing it, and what hangs on it
        CERTIFICATE: [(CERTIFICATE, "pk"), (CERTIFICATE, "replaces_id"), (CERTIFICATE, "renews_id")],
        PARTICIPANT: (PARTICIPANT, "pk"), APPLICATION: (APPLICATION, "pk"),
        "assessments.HolderReport": (CERTIFICATE, "certificate_id"),
        "assessments.ScopeReduction": [(CERTIFICATE, "certificate_id"), (CERTIFICATE, "replacement_id")],
        "assessments.Handover": (CERTIFICATE, "certificate_id"),
        "assessments.SurveillanceReport": (CERTIFICATE, "certificate_id"),
        "signing.SignedDocument": (CERTIFICATE, signed("certificate")),
        "audit.AuditEntry": (CERTIFICATE, about(CERTIFICATE))})


def register_pages() -> None:
    for page in (_event_page(), _participant_page(), _certificate_page()):
        register(page)

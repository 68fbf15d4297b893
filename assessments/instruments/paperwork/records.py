"""FR.AK.01, FR.AK.05, FR.AK.06 and FR.AK.07 as PDFs (BNSP's paper forms, in Indonesian), each printed from the
data frozen on its signed row: the consents' snapshots (FR.AK.01), the report's snapshot (FR.AK.05), the review's
findings as signed (FR.AK.06), the adjustment as the assessor signed it last (FR.AK.07)."""

from __future__ import annotations

from django.utils import timezone

from assessments.events.models import Participant
from assessments.instruments.models.records import (
    AgreementConsent,
    AssessmentReview,
    AssessorReport,
    ReasonableAdjustment,
)
from assessments.instruments.services import consents as consent_services
from assessments.instruments.services import records as svc
from assessments.instruments.services.plans import participant_group
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf


def render_ak01(participant: Participant) -> bytes:
    """The agreement as the participant was shown it (else as their assessor was), with both signatures."""
    consents = consent_services.consents_of(participant)
    participant_consent = consents.get(AgreementConsent.Party.PARTICIPANT)
    assessor_consent = consents.get(AgreementConsent.Party.ASSESSOR)
    terms = (participant_consent or assessor_consent).snapshot
    return render_pdf("assessments/pdf/ak01.html", {
        "p": participant, "t": terms, "participant_consent": participant_consent,
        "assessor_consent": assessor_consent, "lsp": letterhead(), "printed_at": timezone.now()}, language="id")


def render_ak05(report: AssessorReport) -> bytes:
    return render_pdf("assessments/pdf/ak05.html", {
        "r": report, "s": report.snapshot, "event": report.event, "lsp": letterhead(), "printed_at": timezone.now()},
        language="id")


def review_parts(review: AssessmentReview) -> list[dict]:
    """The findings under FR.AK.06's parts, in the order signed."""
    out: dict[str, dict] = {}
    for answer in review.answers:
        part = answer.get("part", "")
        out.setdefault(part, {"code": part, "title": svc.REVIEW_PARTS.get(part, part), "rows": []})["rows"].append(
            answer)
    return list(out.values())


def render_ak06(review: AssessmentReview) -> bytes:
    event = review.event
    reports = (AssessorReport.objects.filter(event=event, signed_at__lte=review.signed_at)
               .select_related("assessor__user").order_by("signed_at"))
    return render_pdf("assessments/pdf/ak06.html", {
        "v": review, "event": event, "parts": review_parts(review), "reports": reports, "lsp": letterhead(),
        "printed_at": timezone.now()}, language="id")


def needs_rows(row: ReasonableAdjustment | None) -> list[dict]:
    """FR.AK.07's checklist, each need with whether it is ticked."""
    ticked = set(row.needs) if row else set()
    return [{"code": code, "label": label, "ticked": code in ticked} for code, label in svc.NEEDS]


def render_ak07(adjustment: ReasonableAdjustment) -> bytes:
    p = adjustment.participant
    return render_pdf("assessments/pdf/ak07.html", {
        "p": p, "event": p.event, "scheme": p.application.scheme, "a": adjustment, "needs": needs_rows(adjustment),
        "potentials": _potentials(participant_group(p)), "lsp": letterhead(), "printed_at": timezone.now()},
        language="id")


def _potentials(group: str) -> list[tuple[str, bool]]:
    """BNSP's five candidate potentials as FR.AK.07 part A lists them, the participant's ticked."""
    from assessments.instruments.paperwork.plans import GROUP_NAMES

    return [(name, code == group) for code, name in GROUP_NAMES.items()]

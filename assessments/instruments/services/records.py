"""The signed records around an assessment's results (``assessments.instruments.models.records``): FR.AK.07,
FR.AK.05 and FR.AK.06, and what they share with FR.AK.01 (:mod:`.consents`): the typed-name signature, the
frozen snapshot, the audit codes. None of them has a life of statuses: each is signed (typed name, time, client
address) and audited; what a form prints is frozen when it is signed.

- **FR.AK.07**, reasonable adjustments (:func:`adjustment_record`): the participant's own assessor records the
  needs (BNSP's checklist, :data:`NEEDS`) and the adjustments *before the test starts*; one record, replaced (the
  audit note keeps what it replaced) until the start, read-only after.
- **FR.AK.05**, the assessor's report (:func:`report_sign`): one per assessor and event, signed once every
  participant they assess has a result for every unit to assess or is absent, **and once the berita acara is
  signed** (SOP step 6 locks the results). Decision: the report lists the results and recommendations it reports
  on, so it comes after they are locked and never disagrees with them; the berita acara does not wait for it, so
  step 6 is unchanged. A later correction by the LSP admin is the correction's own record.
- **FR.AK.06**, quality's review (:func:`review_record`): once per event, by quality management, once at least one
  FR.AK.05 is signed. SOP step 7 (the review sign-offs and the step) waits for it (:func:`review_missing`, asked
  by the event's workflow through :mod:`assessments.events.hooks`); the event page asks quality for it (see
  :mod:`assessments.instruments.views.records`).
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from assessments.errors import AssessmentError
from assessments.events import hooks
from assessments.events.models import Assessor, Event, EventAssessor, Participant, ParticipantStatus
from assessments.events.services.results import recommend, units_to_assess
from assessments.instruments.models.records import (
    AgreementConsent,
    AssessmentReview,
    AssessorReport,
    ReasonableAdjustment,
)
from assessments.instruments.services.signature import own_name_matches
from certportal import dates
from certportal.audit.services import audit_record
from certportal.net import current_client_ip
from certportal.sentences import one_full_stop

FORM_VERSION = "1"
TEXT_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 1000
Party = AgreementConsent.Party
AUDIT = {  # audit codes (labels: workflow/records.py)
    Party.PARTICIPANT: "assessments.participant.agreement_signed",
    Party.ASSESSOR: "assessments.participant.agreement_signed_by_assessor",
    "adjustment": "assessments.participant.adjustments_recorded",
    "adjustment_replaced": "assessments.participant.adjustments_replaced",
    "report": "assessments.event.assessor_report_signed",
    "review": "assessments.event.assessment_reviewed",
}

# FR.AK.07's checklist of the participant's needs (codes stored in ReasonableAdjustment.needs).
NEEDS = [
    ("physical", gettext_lazy("Physical limitations (sight, hearing, speech, movement)")),
    ("mental", gettext_lazy("Intellectual or mental limitations")),
    ("social", gettext_lazy("Social or emotional limitations")),
    ("literacy", gettext_lazy("Literacy and numeracy (reading, writing, counting)")),
    ("language", gettext_lazy("Language")),
    ("culture", gettext_lazy("Culture or religion")),
    ("age", gettext_lazy("Age")),
    ("gender", gettext_lazy("Gender")),
    ("health", gettext_lazy("Health condition")),
    ("other", gettext_lazy("Other (see the note)")),
]
NEED_LABELS = dict(NEEDS)
# FR.AK.06's aspects: (code, part, aspect), each answered met (Ya) or not (Tidak) with a note.
REVIEW_PARTS = {
    "principles": gettext_lazy("Assessment process: the principles of assessment"),
    "evidence": gettext_lazy("Assessment process: the rules of evidence"),
    "decision": gettext_lazy("Assessment decision"),
}
REVIEW_ASPECTS = [
    ("valid", "principles", gettext_lazy("Valid: the assessment assessed what it was meant to assess, against the "
                                         "units' performance criteria")),
    ("reliable", "principles", gettext_lazy("Reliable: the assessment would give the same result whoever assessed "
                                            "and whenever")),
    ("flexible", "principles", gettext_lazy("Flexible: the assessment was adapted to the participant and the "
                                            "context without lowering the standard")),
    ("fair", "principles", gettext_lazy("Fair: no participant was disadvantaged, and the appeal procedure was "
                                        "explained")),
    ("evidence_valid", "evidence", gettext_lazy("Valid evidence: it covers the units' requirements")),
    ("authentic", "evidence", gettext_lazy("Authentic evidence: it is the participant's own work")),
    ("current", "evidence", gettext_lazy("Current evidence: it shows the participant's present competence")),
    ("sufficient", "evidence", gettext_lazy("Sufficient evidence: enough to judge every unit")),
    ("consistent", "decision", gettext_lazy("The assessment decisions are consistent with the assessment plan and "
                                            "with one another")),
]


def _json_time(moment) -> str:
    """A moment stored in a snapshot (JSON, read back by the |day / |wib filters; never shown as stored)."""
    return DjangoJSONEncoder().default(moment)


def _both(text) -> tuple[str, str]:
    """A lazy text in Indonesian (as printed) and in English."""
    with override("id"):
        printed = str(text)
    with override("en"):
        gloss = str(text)
    return printed, gloss


def _clean(text: str | None, *, limit: int = TEXT_MAX_LENGTH, what) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise AssessmentError(_("%(field)s can be at most %(limit)d characters long.") % {"field": what,
                                                                                          "limit": limit})
    return text


def _typed(signed_name: str | None) -> str:
    return " ".join((signed_name or "").split())[:200]


def _check_own_name(signed_name: str, user) -> None:
    if not own_name_matches(signed_name, user):
        raise AssessmentError(one_full_stop(_("To sign, type your name as it is on your account: %(name)s.")
                                            % {"name": user.full_name}))


# --- FR.AK.01: the agreement and each party's consent ---------------------------------------------------------


# --- FR.AK.07: reasonable adjustments, before the test --------------------------------------------------------


def adjustment_refusal(participant: Participant, user, *, now=None) -> str:
    """Why ``user`` may not record FR.AK.07 for ``participant`` now ("" when they may)."""
    now = now or timezone.now()
    if not (participant.assessor_id and participant.assessor.user_id == getattr(user, "pk", None)):
        return _("Only the participant's assessor records the reasonable adjustments (FR.AK.07).")
    if now >= participant.event.starts_at:
        return _("The test started on %(date)s: reasonable adjustments (FR.AK.07) are recorded before the test.") % {
            "date": dates.wib(participant.event.starts_at)}
    if participant.status != ParticipantStatus.NAMED:
        return _("Reasonable adjustments are recorded for a participant named for the test.")
    return ""


def _adjustment_text(row: ReasonableAdjustment) -> str:
    with override("id"):
        needs = ", ".join(str(NEED_LABELS[n]) for n in row.needs if n in NEED_LABELS) or "-"
    return f"{needs}. {row.needs_note} / {row.adjustments}".strip()


def adjustment_record(participant: Participant, *, user, needs: list[str], needs_note: str = "",
                      adjustments: str = "", signed_name: str) -> ReasonableAdjustment:
    """Record (or replace, until the test starts) the participant's FR.AK.07: the needs ticked on BNSP's
    checklist (:data:`NEEDS`), a note, the adjustments, signed by the assessor typing their name."""
    needs = list(dict.fromkeys(needs or []))
    if set(needs) - set(NEED_LABELS):
        raise AssessmentError(_("Unknown need."))
    needs_note = _clean(needs_note, limit=2000, what=_("The note on the needs"))
    adjustments = _clean(adjustments, what=_("The adjustments"))
    if (needs or needs_note) and not adjustments:
        raise AssessmentError(_("Say which adjustments are made for the needs recorded (or that none is needed)."))
    with transaction.atomic():
        p = (Participant.objects.select_for_update(of=("self",)).select_related("event", "assessor__user")
             .get(pk=participant.pk))
        refusal = adjustment_refusal(p, user)
        if refusal:
            raise AssessmentError(refusal)
        signed_name = _typed(signed_name)
        _check_own_name(signed_name, user)
        before = ReasonableAdjustment.objects.filter(participant=p).first()
        values = {"needs": needs, "needs_note": needs_note, "adjustments": adjustments, "recorded_by": user,
                  "recorded_at": timezone.now(), "signed_name": signed_name, "ip_address": current_client_ip()}
        row, _created = ReasonableAdjustment.objects.update_or_create(participant=p, defaults=values)
        if before is None:
            audit_record(actor=user, obj=p, action=AUDIT["adjustment"], note=_adjustment_text(row))
        else:  # nothing lost: the note keeps what was replaced
            audit_record(actor=user, obj=p, action=AUDIT["adjustment_replaced"],
                         note=f"{_adjustment_text(row)} ← {_adjustment_text(before)}")
    return row


# --- FR.AK.05: the assessor's report on the event ---------------------------------------------------------------


def _participants_of(event: Event, assessor: Assessor):
    return (event.participants.filter(assessor=assessor)
            .select_related("application__applicant", "application__scheme", "event")
            .order_by("application__applicant_name", "pk"))


def _unfinished(participants) -> list[str]:
    """"Name: unit codes" for each present (or unmarked) participant with a unit to assess still without result."""
    out = []
    for p in participants:
        if p.attended is False or p.status == ParticipantStatus.ABSENT:
            continue
        done = set(p.results.values_list("unit_id", flat=True))
        missing = [u.code for u in units_to_assess(p) if u.pk not in done]
        if missing:
            out.append(f"{p.name}: {', '.join(missing)}")
    return out


def report_refusal(event: Event, user, *, now=None) -> str:
    """Why ``user`` may not sign their FR.AK.05 for ``event`` now ("" when they may)."""
    now = now or timezone.now()
    link = EventAssessor.objects.filter(event=event, assessor__user=getattr(user, "pk", None)).first()
    if link is None:
        return _("Only an assessor of this event writes an assessment report (FR.AK.05).")
    if AssessorReport.objects.filter(event=event, assessor_id=link.assessor_id).exists():
        return _("You have signed your assessment report (FR.AK.05) for this event; it is signed once.")
    if now < event.starts_at:
        return _("The test starts on %(date)s: the assessment report is written after it.") % {
            "date": dates.wib(event.starts_at)}
    participants = list(_participants_of(event, link.assessor))
    if not participants:
        return _("No participant of this event is assigned to you: there is nothing to report.")
    unfinished = _unfinished(participants)
    if unfinished:
        return _("Results are missing for %(list)s.") % {"list": "; ".join(unfinished)}
    if not event.is_locked:
        return _("The assessment report (FR.AK.05) is signed once the official report (berita acara) is signed "
                 "and the results are locked.")
    return ""


def report_snapshot(event: Event, assessor: Assessor) -> dict:
    """What FR.AK.05 prints: the event, the assessor, the units, and each of their participants with the K/BK of
    every unit and the recommendation (or absent)."""
    participants = list(_participants_of(event, assessor).prefetch_related("results__unit"))
    units = [{"code": su.unit.code, "title": su.unit.title}
             for su in event.scheme.scheme_units.select_related("unit").order_by("position")]
    rows = []
    for p in participants:
        absent = p.attended is False or p.status == ParticipantStatus.ABSENT
        results = {r.unit.code: r.result for r in p.results.all()}
        rows.append({"name": p.name, "nip": p.application.nip, "absent": absent, "results": results,
                     "recommendation": "" if absent else (p.recommendation or recommend(p))})
    return {"form_version": FORM_VERSION,
            "scheme": {"code": event.scheme.code, "name": event.scheme.name},
            "test_site": {"name": event.test_site.name, "registration_number": event.test_site.registration_number},
            "starts_at": _json_time(event.starts_at),
            "assessor": {"name": assessor.user.full_name, "registration_number": assessor.registration_number},
            "units": units, "participants": rows}


def report_sign(event: Event, *, user, aspects: str = "", rejections: str = "", improvements: str = "",
                notes: str = "", signed_name: str) -> AssessorReport:
    """The assessor signs their FR.AK.05 for the event (see :func:`report_refusal`), once."""
    texts = {"aspects": _clean(aspects, what=_("The positive and negative aspects")),
             "rejections": _clean(rejections, what=_("The rejections recorded")),
             "improvements": _clean(improvements, what=_("The suggestions for improvement")),
             "notes": _clean(notes, what=_("The notes"))}
    with transaction.atomic():
        event = (Event.objects.select_for_update(of=("self",)).select_related("scheme", "test_site")
                 .get(pk=event.pk))
        refusal = report_refusal(event, user)
        if refusal:
            raise AssessmentError(refusal)
        signed_name = _typed(signed_name)
        _check_own_name(signed_name, user)
        assessor = Assessor.objects.select_related("user").get(user=user)
        try:
            with transaction.atomic():
                report = AssessorReport.objects.create(
                    event=event, assessor=assessor, signed_at=timezone.now(), signed_name=signed_name,
                    ip_address=current_client_ip(), snapshot=report_snapshot(event, assessor), **texts)
        except IntegrityError:
            raise AssessmentError(_("You have signed your assessment report (FR.AK.05) for this event; it is "
                                    "signed once.")) from None
        audit_record(actor=user, obj=event, action=AUDIT["report"], note=assessor.user.full_name)
    return report


# --- FR.AK.06: quality's review of the event's assessment -------------------------------------------------------


def review_refusal(event: Event, user) -> str:
    """Why ``user`` may not record FR.AK.06 for ``event`` now ("" when they may)."""
    from certportal.accounts.models import Role

    if not (getattr(user, "is_authenticated", False) and user.has_role(Role.QUALITY)):
        return _("Quality management reviews the assessment (FR.AK.06).")
    review = AssessmentReview.objects.filter(event=event).select_related("reviewer").first()
    if review is not None:
        return _("The assessment of this event was reviewed (FR.AK.06) by %(name)s on %(date)s.") % {
            "name": review.reviewer.full_name, "date": dates.wib(review.signed_at)}
    if missing := hooks.declaration_missing(user, timezone.now()):  # the reviewer's declaration (17024 4.3)
        return missing
    if not AssessorReport.objects.filter(event=event).exists():
        return _("The review (FR.AK.06) follows an assessor's report: no assessment report (FR.AK.05) is signed "
                 "yet.")
    return ""


def report_missing(event: Event) -> str | None:
    """Why SOP step 7 waits for an assessor: no assessment report (FR.AK.05) is signed yet (None once one is)."""
    if AssessorReport.objects.filter(event_id=event.pk).exists():
        return None
    return _("SOP step 7 waits for an assessor's report (FR.AK.05): the review of the assessment (FR.AK.06) "
             "follows it, and no assessment report is signed yet.")


def review_missing(event: Event) -> str | None:
    """Why SOP step 7 waits: the assessment review (FR.AK.06) is not recorded yet (None once it is)."""
    if AssessmentReview.objects.filter(event_id=event.pk).exists():
        return None
    if not AssessorReport.objects.filter(event_id=event.pk).exists():
        return _("SOP step 7 waits for the review of the assessment (FR.AK.06), which follows an assessor's "
                 "report (FR.AK.05): no assessment report is signed yet.")
    return _("SOP step 7 waits for the review of the assessment (FR.AK.06): quality management records it first.")


def review_record(event: Event, *, user, findings: dict[str, tuple[bool | None, str]], recommendations: str = "",
                  signed_name: str) -> AssessmentReview:
    """Quality's FR.AK.06: ``findings`` maps each aspect code (:data:`REVIEW_ASPECTS`) to (met, note); every aspect
    is answered, and an aspect not met says why."""
    recommendations = _clean(recommendations, what=_("The recommendations"))
    answers = []
    for code, part, text in REVIEW_ASPECTS:
        met, note = findings.get(code, (None, ""))
        note = _clean(note, limit=NOTE_MAX_LENGTH, what=_("A note"))
        printed, gloss = _both(text)
        if met not in (True, False):
            raise AssessmentError(_("Answer every aspect with Yes or No: %(aspect)s") % {"aspect": text})
        if met is False and not note:
            raise AssessmentError(_("Say why this aspect is not met: %(aspect)s") % {"aspect": text})
        answers.append({"aspect": code, "part": part, "text": printed, "text_en": gloss, "met": met, "note": note})
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        refusal = review_refusal(event, user)
        if refusal:
            raise AssessmentError(refusal)
        signed_name = _typed(signed_name)
        _check_own_name(signed_name, user)
        try:
            with transaction.atomic():
                review = AssessmentReview.objects.create(
                    event=event, reviewer=user, answers=answers, recommendations=recommendations,
                    signed_at=timezone.now(), signed_name=signed_name, ip_address=current_client_ip())
        except IntegrityError:
            raise AssessmentError(_("The assessment of this event is already reviewed (FR.AK.06).")) from None
        unmet = sum(1 for a in answers if not a["met"])
        audit_record(actor=user, obj=event, action=AUDIT["review"],
                     note=f"{len(answers) - unmet}/{len(answers)}")
    return review

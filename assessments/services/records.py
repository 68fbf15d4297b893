"""FR.AK.01, FR.AK.07, FR.AK.05 and FR.AK.06 (issue 19): the records around an assessment's results
(``assessments.record_models``). None of them has a life of statuses: each is signed (typed name, time, client
address) and audited; what a form prints is frozen when it is signed.

- **FR.AK.01**, the agreement (:func:`agreement_terms`, :func:`consent_give`): the scheme, the TUK, the assessor,
  the date and time, the evidence the plan asks of the participant's group for each unit to assess (instrument and
  evidence; without a plan, the scheme's method text) and the confidentiality statements. The participant and their
  assessor each consent once, by typing their name; each consent freezes the agreement as it was shown. The
  participant's consent also sets ``Participant.agreement_accepted_at``. Results need both consents (the
  participant machine's ``_recordable`` names the one missing). Not before an assessor is assigned (the agreement
  names them), not once the participant has left "named" or the event's results are locked. An acceptance recorded
  before consents were signed (``agreement_accepted_at`` without a row) still counts as the participant's.
- **FR.AK.07**, reasonable adjustments (:func:`adjustment_record`): the participant's own assessor records the
  needs (BNSP's checklist, :data:`NEEDS`) and the adjustments *before the test starts*; one record, replaced (the
  audit note keeps what it replaced) until the start, read-only after.
- **FR.AK.05**, the assessor's report (:func:`report_sign`): one per assessor and event, signed once every
  participant they assess has a result for every unit to assess or is absent, **and once the berita acara is
  signed** (SOP step 6 locks the results). Decision: the report lists the results and recommendations it reports
  on, so it comes after they are locked and never disagrees with them; the berita acara does not wait for it, so
  step 6 is unchanged. A later correction by the LSP admin is the correction's own record.
- **FR.AK.06**, quality's review (:func:`review_record`): once per event, by quality management, once at least one
  FR.AK.05 is signed. Decision: it is not (yet) a condition of quality's step-7 sign-off, which many flows sign
  without it; the event page asks quality for it (see ``views/records.py``).
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from certportal import dates
from certportal.audit.services import audit_record
from certportal.net import current_client_ip

from ..models import Assessor, Event, EventAssessor, Participant, ParticipantStatus
from ..plan_models import CandidateGroup, Instrument
from ..record_models import AgreementConsent, AssessmentReview, AssessorReport, ReasonableAdjustment
from .base import AssessmentError
from .feedback import participant_name_matches
from .plans import participant_group, planned_rows
from .results import recommend, units_to_assess
from .signature import own_name_matches

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

# FR.AK.01's statements, in the order of BNSP's form (English source; printed in Indonesian from the snapshot).
AGREEMENT_STATEMENTS = [
    (Party.PARTICIPANT, gettext_lazy("I have been given an explanation by the assessor of my rights and of the "
                                     "appeal procedure.")),
    (Party.ASSESSOR, gettext_lazy("I will not disclose the results of the work I obtain through my assignment as "
                                  "an assessor to anyone or any organisation other than the authorised parties, "
                                  "as my duty as an assessor assigned by the LSP.")),
    (Party.PARTICIPANT, gettext_lazy("I agree to take part in the assessment on the understanding that the "
                                     "information collected is used only for professional development and can be "
                                     "accessed only by certain people.")),
    (Party.PARTICIPANT, gettext_lazy("I will not disclose the confidential test material, nor take part in any "
                                     "practice that would compromise it.")),
]
# FR.AK.01's "evidence to be collected" check boxes, each ticked when the plan uses one of its instruments.
EVIDENCE_KINDS = [
    (gettext_lazy("Portfolio verification results"), (Instrument.IA08,)),
    (gettext_lazy("Product review results"), (Instrument.IA11,)),
    (gettext_lazy("Direct observation results"), (Instrument.IA01,)),
    (gettext_lazy("Structured activity results"), (Instrument.IA02,)),
    (gettext_lazy("Oral question results"), (Instrument.IA03, Instrument.IA07)),
    (gettext_lazy("Written question results"), (Instrument.IA05, Instrument.IA06)),
    (gettext_lazy("Interview question results"), (Instrument.IA09,)),
    (gettext_lazy("Other (third-party clarification)"), (Instrument.IA10,)),
]
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
        raise AssessmentError(_("To sign, type your name as it is on your account: %(name)s.")
                              % {"name": user.full_name})


# --- FR.AK.01: the agreement and each party's consent ---------------------------------------------------------


def agreement_terms(participant: Participant) -> dict:
    """The agreement as BNSP's FR.AK.01 has it for this participant, in both languages where it is words of the
    form (``x`` printed in Indonesian, ``x_en`` in English): what the page shows and what a consent freezes."""
    event, app = participant.event, participant.application
    scheme = app.scheme
    units = list(units_to_assess(participant))
    rows = [r for r in planned_rows(participant) if r.unit_id in {u.pk for u in units}]
    by_unit: dict[int, list] = {}
    for r in rows:
        name, name_en = _both(Instrument(r.instrument).label)
        by_unit.setdefault(r.unit_id, []).append({"instrument": r.instrument, "name": name, "name_en": name_en,
                                                  "type": r.evidence_type, "evidence": r.evidence})
    used = {r.instrument for r in rows}
    kinds = [dict(zip(("label", "label_en"), _both(label), strict=True), ticked=bool(used & set(codes)))
             for label, codes in EVIDENCE_KINDS]
    group, group_en = _both(CandidateGroup(participant_group(participant)).label)
    assessor = participant.assessor
    return {
        "form_version": FORM_VERSION,
        "scheme": dict(zip(("kind", "kind_en"), _both(type(scheme).Kind(scheme.kind).label), strict=True),
                       code=scheme.code, name=scheme.name),
        "test_site": {"name": event.test_site.name, "registration_number": event.test_site.registration_number,
                      "address": event.test_site.address},
        "starts_at": _json_time(event.starts_at), "place_note": event.place_note,
        "assessor": {"name": assessor.user.full_name, "registration_number": assessor.registration_number}
        if assessor else None,
        "participant": {"name": participant.name, "nip": app.nip, "org_unit": app.org_unit},
        "plan": event.plan.number if event.plan_id else None, "group": group, "group_en": group_en,
        "units": [{"code": u.code, "title": u.title, "evidence": by_unit.get(u.pk, [])} for u in units]
        if rows else [],
        "kinds": kinds if rows else [],
        "method_text": "" if rows else participant.method_text,
        "statements": [dict(zip(("text", "text_en"), _both(text), strict=True), party=party)
                       for party, text in AGREEMENT_STATEMENTS],
    }


def consents_of(participant: Participant) -> dict[str, AgreementConsent]:
    return {c.party: c for c in AgreementConsent.objects.filter(participant=participant).select_related("user")}


def _may_consent_as(participant: Participant, party: str, user) -> bool:
    if party == Party.PARTICIPANT:
        return participant.application.applicant_id == getattr(user, "pk", None)
    return bool(participant.assessor_id and participant.assessor.user_id == getattr(user, "pk", None))


def consent_refusal(participant: Participant, *, party: str, user) -> str:
    """Why ``user`` may not consent to FR.AK.01 for ``participant`` as ``party`` now ("" when they may)."""
    if not _may_consent_as(participant, party, user):
        if party == Party.PARTICIPANT:
            return _("Only the participant can consent to their assessment agreement.")
        return _("Only the participant's assessor consents to the assessment agreement as assessor.")
    given = AgreementConsent.objects.filter(participant=participant, party=party).first()
    if given is not None and not by_a_former_assessor(given, participant):
        return _("The assessment agreement (FR.AK.01) was consented to on %(date)s; it is given once.") % {
            "date": dates.wib(given.signed_at)}
    if party == Party.PARTICIPANT and participant.agreement_accepted_at:
        return _("The assessment agreement (FR.AK.01) was accepted on %(date)s; it is given once.") % {
            "date": dates.wib(participant.agreement_accepted_at)}
    if participant.event.is_locked:
        return _("The official report of this event is signed: the assessment agreement can no longer be given.")
    if participant.status != ParticipantStatus.NAMED:
        return _("The assessment agreement is given by a participant named for the test (now: %(status)s).") % {
            "status": participant.get_status_display()}
    if not participant.assessor_id:
        return _("The agreement names the assessor: it is given once the LSP has assigned one.")
    return ""


def by_a_former_assessor(consent: AgreementConsent, participant: Participant) -> bool:
    """An assessor's consent given by someone no longer the participant's assessor (reassigned since): the new
    assessor consents in its place."""
    return consent.party == Party.ASSESSOR and not (participant.assessor_id
                                                    and participant.assessor.user_id == consent.user_id)


def consent_give(participant: Participant, *, party: str, user, signed_name: str) -> AgreementConsent:
    """One party's consent to FR.AK.01: the typed name (the participant's as on the application; the assessor's
    own), the time, the client address and the agreement as shown (``snapshot``). Once per party."""
    with transaction.atomic():
        p = (Participant.objects.select_for_update(of=("self",))
             .select_related("event__test_site", "event__plan", "application__applicant", "application__scheme",
                             "assessor__user").get(pk=participant.pk))
        refusal = consent_refusal(p, party=party, user=user)
        if refusal:
            raise AssessmentError(refusal)
        signed_name = _typed(signed_name)
        if party == Party.PARTICIPANT and not participant_name_matches(signed_name, p):
            raise AssessmentError(_("To sign, type your name as it is on your application: %(name)s.")
                                  % {"name": p.name})
        if party == Party.ASSESSOR:
            _check_own_name(signed_name, user)
        now = timezone.now()
        values = {"user": user, "signed_name": signed_name, "signed_at": now, "ip_address": current_client_ip(),
                  "snapshot": agreement_terms(p)}
        former = AgreementConsent.objects.filter(participant=p, party=party).first()
        note = signed_name
        if former is not None:  # the former assessor's consent, replaced (the note keeps who it was)
            note = f"{signed_name} ← {former.signed_name} ({_json_time(former.signed_at)})"
            AgreementConsent.objects.filter(pk=former.pk).update(**values)
            consent = AgreementConsent.objects.get(pk=former.pk)
        else:
            try:
                with transaction.atomic():
                    consent = AgreementConsent.objects.create(participant=p, party=party, **values)
            except IntegrityError:  # a second submit racing the first
                raise AssessmentError(_("The assessment agreement (FR.AK.01) is already consented to; it is "
                                        "given once.")) from None
        if party == Party.PARTICIPANT:
            p.agreement_accepted_at = now
            p.save(update_fields=["agreement_accepted_at"])
        audit_record(actor=user, obj=p, action=AUDIT[party], note=note)
    participant.refresh_from_db()
    forget_consents(participant)
    return consent


def assessor_accept_agreement(participant: Participant, *, user, signed_name: str) -> AgreementConsent:
    """The participant's own assessor consents to FR.AK.01 (their confidentiality statement) on the staff page."""
    return consent_give(participant, party=Party.ASSESSOR, user=user, signed_name=signed_name)


def assessor_consented(participant: Participant) -> bool:
    """Whether the participant's (current) assessor has consented to FR.AK.01 — read for every row of a results
    grid, so the event's consents are loaded once per event object (``forget_consents`` after a consent)."""
    event = participant.event
    consented = event.__dict__.get("_assessor_consents")
    if consented is None:
        consented = dict(AgreementConsent.objects.filter(participant__event_id=event.pk, party=Party.ASSESSOR)
                         .values_list("participant_id", "user_id"))
        event.__dict__["_assessor_consents"] = consented
    return bool(participant.assessor_id) and consented.get(participant.pk) == participant.assessor.user_id


def forget_consents(participant: Participant) -> None:
    if "event" in participant._state.fields_cache:
        participant.event.__dict__.pop("_assessor_consents", None)


def consent_missing(participant: Participant) -> str | None:
    """Which FR.AK.01 consent results still wait for (None: both given)."""
    if participant.agreement_accepted_at is None:
        return _("%(name)s has not consented to the assessment agreement (FR.AK.01) yet.") % {
            "name": participant.name}
    if not assessor_consented(participant):
        return _("The assessor has not consented to the assessment agreement (FR.AK.01) of %(name)s yet: consent "
                 "on the participant's page first.") % {"name": participant.name}
    return None


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
    if not AssessorReport.objects.filter(event=event).exists():
        return _("The review (FR.AK.06) follows an assessor's report: no assessment report (FR.AK.05) is signed "
                 "yet.")
    return ""


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

"""FR.AK.01, the assessment agreement: what it says (the scheme, the TUK, the assessor, the date and time, the
evidence the plan asks of the participant's group for each unit, the confidentiality statements) and each party's
consent to it. The participant and their assessor each consent once, by typing their name; each consent freezes
the agreement as it was shown. The participant's consent also sets ``Participant.agreement_accepted_at``. Results
need both consents (:func:`consent_missing`, asked by the test event through :mod:`assessments.events.hooks`).
Not before an assessor is assigned (the agreement names them), not once the participant has left "named" or the
event's results are locked. An acceptance recorded before consents were signed (``agreement_accepted_at`` without
a row) still counts as the participant's."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentError
from assessments.events.models import Participant, ParticipantStatus
from assessments.events.services.results import units_to_assess
from assessments.instruments.models.plans import CandidateGroup, Instrument
from assessments.instruments.models.records import (
    AgreementConsent,
)
from assessments.instruments.services.feedback import participant_name_matches
from assessments.instruments.services.plans import participant_group, planned_rows
from assessments.instruments.services.records import (
    AUDIT,
    FORM_VERSION,
    Party,
    _both,
    _check_own_name,
    _json_time,
    _typed,
)
from certportal import dates
from certportal.audit.services import audit_record
from certportal.net import current_client_ip
from certportal.sentences import one_full_stop

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
            raise AssessmentError(one_full_stop(_("To sign, type your name as it is on your application: %(name)s.")
                                                % {"name": p.name}))
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



def participant_accept_agreement(participant: Participant, *, user, signed_name: str) -> Participant:
    """FR.AK.01: the participant consents to the assessment agreement and the confidentiality terms by typing their
    name (once; the agreement as shown is frozen). Their assessor consents too (:func:`assessor_accept_agreement`);
    results wait for both."""
    consent_give(participant, party=Party.PARTICIPANT, user=user, signed_name=signed_name)
    participant.refresh_from_db()
    return participant



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


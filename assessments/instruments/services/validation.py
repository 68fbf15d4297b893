"""FR.VA: the validation of a scheme's assessment instruments, recorded by an LSP admin or quality management.

One record per validation meeting: the day it was held (never in the future), its validators (active assessors or
staff), the instruments it reviewed (of those the scheme uses), a finding per aspect of BNSP's form (the principles
of assessment and the rules of evidence, each met or not, with a note), the recommendations, and the recorder's
electronic signature (their name typed, the time, the client address). A record is never changed afterwards; its
PDF prints what was recorded (the aspects' Indonesian wording is frozen on the row).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from assessments.errors import AssessmentError
from assessments.instruments.models.plans import InstrumentValidation
from assessments.instruments.services.plans import scheme_instruments
from assessments.instruments.services.signature import own_name_matches
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.net import current_client_ip
from certportal.sentences import one_full_stop

NOTE_MAX_LENGTH = 1000
RECOMMENDATIONS_MAX_LENGTH = 5000
MAX_VALIDATORS = 20
RECORDERS = (Role.LSP_ADMIN, Role.QUALITY)

# BNSP's FR.VA aspects: the four principles of assessment and the four rules of evidence.
VA_ASPECTS = [
    ("principle_valid", gettext_lazy("Principles of assessment: valid")),
    ("principle_reliable", gettext_lazy("Principles of assessment: reliable")),
    ("principle_flexible", gettext_lazy("Principles of assessment: flexible")),
    ("principle_fair", gettext_lazy("Principles of assessment: fair")),
    ("evidence_valid", gettext_lazy("Rules of evidence: valid")),
    ("evidence_authentic", gettext_lazy("Rules of evidence: authentic")),
    ("evidence_current", gettext_lazy("Rules of evidence: current")),
    ("evidence_sufficient", gettext_lazy("Rules of evidence: sufficient")),
]
ASPECT_KEYS = [key for key, _label in VA_ASPECTS]


def validator_choices(scheme):
    """Who may be named a validator of ``scheme``'s instruments: active accounts that are active assessors with the
    scheme in their scope, or LSP staff (the admin, quality management)."""
    in_scope = Q(assessor__is_active=True, assessor__schemes__code=scheme.code)
    return (get_user_model().objects.filter(is_active=True)
            .filter(in_scope | Q(role_links__role__in=[Role.LSP_ADMIN, Role.QUALITY]))
            .distinct().order_by("full_name", "pk"))


def _check_findings(findings: dict) -> list[dict]:
    """``findings``: {aspect key: (met, note)} for every aspect; frozen as [{aspect, label (Indonesian), met, note}]."""
    if set(findings) - set(ASPECT_KEYS):
        raise AssessmentError(_("Unknown aspect."))
    rows = []
    for key, label in VA_ASPECTS:
        met, note = findings.get(key, (None, ""))
        if met not in (True, False):
            raise AssessmentError(_("Say for “%(aspect)s” whether it is met.") % {"aspect": label})
        note = (note or "").strip()
        if len(note) > NOTE_MAX_LENGTH:
            raise AssessmentError(_("A note can be at most %(limit)d characters long.") % {"limit": NOTE_MAX_LENGTH})
        with override("id"):
            printed = str(label)
        rows.append({"aspect": key, "label": printed, "met": met, "note": note})
    return rows


def findings_as_read(va: InstrumentValidation) -> list[dict]:
    """The frozen findings with each aspect named in the reader's language (the record keeps the Indonesian label it
    was signed with, which the FR.VA paper prints); an aspect unknown today keeps its stored label."""
    labels = dict(VA_ASPECTS)
    return [{**f, "label": str(labels.get(f.get("aspect"), f.get("label", "")))} for f in va.findings]


def _check_validators(scheme, validators) -> list:
    try:
        ids = {int(getattr(v, "pk", v)) for v in validators}
    except (TypeError, ValueError):
        raise AssessmentError(_("A validator is an active assessor of the scheme or an LSP staff member.")) from None
    if not ids:
        raise AssessmentError(_("Name at least one validator."))
    if len(ids) > MAX_VALIDATORS:
        raise AssessmentError(_("At most %(limit)d validators.") % {"limit": MAX_VALIDATORS})
    found = list(validator_choices(scheme).filter(pk__in=ids))
    if len(found) != len(ids):
        raise AssessmentError(_("A validator is an active assessor of the scheme or an LSP staff member."))
    return found


def instrument_validation_record(scheme, *, actor, held_on: datetime.date, validators, instruments: list[str],
                                 findings: dict, recommendations: str = "", signed_name: str = "",
                                 ip: str | None = None) -> InstrumentValidation:
    """Record one FR.VA for ``scheme`` (an LSP admin or quality management; signed with their typed name)."""
    if not (getattr(actor, "is_active", False) and actor.has_role(*RECORDERS)):
        raise AssessmentError(_("The LSP admin or quality management records a validation of the instruments."))
    if held_on > timezone.localdate():
        raise AssessmentError(_("A validation is recorded once it has been held: the day cannot be in the future."))
    codes = sorted(set(instruments))
    if not codes:
        raise AssessmentError(_("Choose the instruments that were validated."))
    if set(codes) - set(scheme_instruments(scheme)):
        raise AssessmentError(_("Only the instruments the scheme uses are validated."))
    rows = _check_findings(findings)
    recommendations = (recommendations or "").strip()
    if len(recommendations) > RECOMMENDATIONS_MAX_LENGTH:
        raise AssessmentError(_("The recommendations can be at most %(limit)d characters long.")
                              % {"limit": RECOMMENDATIONS_MAX_LENGTH})
    people = _check_validators(scheme, validators)
    if not own_name_matches(signed_name, actor):
        raise AssessmentError(one_full_stop(_("To sign, type your name as it is on your account: %(name)s.")
                                            % {"name": actor.full_name}))
    with transaction.atomic():
        type(scheme).objects.select_for_update().get(pk=scheme.pk)  # one record at a time per scheme
        if InstrumentValidation.objects.filter(scheme=scheme, held_on=held_on, instruments=codes).exists():
            raise AssessmentError(_("A validation of these instruments held on that day is already recorded."))
        record = InstrumentValidation.objects.create(
            scheme=scheme, held_on=held_on, instruments=codes, findings=rows, recommendations=recommendations,
            recorded_by=actor, recorded_at=timezone.now(), signed_name=signed_name.strip()[:200],
            ip_address=ip or current_client_ip())
        record.validators.set(people)
        audit_record(actor=actor, obj=record, action="assessments.instrumentvalidation.recorded",
                     note=", ".join(f"FR.{c}" for c in codes), ip_address=record.ip_address)
    return record

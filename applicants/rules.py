"""Reads that decide whether a dossier may move on: eligibility, what is missing, the verifier's checks.

They are pure reads (no writes), shared by the state machine's guards (:mod:`applicants.workflow`), the services
and the pages, so a button and the service it calls apply the same rule.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Application, ApplicationDocument, VerificationCheck


def eligibility_problems(app: Application) -> list[str]:
    """The scheme's rules the applicant's data does not meet, each in plain words."""
    data = app.profile_data or {}
    if not data:
        return [_("Your profile is not filled in yet.")]
    return eligibility_of(app.scheme, data)


def eligibility_of(scheme, data: dict, *, person: str | None = None) -> list[str]:
    """The scheme's rules the profile data (:meth:`ApplicantProfile.snapshot`) does not meet: the one verdict the
    start page (from the profile) and the wizard's step 1 (from the dossier's copy) both show. ``person``: the
    messages speak of them, named, to someone else (an agency officer)."""
    from schemes.services import check_eligibility

    return check_eligibility(scheme, employment_status=data.get("employment_status", ""),
                             education=data.get("education", ""), rank=data.get("rank", ""),
                             years_of_service=int(data.get("years_of_service") or 0),
                             employer_government=data.get("employer_government", ""),
                             years_in_government=data.get("years_in_government"), person=person)


def missing_items(app: Application, *, documents=None) -> list[str]:
    """What still stands between this dossier and submission, and why (used by the wizard and the dashboard)."""
    missing = []
    if app.experienced is None:
        missing.append(_("Say whether you are experienced in the field (it decides the assessment method)."))
    if app.purpose == Application.Purpose.OTHER and not app.purpose_other:
        missing.append(_("Say what the other purpose of the application is."))
    documents = documents if documents is not None else app.documents.select_related("requirement").annotate(
        n_current=Count("files", filter=Q(files__superseded_at__isnull=True)))
    for doc in documents:
        req = doc.requirement
        need = max(req.min_files, 1) if req.mandatory else 0
        if doc.n_current < need:
            missing.append(_("Upload “%(doc)s” (%(need)s file(s) needed, %(have)s uploaded).")
                           % {"doc": req.name, "need": need, "have": doc.n_current})
        elif doc.review == ApplicationDocument.Review.RETURNED:
            missing.append(_("Replace “%(doc)s”: %(reason)s") % {"doc": req.name, "reason": doc.review_note})
    missing.extend(_self_assessment_missing(app))
    return missing


def _self_assessment_missing(app: Application) -> list[str]:
    from schemes.models import SchemeUnit, UnitElement

    units = list(SchemeUnit.objects.filter(scheme=app.scheme).select_related("unit"))
    elements = {}
    for e in UnitElement.objects.filter(unit__in=[su.unit_id for su in units]).only("id", "unit_id"):
        elements.setdefault(e.unit_id, set()).add(e.pk)
    answered = {}
    for unit_id, element_id in app.self_assessments.values_list("unit_id", "element_id"):
        answered.setdefault(unit_id, set()).add(element_id)
    missing = []
    for su in units:
        expected = elements.get(su.unit_id) or {None}
        if not expected <= answered.get(su.unit_id, set()):
            missing.append(_("Answer the self-assessment for unit %(code)s “%(title)s”.")
                           % {"code": su.unit.code, "title": su.unit.title})
    return missing


def documents_not_accepted(app: Application) -> list[str]:
    """Names of the requirements whose files the verifier has not accepted (mandatory ones, or any with files)."""
    return [d.requirement.name for d in app.documents.select_related("requirement").annotate(
                n_files=Count("files", filter=Q(files__superseded_at__isnull=True)))
            if d.review != ApplicationDocument.Review.ACCEPTED and (d.requirement.mandatory or d.n_files)]


def latest_checks(app: Application, *, since=None) -> dict[str, VerificationCheck]:
    latest = {}
    checks = app.checks.order_by("checked_at", "id")
    for check in checks.filter(checked_at__gte=since) if since else checks:
        latest[check.kind] = check
    return latest


def checks_not_passed(app: Application) -> list[str]:
    """The verification checks (administrative, substantive) whose latest record since the dossier was last
    (re)submitted is missing or failed: a corrected dossier is checked again."""
    latest = latest_checks(app, since=app.submitted_at)
    return [str(kind.label).lower() for kind in (VerificationCheck.Kind.ADMINISTRATIVE,
                                                 VerificationCheck.Kind.SUBSTANTIVE)
            if latest.get(kind) is None or latest[kind].result != VerificationCheck.Result.PASSED]

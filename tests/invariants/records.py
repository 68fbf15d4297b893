"""Invariants an auditor reads off the records themselves (each a function returning the violations it finds, plain
sentences, like :mod:`tests.invariants.checks`): no decision dated before the reviews it rests on, no application in
a state without the record that state means, no report about a certificate dated before its issue, no controlled
document of a scheme titled with another scheme's name. The demo is held to them (``test_demo_records.py``)."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from applicants.models import Application, Status
from assessments.certificates.models import Certificate, Handover, HolderReport, SurveillanceReport
from assessments.certificates.scope_models import MisuseReport, ScopeReduction
from assessments.events.models import Appeal, EventReview, Participant
from assessments.instruments.models import AssessmentReview, AssessorReport
from schemes.models import Scheme


def _day(at: datetime.datetime) -> datetime.date:
    return timezone.localtime(at).date()


def decisions_before_review() -> list[str]:
    """A decision comes after every review of its event: the assessors' reports (FR.AK.05), the sign-offs of SOP
    step 7 and quality's review (FR.AK.06)."""
    reviews: dict[int, list[tuple[str, datetime.datetime]]] = {}
    for event_id, at in AssessorReport.objects.values_list("event_id", "signed_at"):
        reviews.setdefault(event_id, []).append(("FR.AK.05", at))
    for event_id, at in EventReview.objects.values_list("event_id", "signed_at"):
        reviews.setdefault(event_id, []).append(("the review of SOP step 7", at))
    for event_id, at in AssessmentReview.objects.values_list("event_id", "signed_at"):
        reviews.setdefault(event_id, []).append(("FR.AK.06", at))
    out = []
    for p in Participant.objects.filter(decided_at__isnull=False).order_by("pk"):
        for what, at in reviews.get(p.event_id, []):
            if at > p.decided_at:
                out.append(f"participant #{p.pk} ({p.name}) was decided on {_day(p.decided_at)}, before {what} of "
                           f"event #{p.event_id} signed on {_day(at)}")
    return out


AFTER_NAMING = {Status.SCHEDULED, Status.ASSESSED, Status.COMPETENT, Status.NOT_YET_COMPETENT, Status.APPEALED,
                Status.CERTIFIED, Status.HANDED_OVER}
DECIDED = {Status.COMPETENT: "K", Status.CERTIFIED: "K", Status.NOT_YET_COMPETENT: "BK", Status.APPEALED: "BK"}


def statuses_without_record() -> list[str]:
    """Each state after the naming of participants stands on its record: a place in an event; a decision (K for
    competent and certified, BK for not yet competent and appealed); a certificate once certified; an open appeal
    while appealed; a handover once handed over."""
    out = []
    latest = {}
    for p in Participant.objects.order_by("pk"):
        latest[p.application_id] = p
    certified = set(Certificate.objects.values_list("participant__application_id", flat=True))
    appealed = set(Appeal.objects.filter(status=Appeal.Status.FILED).values_list("participant__application_id",
                                                                                  flat=True))
    handed = set(Handover.objects.exclude(certificate=None).values_list("certificate__participant__application_id",
                                                                        flat=True))
    handed |= set(Handover.objects.exclude(result_letter=None).values_list(
        "result_letter__participant__application_id", flat=True))
    for app in Application.objects.filter(status__in=AFTER_NAMING).order_by("pk"):
        where = f"application #{app.pk} ({app.applicant_name}) is {app.status!r}"
        p = latest.get(app.pk)
        if p is None:
            out.append(f"{where} but is no participant of any event")
            continue
        if app.status in DECIDED and p.decision != DECIDED[app.status]:
            out.append(f"{where} but its decision is {p.decision or 'not taken'}")
        if app.status == Status.CERTIFIED and app.pk not in certified:
            out.append(f"{where} but no certificate was issued")
        if app.status == Status.APPEALED and app.pk not in appealed:
            out.append(f"{where} but has no open appeal")
        if app.status == Status.HANDED_OVER and app.pk not in handed:
            out.append(f"{where} but nothing was handed over")
    return out


def reports_before_issue() -> list[str]:
    """Nothing said about a certificate is dated before its issue: misuse reports, scope reductions, the holder's
    reports of changes, surveillance reports and handovers."""
    out = []
    dated = [
        ("misuse report", MisuseReport.objects.values_list("pk", "certificate__number", "certificate__issued_on",
                                                           "created_at")),
        ("holder's report", HolderReport.objects.values_list("pk", "certificate__number", "certificate__issued_on",
                                                             "created_at")),
        ("surveillance report", SurveillanceReport.objects.values_list("pk", "certificate__number",
                                                                       "certificate__issued_on", "created_at")),
        ("handover", Handover.objects.exclude(certificate=None).values_list(
            "pk", "certificate__number", "certificate__issued_on", "handed_at")),
    ]
    for what, rows in dated:
        for pk, number, issued_on, at in rows:
            if _day(at) < issued_on:
                out.append(f"{what} #{pk} on certificate {number} is dated {_day(at)}, before its issue on {issued_on}")
    for pk, number, issued_on, decided_on in ScopeReduction.objects.values_list(
            "pk", "certificate__number", "certificate__issued_on", "decided_on"):
        if decided_on < issued_on:
            out.append(f"scope reduction #{pk} of certificate {number} was decided on {decided_on}, before its issue "
                       f"on {issued_on}")
    return out


def _short(code: str) -> str:
    """``SS-02/LSP-BPSDM DKI/2017`` -> ``SS-02``: how a scheme's documents name it."""
    return code.split("/")[0].strip()


def titles_against_scheme() -> list[str]:
    """A controlled document of the kind "scheme" whose title names a scheme by its short code also names that
    scheme by its title (SKM-SS02 "Dokumen Skema SS-02 Pengelolaan Kepegawaian" for SS-02 Pelayanan Prima did not)."""
    from quality.system.models import ControlledDocument

    schemes = {_short(code): name for code, name in Scheme.objects.filter(is_current=True).values_list("code", "name")}
    out = []
    for doc in ControlledDocument.objects.filter(kind="scheme").order_by("code"):
        for short, name in schemes.items():
            if re.search(rf"\b{re.escape(short)}\b", doc.title) and name.lower() not in doc.title.lower():
                out.append(f"controlled document {doc.code} “{doc.title}” names scheme {short} but not its title "
                           f"“{name}”")
    return out


ALL = (decisions_before_review, statuses_without_record, reports_before_issue, titles_against_scheme)


def violations() -> list[str]:
    return [message for check in ALL for message in check()]

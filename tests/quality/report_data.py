"""Known records for quarter 3 of 2026 (1 July – 30 September), and some just outside it, with the figures the
periodic report must show for them (``EXPECTED``). Made directly (test set-up, not status changes); the
certificates' status changes are audit rows written on their day, as the workflow core writes them."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo

import time_machine

from assessments.certificates.models import Certificate
from assessments.events.models import Appeal, Event, EventStatus, Participant, UnitResult
from certportal.audit.services import audit_record
from complaints.models import Complaint
from schemes.models import TestSite
from tests.assessments.factories import SiteFactory, make_application, make_assessor, scheme_with_units

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
START, END = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
_numbers = itertools.count(1)

EXPECTED = {
    "in_force": {"schemes": 2, "assessors": 2, "test_sites": 2, "schemes_outside_scope": 0},
    "events_held": 2,
    "assessees": {"assessees": 5, "present": 4, "k": 2, "bk": 1},
    "certificates": {"issued": 3, "renewed": 1, "suspended": 1, "withdrawn": 1, "reduced": 1},
    "appeals": {"filed": 3, "dismissed": 1, "upheld": 1, "open": 1, "mean_days": 7.0},
    "complaints": {"received": 3, "suggestions": 1, "answered": 2, "closed": 1, "open": 2, "mean_days": 4.0},
}


def at(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=WIB)


def _event(scheme, site, day: str, status: str) -> Event:
    return Event.objects.create(scheme=scheme, test_site=site, starts_at=at(day, 8), status=status)


def _participant(event, *, attended=True, decision="", results=()) -> Participant:
    p = Participant.objects.create(event=event, application=make_application(event.scheme), attended=attended,
                                   decision=decision)
    units = [link.unit for link in event.scheme.scheme_units.order_by("position")]
    for unit, result in zip(units, results, strict=False):
        UnitResult.objects.create(participant=p, unit=unit, result=result, method="portfolio_interview")
    return p


def _certificate(p: Participant, issued: str, renews=None) -> Certificate:
    n = next(_numbers)
    day = datetime.date.fromisoformat(issued)
    return Certificate.objects.create(
        participant=p, application=p.application, number=f"CERT-{n:03d}", year=day.year, sequence=n,
        verification_code=f"V{n:031d}", issued_on=day, expires_on=day.replace(year=day.year + 3),
        holder_name=p.application.applicant_name, scheme_code=p.event.scheme.code,
        scheme_name=p.event.scheme.name, renews=renews)


def _moved(cert, when: datetime.datetime, action: str, from_state: str, to_state: str) -> None:
    with time_machine.travel(when, tick=False):
        audit_record(actor=None, obj=cert, action=f"assessments.certificate.{action}", from_state=from_state,
                     to_state=to_state, note="uji")


def _standing(old_scheme):
    """What is in force: two current schemes (a third is an old version), two assessors, two test sites."""
    a, b = scheme_with_units(3), scheme_with_units(2)
    old_scheme.is_current = False
    old_scheme.save()
    make_assessor(), make_assessor()
    expired = make_assessor()
    expired.licence_valid_until = datetime.date(2026, 8, 1)
    inactive = make_assessor()
    inactive.is_active = False
    for assessor in (expired, inactive):
        assessor.save()
    site = SiteFactory()
    SiteFactory(licence_valid_until=None)
    SiteFactory(licence_valid_until=datetime.date(2026, 9, 1))
    SiteFactory(is_active=False)
    return a, b, site


def build_events():
    """Two events held in the quarter, one planned, one held in October; their participants and results."""
    a, b, site = _standing(scheme_with_units(1))
    e1, e2 = _event(a, site, "2026-08-10", EventStatus.ARCHIVED), _event(b, site, "2026-09-20", EventStatus.HELD)
    _event(a, site, "2026-09-25", EventStatus.PLANNED).participants.create(application=make_application(a))
    e4 = _event(a, site, "2026-10-05", EventStatus.ARCHIVED)
    p1 = _participant(e1, decision="K", results=["K", "K", "K"])
    p2 = _participant(e1, decision="BK", results=["K", "BK", "BK"])
    _participant(e1, attended=False)
    q1 = _participant(e2, decision="K", results=["K", "K"])
    q2 = _participant(e2, results=["BK"])
    late = _participant(e4, decision="K", results=["K", "K", "K"])
    return {"a": a, "b": b, "p1": p1, "p2": p2, "q1": q1, "q2": q2, "late": late}


def build_certificates(people) -> dict:
    p1, q1, late = people["p1"], people["q1"], people["late"]
    c0 = _certificate(p1, "2023-09-01")
    c1, c2 = _certificate(p1, "2026-08-20"), _certificate(q1, "2026-09-30", renews=c0)
    c4, c3 = _certificate(p1, "2026-07-01"), _certificate(late, "2026-10-02")
    _moved(c0, at("2026-07-15"), "withdrawn", "issued", "withdrawn")
    _moved(c1, at("2026-09-01"), "suspended", "issued", "suspended")
    _moved(c1, at("2026-09-05"), "suspended", "suspended", "suspended")  # extended: not a second suspension
    _moved(c2, at("2026-09-29"), "reduced", "issued", "reduced")
    _moved(c4, at("2026-08-01"), "replaced", "issued", "withdrawn")  # a correction, not a withdrawal
    _moved(c2, at("2026-10-10"), "suspended", "reduced", "suspended")  # after the quarter
    return {"c0": c0, "c1": c1, "c2": c2, "c3": c3, "c4": c4}


def _appeal(p, filed: datetime.datetime, outcome: str = "", days: int = 0) -> Appeal:
    appeal = Appeal.objects.create(participant=p, grounds="Bukti belum dinilai")
    decided = {"status": "decided", "outcome": outcome, "decided_at": filed + datetime.timedelta(days=days)} \
        if outcome else {}
    Appeal.objects.filter(pk=appeal.pk).update(filed_at=filed, **decided)
    return appeal


def _complaint(received, kind="complaint", answered=None, status="received") -> Complaint:
    n = next(_numbers)
    return Complaint.objects.create(tracking_number=f"ADU-{n:05d}", kind=kind, rule=kind, received_at=received,
                                    message="Pelayanan lambat", answered_at=answered, status=status)


def build_appeals_and_complaints(people) -> None:
    _appeal(people["p2"], at("2026-08-25"), "dismissed", 10)
    _appeal(people["q2"], at("2026-09-10"))
    _appeal(people["p2"], at("2026-10-01"))
    _appeal(people["q2"], at("2026-07-02"), "reassess", 4)
    _complaint(at("2026-07-10"), answered=at("2026-07-13"), status="closed")
    _complaint(at("2026-08-01"), kind="suggestion")
    _complaint(at("2026-09-30", 23), answered=at("2026-10-05", 23), status="answered")
    _complaint(at("2026-10-01", 0, 30))


def build_quarter() -> dict:
    assert not TestSite.objects.exists()
    people = build_events()
    certificates = build_certificates(people)
    build_appeals_and_complaints(people)
    return {**people, **certificates}

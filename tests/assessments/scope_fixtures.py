"""A certificate with three units, issued today to Alice (decided in a pleno-less decision), for the scope
reduction and misuse tests: ``three_unit_certificate`` made for one test, or :data:`SHARED`, made once for a module
whose every test starts from it (tests/module_world.py: ``from .scope_fixtures import *``)."""

import pytest

from assessments import services
from assessments.certificates import services as certs
from tests import module_world

from .factories import EVENT_WORLD, assess, decide, event_world, mark_all_present, run_steps


def issue_three_unit_certificate(event, lina, tono, asa, alice):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    run_steps(event, 7, admin=lina, tuk_head=tono)
    p = event.participants.get(application__applicant=alice)
    decide(p, actor=lina, decision="K")
    services.participant_accept_obligations(p, user=alice)
    return certs.certificate_issue(p, actor=lina)


@pytest.fixture(name="cert")
def three_unit_certificate(event, lina, tono, asa, alice):
    return issue_three_unit_certificate(event, lina, tono, asa, alice)


def _world() -> dict:
    w = event_world()
    w["cert"] = issue_three_unit_certificate(w["event"], w["lina"], w["tono"], w["asa"], w["alice"])
    return w


SHARED = module_world.shared(_world, *EVENT_WORLD, "cert", language="en")
globals().update(SHARED)
__all__ = list(SHARED)

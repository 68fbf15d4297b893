import pytest

from certportal.accounts.models import Role
from tests.factories import UserFactory

from .factories import (
    SiteFactory,
    decide_event,
    make_application,
    make_assessor,
    planned_event,
    scheme_with_units,
)


@pytest.fixture
def scheme(db):
    return scheme_with_units(3)


@pytest.fixture
def site(tono):
    return SiteFactory(head=tono)


@pytest.fixture
def assessor(asa, scheme):
    return make_assessor(asa, schemes=[scheme])


@pytest.fixture
def other_assessor_user(scheme):
    user = UserFactory(full_name="Oscar Other Assessor", email="oscar@example.go.id", roles=[Role.ASSESSOR])
    make_assessor(user, schemes=[scheme])
    return user


@pytest.fixture
def lina2(db):
    return UserFactory(full_name="Lukas LSP Admin", email="lukas@example.go.id", roles=[Role.LSP_ADMIN])


@pytest.fixture
def alice_app(alice, scheme):
    return make_application(scheme, alice, name="Alice Applicant, S.Sos.")


@pytest.fixture
def bob_app(bob, scheme):
    return make_application(scheme, bob, experienced=False, name="Bob Applicant, S.E.")


@pytest.fixture
def event(lina, scheme, site, assessor, alice_app, bob_app):
    return planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app])


@pytest.fixture
def upcoming_event(lina, scheme, site, assessor, alice_app, bob_app):
    """The same event a week ahead (``event`` began an hour ago, so it can be held in a test)."""
    return planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app],
                         days_ahead=7)


@pytest.fixture
def decided(event, lina, tono, asa, alice, scheme):
    """The event decided: Alice competent, everyone else not yet competent in the scheme's first unit."""
    bk = scheme.scheme_units.first().unit.code
    return decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa,
                        results_for=lambda p: {} if p.application.applicant == alice else {bk: "BK"})


@pytest.fixture(autouse=True)
def _english_messages():
    """Service errors are matched on their English source text (pages are tested in Indonesian)."""
    from django.utils import translation

    with translation.override("en"):
        yield

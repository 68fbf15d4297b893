import pytest
from django.utils import translation

from applicants.models import ApplicantProfile

from .factories import ProfileFactory, scheme_with_parts


@pytest.fixture(autouse=True)
def _english():
    # The portal defaults to Indonesian; the tests read English source strings unless they switch language.
    with translation.override("en"):
        yield


@pytest.fixture
def scheme(db):
    return scheme_with_parts()


@pytest.fixture
def alice_profile(alice) -> ApplicantProfile:
    return ProfileFactory(user=alice, full_name="Alice Applicant, S.Sos.", nip="198503142010012001", gender="2")


@pytest.fixture
def bob_profile(bob) -> ApplicantProfile:
    return ProfileFactory(user=bob, full_name="Bob Applicant", nip="198001012005011002")


@pytest.fixture
def login():
    """``login(user)`` → a client logged in as ``user``, who reads the portal in English unless told otherwise."""
    from tests.conftest import client_for

    def _login(user, language: str = "en"):
        if user.preferred_language != language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
        return client_for(user)

    return _login


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Queue counts are cached; rows made by factories do not go through the services that invalidate them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

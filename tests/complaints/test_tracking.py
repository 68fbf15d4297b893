"""Complaint tracking cannot be walked (OWASP ASVS 4.2 / 11.1): the tracking page opens only by a long random
secret, the look-up wants the filer's e-mail or phone with the number, and the look-up is limited per address."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.complaints.factories import file_complaint

pytestmark = pytest.mark.django_db

LOOKUP = "complaints:track-lookup"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_tracking_numbers_run_in_sequence_but_open_nothing_by_themselves(client):
    first, second = file_complaint(), file_complaint(email="other@example.go.id", phone="")
    assert len(first.secret) >= 32 and first.secret != second.secret
    for number in (first.tracking_number, second.tracking_number):
        assert client.get(reverse("complaints:track", args=[number])).status_code == 404
    guessed = client.post(reverse(LOOKUP), {"tracking_number": second.tracking_number,
                                            "contact": "citra@example.go.id"})  # first filer's own e-mail
    assert guessed.status_code == 200
    assert second.secret not in guessed.content.decode()


def test_the_lookup_is_limited_per_address(client, settings):
    settings.COMPLAINTS_TRACK_LOOKUPS_PER_HOUR = 3
    complaint = file_complaint()
    for n in range(3):
        response = client.post(reverse(LOOKUP), {"tracking_number": f"ADU-2026-{n:05d}", "contact": "x@y.id"})
        assert response.status_code == 200
        assert "Terlalu banyak" not in response.content.decode()
    right = {"tracking_number": complaint.tracking_number, "contact": "citra@example.go.id"}
    refused = client.post(reverse(LOOKUP), right)
    assert refused.status_code == 200  # even the right pair: the walk is stopped, not guessed around
    assert "Terlalu banyak pencarian" in refused.content.decode()
    other_address = client.post(reverse(LOOKUP), right, REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 302 and other_address["Location"] == complaint.tracking_url()


def test_a_limit_of_zero_turns_the_check_off(client, settings):
    settings.COMPLAINTS_TRACK_LOOKUPS_PER_HOUR = 0
    complaint = file_complaint()
    for _ in range(30):
        client.post(reverse(LOOKUP), {"tracking_number": "ADU-2026-99999", "contact": "x@y.id"})
    ok = client.post(reverse(LOOKUP), {"tracking_number": complaint.tracking_number, "contact": "0812 3456 7890"})
    assert ok.status_code == 302

"""The applicant's own page (``/permohonan/saya/``): a card per application, drawn from their values (issue 47;
the template's loop was most of the page). Each card says what the person does next, every value is escaped, and
the page asks as many queries for twelve applications as for two."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applicants.models import Status

from .factories import ApplicationFactory, scheme_with_parts

pytestmark = pytest.mark.django_db

MINE = "/permohonan/saya/"


def _queries(client) -> int:
    client.get(MINE)  # the header's unread count kept from the first view on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MINE).status_code == 200
    return len(queries)


def test_each_application_is_a_card_with_its_next_step_escaped_and_only_the_person_s_own(login, alice, bob):
    hostile = scheme_with_parts()
    hostile.name = '<script>alert("x")</script> & Skema'
    hostile.save(update_fields=["name"])
    draft = ApplicationFactory(applicant=alice, scheme=hostile, status=Status.DRAFT)
    returned = ApplicationFactory(applicant=alice, scheme=scheme_with_parts(), status=Status.RETURNED)
    submitted = ApplicationFactory(applicant=alice, scheme=scheme_with_parts(), status=Status.SUBMITTED)
    theirs = ApplicationFactory(applicant=bob, scheme=hostile, status=Status.DRAFT)
    page = login(alice).get(MINE).content.decode()
    assert f'id="app-card-{theirs.pk}"' not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Skema" in page
    card = {app.pk: page.split(f'id="app-card-{app.pk}"')[1].split('class="list-group-item"')[0]
            for app in (draft, returned, submitted)}
    assert f'href="/permohonan/{draft.pk}/isi/data/"' in card[draft.pk] and 'data-next="continue"' in card[draft.pk]
    assert f'data-next="correct" href="/permohonan/{returned.pk}/isi/dokumen/"' in card[returned.pk]
    assert "text-bg-warning" in card[returned.pk]
    assert "data-next" not in card[submitted.pk] and "text-bg-primary" in card[submitted.pk]
    assert f'<a class="fw-semibold" href="/permohonan/{submitted.pk}/">' in card[submitted.pk]
    assert str(Status.SUBMITTED.label) in card[submitted.pk] and f"#{submitted.pk} · " in card[submitted.pk]


def test_the_page_asks_as_many_queries_for_twelve_applications_as_for_two(login, alice):
    scheme = scheme_with_parts()
    for status in (Status.DRAFT, Status.RETURNED):
        ApplicationFactory(applicant=alice, scheme=scheme, status=status)
    client = login(alice)
    two = _queries(client)
    for _ in range(10):
        ApplicationFactory(applicant=alice, scheme=scheme, status=Status.SUBMITTED)
    assert _queries(client) == two
    assert client.get(MINE).content.decode().count('class="list-group-item"') == 12

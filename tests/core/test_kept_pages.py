"""Issue 47: the detail pages are kept per record until a row they show changes (``certportal.kept_pages``).

Each kept page declares the records it hangs on and every model it reads. A page that read a table its
declaration leaves out would show a stale body for up to a minute after a change there, so the declarations are
checked here against what each page's body really asks the database: every demo record, for a person of every role
who may open it. The other tests show a kept page as a reader finds it: the same body without a query, each change
shown at once, the reader's own CSRF token in every form, and another reader never given someone else's page."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certportal import kept_pages
from certportal.accounts.models import User

pytestmark = pytest.mark.django_db

TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')
# each kept page: the model of its record and the name of its address
PAGES = {"assessments.event": ("assessments.Event", "assessments:event"),
         "assessments.participant": ("assessments.Participant", "assessments:participant"),
         "assessments.certificate": ("assessments.Certificate", "assessments:certificate"),
         "applicants.verify": ("applicants.Application", "applicants:verify")}
# the agency's pages, kept per agency (agencies.kept_pages): the addresses drawn, and who reads them (an agency's
# officer and head, the Sekretaris Daerah and the supervisor, the province's view and one agency chosen)
AGENCY_PAGES = {"agencies.people": ["agencies:people", "agencies:people-certificates",
                                    "agencies:people-competence"],
                "agencies.propose": ["agencies:propose"]}
AGENCY_READERS = ["pengelola.dinkes@demo.go.id", "kepala.dinkes@demo.go.id", "sekda@demo.go.id",
                  "pimpinan@demo.go.id"]
# the pages about no one record, kept per reader (kept_pages.WHOLE): the management system's (quality.kept_pages)
# and the funded rounds' list; the addresses drawn, with their filters
WHOLE_PAGES = {"agencies.rounds": ["agencies:round-list", "?page=2"],
               "quality.reviews": ["quality:system-home", "?page=2"],
               "quality.actions": ["quality:system-actions", "?state=all", "?state=overdue&page=2",
                                   "quality:system-my-actions", "?state=closed"],
               "quality.documents": ["quality:system-documents", "?on=2025-01-31", "?on=nonsense&page=9"],
               "quality.duties": ["quality:system-duties"],
               "quality.competence": ["quality:competence-list", "?peran=assessor", "?peran=tuk_head&page=2"],
               "quality.impartiality": ["quality:impartiality"]}
STAFF = ["admin.lsp@demo.go.id", "verifikator@demo.go.id", "asesor@demo.go.id", "kepala.tuk@demo.go.id",
         "mutu@demo.go.id"]


def _declared(page: kept_pages.KeptPage) -> set[str]:
    """The tables of the models ``page`` declares, with their own many-to-many links (and the content types:
    written by the migrations only, read once per process)."""
    tables = {"django_content_type"}
    for label in page.reads:
        model = apps.get_model(label)
        tables.add(model._meta.db_table)
        tables |= {f.remote_field.through._meta.db_table for f in model._meta.get_fields()
                   if f.many_to_many and not f.auto_created}
    return tables


def _read_by(bodies: list[list[str]]) -> set[str]:
    """The tables the kept bodies read."""
    return {table for body in bodies for sql in body for table in TABLE.findall(sql)}


def test_every_registered_page_is_checked():
    assert {p.key for p in kept_pages.PAGES.provisions()} == set(PAGES) | set(AGENCY_PAGES) | set(WHOLE_PAGES)


def test_every_kept_page_reads_only_the_models_it_declares(demo_data, client, kept_bodies):
    undeclared: dict[str, set[str]] = {}
    for name, (label, url) in PAGES.items():
        page, drawn = kept_pages.PAGES.get(name), 0
        for email in STAFF:
            client.force_login(User.objects.get(email=email))
            for pk in apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True):
                cache.clear()
                kept_bodies.clear()
                if client.get(reverse(url, args=[pk])).status_code != 200:
                    continue
                drawn += 1
                extra = _read_by(kept_bodies) - _declared(page)
                if extra:
                    undeclared.setdefault(name, set()).update(extra)
        assert drawn, f"no demo record of {label} drawn"
    assert not undeclared, f"kept pages reading tables their declaration leaves out: {undeclared}"


def _agency_addresses(names: list[str]) -> list[str]:
    """Each page as it opens, searched, on its second page and in each tab; the map of the demo agency's every
    position and the province's pages of one agency chosen."""
    from agencies import competence
    from applicants.models import Agency

    agency = Agency.objects.get(name="Dinas Kesehatan")
    positions = [m.key for m in competence.summary(agency, timezone.localdate())]
    found = []
    for name in names:
        url = reverse(name)
        found += [url, f"{url}?q=a&page=2", f"{url}?agency={agency.pk}", f"{url}?group=surveillance",
                  f"{url}?group=expiring&scheme=1"]
        if name == "agencies:people-competence":
            found += [f"{url}?jabatan={key}" for key in positions]
    return found


def _check_declarations(client, kept_bodies, pages: dict[str, list[str]], readers: list[str], *,
                        always_kept: bool) -> None:
    """Each page's addresses drawn for each reader who may open them: the tables the kept body reads are among
    those its declaration names. ``always_kept``: every view the reader may open has a kept body (else a reader
    who sees nobody's page, as on the agency pages, gets one drawn and not kept)."""
    undeclared: dict[str, set[str]] = {}
    for name, urls in pages.items():
        page, drawn = kept_pages.PAGES.get(name), 0
        for email in readers:
            client.force_login(User.objects.get(email=email))
            for url in urls:
                cache.clear()
                kept_bodies.clear()
                if client.get(url).status_code != 200:
                    continue
                if not kept_bodies:
                    assert not always_kept, f"{url} drew no kept body"
                    continue
                drawn += 1
                if extra := _read_by(kept_bodies) - _declared(page):
                    undeclared.setdefault(name, set()).update(extra)
        assert drawn, f"no page of {name} drawn"
    assert not undeclared, f"kept pages reading tables their declaration leaves out: {undeclared}"


def test_every_agency_page_reads_only_the_models_it_declares(demo_data, client, kept_bodies):
    pages = {name: _agency_addresses(names) for name, names in AGENCY_PAGES.items()}
    _check_declarations(client, kept_bodies, pages, AGENCY_READERS, always_kept=False)


def _whole_addresses(names: list[str]) -> list[str]:
    """Each address as it opens and with each query string listed after it."""
    found: list[str] = []
    for name in names:
        found.append(f"{found[-1].split('?')[0]}{name}" if name.startswith("?") else reverse(name))
    return found


def test_every_register_of_the_lsp_reads_only_the_models_it_declares(demo_data, client, kept_bodies):
    pages = {name: _whole_addresses(names) for name, names in WHOLE_PAGES.items()}
    _check_declarations(client, kept_bodies, pages, [*STAFF, "pimpinan@demo.go.id"], always_kept=True)


def _tables(client, url) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return {table for q in queries.captured_queries for table in TABLE.findall(q["sql"])}


def _login(client, email: str) -> User:
    user = User.objects.get(email=email)
    client.force_login(user)
    return user


@pytest.fixture
def noon():
    """A body is kept per day: today at noon in Jakarta, so that no two views fall on either side of midnight."""
    with time_machine.travel(timezone.localtime().replace(hour=12, minute=0), tick=True):
        yield


def test_a_participant_page_is_kept_until_its_own_rows_change(demo_data, client, noon):
    from assessments.events.models import Participant, UnitResult

    _login(client, "admin.lsp@demo.go.id")
    first, other = (Participant.objects.filter(results__isnull=False).distinct().order_by("pk")[:2])
    url = reverse("assessments:participant", args=[first.pk])
    assert "assessments_unitresult" in _tables(client, url)
    assert "assessments_unitresult" not in _tables(client, url), "a second view drew the body again"

    result = other.results.first()
    result.notes = "saved for another participant"
    result.save()
    assert "assessments_unitresult" not in _tables(client, url), "another participant's save forgot this page"

    mine = UnitResult.objects.filter(participant=first).first()
    mine.notes = "saved for this participant"
    mine.save()
    assert "assessments_unitresult" in _tables(client, url)

    Participant.objects.filter(pk=first.pk).update(decision_note="Written by an update, no signal")
    assert "Written by an update, no signal" in client.get(url).content.decode()


def test_a_kept_page_carries_the_readers_own_token(demo_data):
    from django.test import Client

    from assessments.certificates.models import Certificate

    officer = Client(enforce_csrf_checks=True)  # the BKPSDM officer hands certificates over
    _login(officer, "verifikator@demo.go.id")
    def offers_handover(cert) -> bool:
        return 'id="handover-form"' in officer.get(reverse("assessments:certificate", args=[cert.pk])).content.decode()

    page = next(c for c in Certificate.objects.order_by("pk") if offers_handover(c))
    url = reverse("assessments:certificate", args=[page.pk])
    html = officer.get(url).content.decode()  # kept
    assert kept_pages.csrf_placeholder() not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    answer = officer.post(reverse("assessments:certificate-handover", args=[page.pk]),
                        {"received_by": "Budi Santoso", "note": "", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert "Budi Santoso" in officer.get(url).content.decode(), "the handover did not show at once"

    admin = Client(enforce_csrf_checks=True)
    _login(admin, "admin.lsp@demo.go.id")
    theirs = admin.get(url).content.decode()
    assert 'id="handover-form"' not in theirs, "another person was given the officer's kept page"
    assert token not in theirs


def test_a_register_of_the_lsp_is_kept_per_reader_until_a_row_it_reads_changes(demo_data, client, noon):
    from quality.system.models import CorrectiveAction
    from schemes.models import TestSite

    _login(client, "mutu@demo.go.id")
    url = reverse("quality:system-actions") + "?state=all"
    assert "quality_correctiveaction" in _tables(client, url)
    assert "quality_correctiveaction" not in _tables(client, url), "a second view drew the list again"

    action = CorrectiveAction.objects.order_by("pk").first()
    action.description = "Rewritten: the archive room is locked at night"
    action.save()
    assert "Rewritten: the archive room is locked at night" in client.get(url).content.decode()
    CorrectiveAction.objects.filter(pk=action.pk).update(description="Written by an update, no signal")
    assert "Written by an update, no signal" in client.get(url).content.decode()

    _login(client, "admin.lsp@demo.go.id")
    assert "quality_correctiveaction" in _tables(client, url), "another reader was given the quality's kept list"
    duty = re.compile(r'data-duty="([\w-]+)"')
    head = _login(client, "kepala.tuk@demo.go.id")
    TestSite.objects.filter(pk=TestSite.objects.filter(is_active=True).order_by("pk")[0].pk).update(
        head=head, licence_valid_until=timezone.localdate() + datetime.timedelta(days=40))
    own = set(duty.findall(client.get(reverse("quality:system-duties")).content.decode()))
    _login(client, "admin.lsp@demo.go.id")
    every = set(duty.findall(client.get(reverse("quality:system-duties")).content.decode()))
    assert own == {"site-verification"} and "internal-audit" in every, "a reader was given another's duties"

"""The queue's search by name from the start of any word (an index range), the box that finds a part of a word,
and the orders a search and "needs my action" in a deadline state are read in (each page as the database's own
order would give it)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict

from applicants.models import Status
from applicants.queue import filtered_queue
from applicants.search import WORDS, from_word

from .factories import ApplicationFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def _names(page: str, *names: str) -> list[str]:
    return [n for n in names if n in page]


def test_a_name_is_found_from_the_start_of_any_word_and_a_part_of_a_word_only_when_asked(victor, login):
    scheme = SchemeFactory()
    for name in ("Wulan Mahendra", "Sri Wulandari Putri", "Ni Luh Putu Ayu Kartika Dewi", "Budi Santoso",
                 "Ni Luh Putu Ayu Kadek Komang Suastini"):
        ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name=name)
    client = login(victor)
    everyone = ("Wulan Mahendra", "Sri Wulandari", "Kartika Dewi", "Budi Santoso", "Suastini")
    page = client.get("/permohonan/antrian/?q=wulan").content.decode()
    assert _names(page, *everyone) == ["Wulan Mahendra", "Sri Wulandari"]
    page = client.get("/permohonan/antrian/?q=  wulan   MAHEN ").content.decode()  # any case, any spacing
    assert _names(page, *everyone) == ["Wulan Mahendra"]
    page = client.get("/permohonan/antrian/?q=dewi").content.decode()  # the sixth word
    assert _names(page, *everyone) == ["Kartika Dewi"]
    page = client.get("/permohonan/antrian/?q=ulan").content.decode()  # inside a word: not by default ...
    assert _names(page, *everyone) == [] and "a part of a word" in page
    page = client.get("/permohonan/antrian/?q=ulan&inside=1").content.decode()  # ... but when the box is ticked
    assert _names(page, *everyone) == ["Wulan Mahendra", "Sri Wulandari"] and 'id="q-inside" checked' in page
    page = client.get("/permohonan/antrian/?q=suastini").content.decode()  # the seventh word: past the indexes
    assert _names(page, *everyone) == [] and "a part of a word" in page
    page = client.get("/permohonan/antrian/?q=suastini&inside=1").content.decode()
    assert _names(page, *everyone) == ["Suastini"]


def test_a_search_term_with_like_wildcards_or_quotes_is_plain_text(victor, login):
    scheme = SchemeFactory()
    ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name="Ma'ruf Amin")
    ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name="Maria Ulfa")
    client = login(victor)
    page = client.get("/permohonan/antrian/?q=ma'ruf").content.decode()
    assert _names(page, "Ma&#x27;ruf", "Maria") == ["Ma&#x27;ruf"]
    for term in ("m%", "m_", "%", "\\", "' OR 1=1 --"):
        response = client.get("/permohonan/antrian/", {"q": term})
        assert response.status_code == 200 and _names(response.content.decode(), "Ma&#x27;ruf", "Maria") == []


@pytest.mark.parametrize("name", ["Wulan Mahendra", "  Siti  Aminah ", "Dr. Ir. I Gusti\tNgurah Rai, M.Si.",
                                  "", " ", "Élodie Čapek Ørsted", "A B C D E F G H", "ma'ruf amin"])
@pytest.mark.postgresql("compares with PostgreSQL's function")
def test_the_python_function_reads_a_name_as_the_postgresql_one(name):
    """SQLite (``make run``) runs the same function in Python: both must cut a name into the same keys."""
    with connection.cursor() as cursor:
        for n in range(1, WORDS + 2):
            cursor.execute("SELECT app_name_from_word(%s, %s)", [name, n])
            assert cursor.fetchone()[0] == from_word(name, n), (name, n)


def _order_in_database(user, params: str) -> list[int]:
    """The page's order as one query of the database gives it (the exports' queryset)."""
    return list(filtered_queue(user, QueryDict(params)).qs.values_list("id", flat=True))


def _order_on_pages(client, params: str, pages: int) -> list[int]:
    seen = []
    for number in range(1, pages + 1):
        page = client.get(f"/permohonan/antrian/?{params}&page={number}").content.decode()
        seen += [int(part.split("/", 1)[0]) for part in page.split("/permohonan/verifikasi/")[1::2]]
    return seen


@pytest.fixture
def small_pages(monkeypatch):
    from applicants.views import verifier

    monkeypatch.setattr(verifier, "PAGE_SIZE", 3)


def test_a_search_read_here_and_needs_my_action_in_a_deadline_state_page_as_the_database_orders(
        victor, login, small_pages):
    """Nine dossiers due soon (four new or resubmitted, five complete; two share a deadline, one has none) read on
    pages of three: a search's matches ordered here, and "needs my action" due soon read from its two index
    ranges, come page by page in the order one query of the database gives."""
    from applicants import services
    from certportal.sla import services as sla

    scheme = SchemeFactory()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)):
        today = sla.local_date()
        soon = sla.warn_date(sla.get_policy(services.CLOCK), today)
        days = [today + datetime.timedelta(days=i % ((soon - today).days + 1)) for i in range(9)]
        statuses = [Status.SUBMITTED, Status.COMPLETE, Status.RESUBMITTED, Status.COMPLETE, Status.SUBMITTED,
                    Status.SUBMITTED, Status.COMPLETE, Status.COMPLETE, Status.COMPLETE]  # page 2 spans both groups
        for i, (status, day) in enumerate(zip(statuses, days, strict=True)):
            ApplicationFactory(scheme=scheme, status=status, applicant_name=f"Rina Lestari {i}", deadline=day,
                               submitted_at=datetime.datetime(2026, 11, 2, 8, 9 - i, tzinfo=datetime.UTC))
        ApplicationFactory(scheme=scheme, status=Status.COMPLETE, applicant_name="Rina Tanpa Tenggat")
        client = login(victor)
        assert filtered_queue(victor, QueryDict("deadline=due_soon")).parts is not None  # two index ranges
        for params in ("q=rina", "q=rina&status=", "q=lestari&status=complete", "status=", "deadline=due_soon",
                       "deadline=due_soon&status="):
            expected = _order_in_database(victor, params)
            assert len(expected) >= 5, params
            assert _order_on_pages(client, params, pages=-(-len(expected) // 3)) == expected, params
            exported = b"".join(client.get(f"/permohonan/antrian/ekspor.csv?{params}").streaming_content)
            assert [int(line.split(",")[0]) for line in exported.decode("utf-8-sig").splitlines()[1:]] == expected


def test_a_name_found_at_two_of_its_words_is_one_match(victor, login):
    scheme = SchemeFactory()
    ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name="Wulan Wulandari")
    ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name="Sri Wulan")
    page = login(victor).get("/permohonan/antrian/?q=wulan&status=").content.decode()
    assert page.count("Wulan Wulandari") == 1 and page.count("Sri Wulan") == 1 and "Total: 2" in page


def test_a_search_by_name_reads_its_page_with_its_counts_whatever_the_page_asked(victor, login, small_pages):
    """Seven matches on pages of three: each page runs as many queries (the counts and the page asked for are one
    query); a page past the last shows the last, a page that is no number the first, as every list does."""
    from django.test.utils import CaptureQueriesContext

    scheme = SchemeFactory()
    for i in range(7):
        ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name=f"Dewi Kartika {i}",
                           deadline=datetime.date(2026, 12, 1 + i))
    ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name="Sri Wahyuni")
    client = login(victor)
    client.get("/permohonan/antrian/?q=kartika")  # the session's and the layout's first reads
    pages, queries = {}, set()
    for number in ("1", "2", "3", "99", "x"):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(f"/permohonan/antrian/?q=kartika&page={number}").content.decode()
        if number in ("1", "2", "3"):
            queries.add(len(ctx))
            assert sum("applicants_application" in q["sql"] for q in ctx.captured_queries) == 1, number
        pages[number] = [i for i in range(7) if f"Dewi Kartika {i}<" in page]
        assert "Sri Wahyuni" not in page and "Total: 7" in page
    assert pages == {"1": [0, 1, 2], "2": [3, 4, 5], "3": [6], "99": [6], "x": [0, 1, 2]}
    assert len(queries) == 1

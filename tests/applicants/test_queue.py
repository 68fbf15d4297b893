"""The verifier's work queue: filters, search, deadline order and state, counts, exports, constant queries."""

import csv
import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from applicants.models import Status
from applicants.services import application_act

from .factories import ApplicationFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def _rows(n, scheme, status=Status.SUBMITTED, **kw):
    return [ApplicationFactory(scheme=scheme, status=status, **kw) for _ in range(n)]


def test_the_queue_shows_counts_per_status_and_hides_drafts(victor, login):
    scheme = SchemeFactory()
    _rows(2, scheme, Status.SUBMITTED)
    _rows(1, scheme, Status.RETURNED)
    _rows(1, scheme, Status.DRAFT, applicant_name="Diam Diam Draft")
    page = login(victor).get("/permohonan/antrian/").content.decode()
    assert "Submitted: 2" in page and "Returned for correction: 1" in page and "Total: 3" in page
    assert "Diam Diam Draft" not in page


def test_search_by_name_or_nip_and_filter_by_scheme_and_unit(victor, login):
    s1, s2 = SchemeFactory(), SchemeFactory()
    ApplicationFactory(scheme=s1, status=Status.SUBMITTED, applicant_name="Siti Aminah", nip="198001012005012001",
                       org_unit="Dinas Kesehatan")
    ApplicationFactory(scheme=s2, status=Status.SUBMITTED, applicant_name="Budi Santoso", nip="197902022003011001",
                       org_unit="Dinas Pendidikan")
    client = login(victor)
    assert "Budi" not in client.get("/permohonan/antrian/?q=siti").content.decode()
    page = client.get("/permohonan/antrian/?q=19790202").content.decode()
    assert "Budi Santoso" in page and "Siti" not in page
    page = client.get(f"/permohonan/antrian/?scheme={s1.pk}").content.decode()
    assert "Siti Aminah" in page and "Budi" not in page
    page = client.get("/permohonan/antrian/?unit=pendidikan").content.decode()
    assert "Budi Santoso" in page and "Siti" not in page


@pytest.mark.parametrize("read_once", [True, False], ids=["matches-read-once", "more-than-the-cap"])
def test_a_search_counts_its_own_matches_per_status(victor, login, monkeypatch, read_once):
    """A search's tabs count what it found, whether its matches are read once (a few hundred at most) or, past
    ``SEARCH_MATCHES``, counted by the database."""
    from applicants import queue

    if not read_once:
        monkeypatch.setattr(queue, "SEARCH_MATCHES", 2)
    scheme = SchemeFactory()
    _rows(3, scheme, Status.SUBMITTED, applicant_name="Rina Santoso")
    _rows(1, scheme, Status.RETURNED, applicant_name="Joko Santoso")
    _rows(1, scheme, Status.DRAFT, applicant_name="Diam Santoso")
    _rows(2, scheme, Status.SUBMITTED, applicant_name="Siti Aminah")
    client = login(victor)
    page = client.get("/permohonan/antrian/?q=santoso&status=").content.decode()
    assert "Submitted: 3" in page and "Returned for correction: 1" in page and "Total: 4" in page
    assert page.count("Rina Santoso") == 3 and "Joko Santoso" in page and "Siti" not in page and "Diam" not in page
    page = client.get("/permohonan/antrian/?q=santoso&status=returned").content.decode()
    assert "Joko Santoso" in page and "Rina" not in page


def test_opens_on_needs_my_action_new_first_then_all_sorted_by_deadline_and_filtered_by_state(victor, login):
    scheme = SchemeFactory()
    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC)):
        old = ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name="Lama Sekali")
        application_act(old, "completed", actor=victor)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)):
        new = ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name="Baru Saja")
        application_act(new, "completed", actor=victor)
    ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name="Belum Lengkap",
                       submitted_at=datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC))
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)):
        client = login(victor)
        # issue 15: the queue opens on the work that needs the verifier, the dossier to check first
        page = client.get("/permohonan/antrian/").content.decode()
        assert page.index("Belum Lengkap") < page.index("Lama Sekali") < page.index("Baru Saja")
        assert "completeness check by 26 November 2026" in page  # 3 working days after 23 Nov 2026 (seed 001 step 2)
        assert "target: " in page and "limit: " in page and "working days overdue" in page
        page = client.get("/permohonan/antrian/?status=").content.decode()  # "All": by deadline
        assert page.index("Lama Sekali") < page.index("Baru Saja") < page.index("Belum Lengkap")
        page = client.get("/permohonan/antrian/?deadline=overdue").content.decode()
        assert "Lama Sekali" in page and "Baru Saja" not in page and "Belum Lengkap" not in page
        page = client.get("/permohonan/antrian/?deadline=on_track").content.decode()
        assert "Baru Saja" in page and "Lama Sekali" not in page


def test_deadline_states_come_off_the_mirrored_deadline_and_leave_a_returned_dossier_out(victor, login):
    """The states filter on the application's own deadline (a range on the queue's index), not on a look-up of
    each row's clock; a dossier returned for correction (its clock paused) is in no state."""
    from django.http import QueryDict

    from applicants.queue import filtered_queue

    scheme = SchemeFactory()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        due, back = (ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name=name)
                     for name in ("Hampir Tenggat", "Sedang Dikembalikan"))
        for app in (due, back):
            application_act(app, "completed", actor=victor)
        application_act(back, "returned", actor=victor, reason="Lengkapi SK")
    due.refresh_from_db()
    back.refresh_from_db()
    assert back.deadline == due.deadline  # the paused clock's date stays on the returned dossier
    day = due.deadline
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 2, 0, tzinfo=datetime.UTC)):
        client = login(victor)
        page = client.get("/permohonan/antrian/?deadline=due_soon&status=").content.decode()
        assert "Hampir Tenggat" in page and "Sedang Dikembalikan" not in page
        for state in ("overdue", "on_track"):
            page = client.get(f"/permohonan/antrian/?deadline={state}&status=").content.decode()
            assert "Hampir Tenggat" not in page and "Sedang Dikembalikan" not in page
        page = client.get("/permohonan/antrian/?status=returned").content.decode()  # its clock paused: no count
        assert "Sedang Dikembalikan" in page and '<span data-due="paused">paused (with the applicant)</span>' in page
        qs = filtered_queue(victor, QueryDict("deadline=due_soon&status=")).qs
    where = str(qs.query).split('FROM "applicants_application"')[-1].split(" ORDER BY ")[0]
    assert '"applicants_application"."deadline" >=' in where and 'FROM "sla_clock"' not in where


@pytest.mark.parametrize("rows", [5, 60])
def test_the_queue_runs_a_constant_number_of_queries(victor, login, django_assert_max_num_queries, rows):
    scheme = SchemeFactory()
    for app in _rows(rows, scheme):
        if app.pk % 2:
            application_act(app, "completed", actor=victor)
    client = login(victor)
    client.get("/permohonan/antrian/")  # warm caches (content types)
    # 12 before issue 15; the working days left are read from one calendar load for the page (3 queries)
    with django_assert_max_num_queries(15):
        response = client.get("/permohonan/antrian/?deadline=on_track&q=a")
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        page = client.get("/permohonan/antrian/").content.decode()
    assert page.count("/permohonan/verifikasi/") >= min(rows, 50)


def test_csv_and_xlsx_exports_apply_the_filters(victor, login):
    s1, s2 = SchemeFactory(), SchemeFactory()
    ApplicationFactory(scheme=s1, status=Status.SUBMITTED, applicant_name="Siti Aminah", nip="198001012005012001")
    ApplicationFactory(scheme=s2, status=Status.SUBMITTED, applicant_name="Budi Santoso")
    client = login(victor)
    response = client.get(f"/permohonan/antrian/ekspor.csv?scheme={s1.pk}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["No.", "Name", "NIP"]  # victor reads the portal in English
    assert [r[1] for r in rows[1:]] == ["Siti Aminah"]
    assert rows[1][2] == "\t198001012005012001"  # kept as text by a spreadsheet (test_export_identifiers.py)
    response = client.get("/permohonan/antrian/ekspor.xlsx?q=budi")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][1] == "Budi Santoso"


def test_the_recap_counts_applications_per_unit(victor, login):
    scheme = SchemeFactory()
    _rows(2, scheme, Status.SUBMITTED, org_unit="Dinas Kesehatan")
    _rows(1, scheme, Status.PARTICIPANT, org_unit="Dinas Kesehatan")
    _rows(1, scheme, Status.WITHDRAWN, org_unit="Biro Umum")
    client = login(victor)
    page = client.get("/permohonan/rekap-unit/").content.decode()
    assert "Dinas Kesehatan" in page and "Biro Umum" in page
    rows = list(csv.reader(io.StringIO(client.get("/permohonan/rekap-unit/?format=csv").getvalue().decode("utf-8-sig"))))
    kesehatan = next(r for r in rows if r[0] == "Dinas Kesehatan")
    assert kesehatan[1:4] == ["3", "2", "0"] and kesehatan[4] == "1"
    sheet = load_workbook(io.BytesIO(client.get("/permohonan/rekap-unit/?format=xlsx").getvalue())).active
    assert sheet.max_row == 3


def test_cached_counts_follow_every_status_change(victor, login, django_capture_on_commit_callbacks):
    scheme = SchemeFactory()
    app = ApplicationFactory(scheme=scheme, status=Status.SUBMITTED)
    client = login(victor)
    assert "Submitted: 1" in client.get("/permohonan/antrian/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        application_act(app, "returned", actor=victor, reason="Foto buram")
    page = client.get("/permohonan/antrian/").content.decode()
    assert "Returned for correction: 1" in page and "Submitted: 1" not in page

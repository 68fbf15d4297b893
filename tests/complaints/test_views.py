"""Pages as each person would use them: the public form and tracking page, staff pages by role, reports."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints.models import Complaint, SurveyResponse
from tests.hostile_files import real_pdf

from .factories import SurveyResponseFactory, anonymous_suggestion, file_complaint, walk_to

pytestmark = pytest.mark.django_db

PDF = real_pdf()


def public_data(**overrides):
    data = {"name": "Citra", "email": "citra@example.go.id", "phone": "", "object_text": "Verifikasi berkas",
            "reference": "", "service_date": "", "message": "Berkas saya dikembalikan.", "website": ""}
    data.update(overrides)
    return data


def test_anyone_files_a_complaint_and_lands_on_the_private_tracking_page(client):
    response = client.post(reverse("complaints:public-new"), public_data(
        attachments=[SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")]), follow=True)
    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == complaint.tracking_url()
    page = response.content.decode()
    assert complaint.tracking_number in page and 'data-testid="kind"' in page
    assert complaint.attachments.count() == 1


def test_a_rejected_attachment_keeps_everything_else_the_visitor_wrote(client):
    fake = SimpleUploadedFile("foto.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("complaints:public-new"), public_data(attachments=[fake]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "foto.pdf" in page and "Berkas saya dikembalikan." in page and 'value="Citra"' in page
    assert Complaint.objects.count() == 0


def test_the_honeypot_records_nothing(client):
    client.post(reverse("complaints:public-new"), public_data(website="http://spam.example"))
    assert Complaint.objects.count() == 0


def test_the_public_form_is_rate_limited(client, settings):
    settings.COMPLAINTS_PUBLIC_PER_HOUR = 2
    from django.core.cache import cache

    cache.clear()
    for _ in range(3):
        response = client.post(reverse("complaints:public-new"), public_data())
    assert Complaint.objects.count() == 2
    assert response.status_code == 200 and "Berkas saya dikembalikan." in response.content.decode()


def test_the_tracking_page_shows_progress_and_the_answer_but_a_wrong_secret_finds_nothing(client, karin):
    complaint = walk_to(file_complaint(), "answered", karin)
    page = client.get(complaint.tracking_url()).content.decode()
    assert "Jawaban kami." in page and complaint.tracking_number in page
    assert client.get(reverse("complaints:track", args=["salah"])).status_code == 404


def test_the_lookup_needs_the_number_and_the_contact(client):
    complaint = file_complaint()
    ok = client.post(reverse("complaints:track-lookup"), {"tracking_number": complaint.tracking_number,
                                                           "contact": "081234567890"})
    assert ok.status_code == 302 and ok["Location"] == complaint.tracking_url()
    bad = client.post(reverse("complaints:track-lookup"), {"tracking_number": complaint.tracking_number,
                                                            "contact": "orang@lain.id"})
    assert bad.status_code == 200 and Complaint.objects.count() == 1


STAFF_PAGES = ["complaints:list", "complaints:reports", "complaints:skm", "complaints:reports-csv",
               "complaints:reports-xlsx", "complaints:skm-csv"]
OFFICER_PAGES = ["complaints:officer-home", "complaints:staff-new", "complaints:skm-import"]


@pytest.mark.parametrize("name", STAFF_PAGES + OFFICER_PAGES)
def test_pages_by_role(name, login, client, karin, sofia, alice, victor):
    url = reverse(name)
    assert login(karin).get(url).status_code == 200
    assert login(sofia).get(url).status_code == (200 if name in STAFF_PAGES else 403)
    assert login(alice).get(url).status_code == 403
    assert login(victor).get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_the_record_is_for_complaint_staff_only(login, client, karin, sofia, alice):
    complaint = file_complaint()
    url = complaint.get_absolute_url()
    assert complaint.rule_explanation.split(",")[0][:10] in login(karin).get(url).content.decode()
    assert login(sofia).get(url).status_code == 200
    assert login(alice).get(url).status_code == 403
    assert client.get(url).status_code == 302
    assert login(alice).post(reverse("complaints:classify", args=[complaint.pk]),
                             {"service": "test", "component": "time"}).status_code == 403


def test_staff_entry_records_the_channel(login, karin):
    response = login(karin).post(reverse("complaints:staff-new"), {
        "channel": "whatsapp", "received_on": timezone.localdate().isoformat(), "name": "Budi",
        "phone": "0811111111", "object_text": "Jadwal", "message": "Lewat WA", "email": "", "reference": "",
        "service_date": "", "scheme_code": ""}, follow=True)
    complaint = Complaint.objects.get()
    assert complaint.channel == "whatsapp" and complaint.recorded_by == karin and complaint.kind == "complaint"
    assert "WhatsApp" in response.content.decode()


def test_a_refused_action_is_explained_on_the_page(login, karin):
    complaint = walk_to(file_complaint(), "in_analysis", karin)
    response = login(karin).post(reverse("complaints:route", args=[complaint.pk]), {"route": "apip"}, follow=True)
    assert "APIP" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "in_analysis"


@pytest.mark.parametrize("rows", [5, 60])
def test_the_list_runs_a_constant_number_of_queries(rows, login, karin, django_assert_max_num_queries):
    for i in range(rows):
        Complaint.objects.create(tracking_number=f"ADU-2026-{i:05d}", kind="complaint", rule="complaint",
                                 message="x")
    c = login(karin)
    with django_assert_max_num_queries(14):
        assert c.get(reverse("complaints:list")).status_code == 200


def test_the_list_shows_each_complaint_as_a_person_reads_it(login, karin):
    """The rows are drawn in Python (issue 28): the same cells, labels, badges and escaping as the template had."""
    import time_machine
    from django.utils import translation

    from certportal import dates
    from certportal.sla import services as sla

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        late = file_complaint(channel="phone", object_text="<b>Jadwal</b> & " + "uji kompetensi " * 6)
        done = file_complaint(name="Lain", email="lain@example.go.id", phone="", object_text="Toilet")
        walk_to(done, "closed", karin)
        suggestion = anonymous_suggestion()
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        c = login(karin)
        page = c.get(reverse("complaints:list")).content.decode()
        karin.preferred_language = "en"
        karin.save()
        english = c.get(reverse("complaints:list"), {"status": "closed"}).content.decode()
        empty = c.get(reverse("complaints:list"), {"q": "nothing like it"}).content.decode()
    rows = {row.split("</a>", 1)[0].rsplit(">", 1)[1]: row.split("</tr>", 1)[0]
            for row in page.split('<tr data-testid="complaint-row">')[1:]}
    with translation.override("id"):
        limit = dates.day(sla.clock_for(late, "complaint-answer").limit_due)
    row = rows[late.tracking_number]
    assert f'<a href="{late.get_absolute_url()}">' in row and "2 Maret 2026" in row and "Telepon" in row
    assert "&lt;b&gt;Jadwal&lt;/b&gt; &amp; uji kompetensi" in row and "<b>" not in row and "…" in row
    assert '<span class="badge bg-primary" data-testid="status">Diterima</span>' in row
    assert f'{limit} <span class="badge bg-danger">terlambat</span>' in row
    row = rows[done.tracking_number]
    assert '<span class="badge bg-secondary" data-testid="status">Ditutup</span>' in row and "terlambat" not in row
    # each cell named by its column in the reader's language (the card's label on a phone)
    assert ('<td data-label="Jenis">Saran</td><td data-label="Saluran">Formulir web</td>'
            '<td data-label="Objek">—</td>') in rows[suggestion.tracking_number]
    assert done.tracking_number in english and late.tracking_number not in english
    assert '<td data-label="Kind">Complaint</td><td data-label="Channel">Web form</td>' in english
    assert ">Closed</span>" in english
    assert "complaint-row" not in empty and "Nothing here." in empty


def test_a_search_with_an_ampersand_carries_on_to_the_next_page(login, karin):
    for i in range(30):
        Complaint.objects.create(tracking_number=f"ADU-2026-{i:05d}", kind="complaint", rule="complaint",
                                 object_text="Jadwal & ruang", message="x")
    page = login(karin).get(reverse("complaints:list"), {"q": "jadwal & ruang"}).content.decode()
    assert page.count('data-testid="complaint-row"') == 25
    assert 'href="?q=jadwal+%26+ruang&page=2"' in page  # the search kept whole, not cut at its "&"


def test_reports_count_per_channel_and_export_csv_and_xlsx(login, karin):
    file_complaint(channel="phone")
    file_complaint(channel="phone")
    file_complaint(channel="lapor")
    c = login(karin)
    page = c.get(reverse("complaints:reports")).content.decode()
    assert "SP4N-LAPOR!" in page
    csv_text = c.get(reverse("complaints:reports-csv")).getvalue().decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == 4
    wb = load_workbook(io.BytesIO(c.get(reverse("complaints:reports-xlsx")).getvalue()))
    assert wb.active.max_row == 4


def test_skm_page_pdf_and_csv_show_the_index(login, sofia):
    from pypdf import PdfReader

    for row in ([4, 3, 3, 4, 3, 3, 4, 2, 3], [3, 3, 2, 4, 3, 4, 4, 3, 3], [3, 2, 3, 4, 4, 3, 3, 2, 3]):
        SurveyResponseFactory.with_scores(row, answered_on=datetime.date(2026, 2, 10))
    c = login(sofia)
    params = "?year=2026&quarter=1"
    page = c.get(reverse("complaints:skm") + params).content.decode()
    assert "78.70" in page or "78,70" in page
    assert "1/9" in page
    pdf = c.get(reverse("complaints:skm-pdf") + params)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert ("78.70" in text or "78,70" in text) and "B" in text
    csv_text = c.get(reverse("complaints:skm-csv") + params).getvalue().decode("utf-8-sig")
    assert "78.70" in csv_text


def test_paper_surveys_import_from_the_browser_lists_bad_lines(login, karin):
    c = login(karin)
    bad = b"date,scheme,u1,u2,u3,u4,u5,u6,u7,u8,u9,comment\n2026-01-02,,4,4,4,4,4,4,4,4,4,\n2026-01-03,,4,4,9,4,4,4,4,4,4,\n"
    response = c.post(reverse("complaints:skm-import"), {"file": SimpleUploadedFile("p.csv", bad)})
    assert response.status_code == 200 and "3" in response.content.decode()
    assert SurveyResponse.objects.count() == 0
    good = bad.replace(b",9,", b",3,")
    c.post(reverse("complaints:skm-import"), {"file": SimpleUploadedFile("p.csv", good)})
    assert SurveyResponse.objects.count() == 2


def test_an_unanswered_complaint_becomes_overdue_on_the_officers_home_and_in_the_report(login, karin):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        late = file_complaint(object_text="Jadwal", service_date=datetime.date(2026, 2, 27))
    with time_machine.travel(datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.UTC), tick=False):
        fresh = file_complaint(name="Lain", email="lain@example.go.id", phone="", object_text="Toilet",
                               service_date=datetime.date(2026, 3, 3))
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        walk_to(fresh, "answered", karin)
        c = login(karin)
        home = c.get(reverse("complaints:officer-home")).content.decode()
        overdue_part = home.split('data-testid="overdue"', 1)[1].split('data-testid="due-soon"', 1)[0]
        assert late.tracking_number in overdue_part and fresh.tracking_number not in overdue_part
        late_row = overdue_part.split(late.tracking_number, 1)[1].split("</tr>", 1)[0]
        assert 'badge bg-danger">terlambat<' in late_row  # marked as on the list
        report = c.get(reverse("complaints:reports"), {"date_from": "2026-03-01", "date_to": "2026-03-31"})
        assert report.context["data"]["overdue_ids"] == {late.pk}
        assert report.context["data"]["breached"] == 1  # answered on 1 April: past 14 working days


def test_attachments_are_served_to_complaint_staff_only(login, karin, alice):
    complaint = file_complaint(files=[SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")])
    url = reverse("complaints:attachment", args=[complaint.pk, complaint.attachments.get().pk])
    response = login(karin).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(alice).get(url).status_code == 403


def test_the_report_is_kept_for_a_minute_but_shows_a_new_complaint_at_once(login, karin, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    first = file_complaint(channel="phone")
    c = login(karin)
    assert first.tracking_number in c.get(reverse("complaints:reports")).content.decode()
    second = file_complaint(name="Lain", email="lain@example.go.id", phone="", object_text="Toilet")
    page = c.get(reverse("complaints:reports")).content.decode()
    assert first.tracking_number in page and second.tracking_number in page  # a new complaint forgets the figures


def _complaints(n: int) -> list[Complaint]:
    """``n`` complaints in bulk (no signal: before the list is first read), the first the newest."""
    now = timezone.now()
    return Complaint.objects.bulk_create(
        Complaint(tracking_number=f"ADU-UJI-{i:05d}", kind="complaint", rule="complaint", message="x",
                  received_at=now - datetime.timedelta(minutes=i)) for i in range(n))


def test_the_list_counts_once_a_minute_but_shows_a_new_or_closed_complaint_at_once(login, karin, settings):
    """The count of every complaint (or of a state or kind) is kept a minute, not taken on every view (a Seq Scan
    of the complaints at scale); any complaint saved forgets it, so the pages a person reads are the same."""
    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    karin.preferred_language = "en"
    karin.save()
    _complaints(30)
    c = login(karin)
    assert "Page 1 of 2" in c.get(reverse("complaints:list")).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        assert "Page 1 of 2" in c.get(reverse("complaints:list")).content.decode()
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "complaints_complaint" in q["sql"]]
    newest = file_complaint(channel="phone")
    page = c.get(reverse("complaints:list")).content.decode()
    assert "Page 1 of 2" in page and newest.tracking_number in page
    assert "complaint-row" not in c.get(reverse("complaints:list"), {"status": "closed"}).content.decode()
    walk_to(newest, "closed", karin)
    closed = c.get(reverse("complaints:list"), {"status": "closed"}).content.decode()
    assert closed.count('data-testid="complaint-row"') == 1 and newest.tracking_number in closed
    for i in range(20):
        Complaint.objects.create(tracking_number=f"ADU-LAGI-{i:05d}", kind="complaint", rule="complaint", message="x")
    assert "Page 1 of 3" in c.get(reverse("complaints:list")).content.decode()


@pytest.mark.postgresql("the plan is PostgreSQL's")
def test_the_list_reads_its_page_off_the_index_in_its_order(login, karin):
    """Newest first from the index in that order: the first page is 25 index entries (a Limit over an Index
    Scan), not a Seq Scan and a sort of every complaint."""
    _complaints(3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")
    c = login(karin)
    c.get(reverse("complaints:list"))  # the count kept
    with CaptureQueriesContext(connection) as ctx:
        page = c.get(reverse("complaints:list")).content.decode()
    assert page.count('data-testid="complaint-row"') == 25 and "ADU-UJI-00000" in page
    rows = [q["sql"] for q in ctx.captured_queries if 'FROM "complaints_complaint"' in q["sql"]]
    assert len(rows) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + rows[0])
        plan = [row[0] for row in cursor.fetchall()]
    assert plan[0].startswith("Limit") and "Index Scan using complaint_list_order_idx" in plan[1], "\n".join(plan)

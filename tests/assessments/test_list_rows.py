"""The LSP admin's certificate, test event and appeal lists draw their rows in Python (issue 28): each row still
shows what the reader looks for (the link, the names, the dates in words, the status in the reader's language), a
name typed with markup stays text, and the result letter's handover form still records the handover."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, Handover
from assessments.events.models import Appeal, Participant
from certportal import dates

pytestmark = pytest.mark.django_db

HOSTILE = 'Dewi <b>"Ayu"</b> & Co'
SHOWN = "Dewi &lt;b&gt;&quot;Ayu&quot;&lt;/b&gt; &amp; Co"  # the name as text, never as markup


def _row(page: str, href: str) -> str:
    """The table row whose first link goes to ``href``."""
    found = re.search(rf'<tr><td><a href="{re.escape(href)}">.*?</tr>', page, re.S)
    assert found, f"no row links to {href}"
    return found.group(0)


def _certificate(participant, number, **fields) -> Certificate:
    fields.setdefault("verification_code", f"ROW{participant.pk:012d}")
    return Certificate.objects.create(
        participant=participant, application=participant.application, number=number, year=2026,
        sequence=participant.pk, scheme_code="SKM-ROW",
        scheme_name="Skema", issued_on=datetime.date(2026, 1, 5), expires_on=datetime.date(2099, 1, 4), **fields)


def test_a_certificate_row_shows_holder_dates_state_and_handover(login, lina, event):
    alice_p, bob_p = event.participants.order_by("pk")
    valid = _certificate(alice_p, "ROW/1/2026", holder_name=HOSTILE, holder_nip="198503142010011001")
    Handover.objects.create(application=alice_p.application, certificate=valid, received_by="Dewi",
                            handed_at=datetime.datetime(2026, 2, 3, 10, tzinfo=dates.WIB))
    suspended = _certificate(bob_p, "ROW/2/2026", holder_name="Bob", status=Certificate.Status.SUSPENDED,
                             suspended_until=datetime.date(2098, 1, 1))
    page = login(lina).get(reverse("assessments:certificates")).content.decode()

    row = _row(page, reverse("assessments:certificate", args=[valid.pk]))
    assert f'<td>{SHOWN}<div class="small text-muted">198503142010011001</div></td>' in row
    assert "<td>SKM-ROW</td><td>5 Januari 2026</td><td>4 Januari 2099</td>" in row
    assert '<span class="badge text-bg-success">Berlaku</span>' in row and "<td>3 Februari 2026</td>" in row
    row = _row(page, reverse("assessments:certificate", args=[suspended.pk]))
    assert '<span class="badge text-bg-warning">Dibekukan</span></td><td>—</td>' in row


def test_an_empty_search_says_so(login, lina):
    page = login(lina).get(reverse("assessments:certificates") + "?q=tidak-ada").content.decode()
    assert '<td colspan="7" class="text-muted">Tidak ada sertifikat.</td>' in page


def test_the_letter_handover_form_on_the_list_records_the_handover(lina, decided):
    bob_p = Participant.objects.get(event=decided, decision="BK")
    letter = certs.result_letter_issue(bob_p, actor=lina)
    client = Client(enforce_csrf_checks=True)  # the form's own token must let the post through
    client.force_login(lina)
    page = client.get(reverse("assessments:certificates")).content.decode()
    action = reverse("assessments:letter-handover", args=[letter.pk])
    form = re.search(rf'<form method="post" action="({re.escape(action)})"[^>]*>(.*?)</form>', page, re.S)
    assert form, "the letter waiting for its handover has its form"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    assert f'name="received_by" value="{letter.holder_name}"' in form.group(2)

    answer = client.post(form.group(1), {"csrfmiddlewaretoken": token, "received_by": letter.holder_name},
                         follow=True).content.decode()
    assert "Serah terima telah dicatat." in answer
    assert reverse("assessments:letter-handover", args=[letter.pk]) not in answer
    assert Handover.objects.filter(result_letter=letter).exists()


def test_the_letters_waiting_are_kept_until_a_letter_or_a_handover_changes(lina, bob, decided, settings):
    """The letters waiting above the list were read by a scan of every result letter on each view (0.14 of the
    bare list at a million: docs/benchmarks.md); now kept a minute for every reader and forgotten on a change."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    client = Client()
    client.force_login(lina)
    url = reverse("assessments:certificates")
    client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert not [q for q in second.captured_queries if "assessments_resultletter" in q["sql"]], "read again"

    letter = certs.result_letter_issue(Participant.objects.get(event=decided, decision="BK"), actor=lina)
    assert reverse("assessments:letter-handover", args=[letter.pk]) in client.get(url).content.decode()
    Handover.objects.create(application=letter.application, result_letter=letter, received_by="Bob",
                            handed_at=timezone.now())
    assert reverse("assessments:letter-handover", args=[letter.pk]) not in client.get(url).content.decode()


def test_a_withdrawn_letter_is_not_offered_for_a_handover(lina, decided):
    """The service refuses to hand a withdrawn letter over; the list does not offer it."""
    from assessments import services

    bob_p = Participant.objects.get(event=decided, decision="BK")
    letter = certs.result_letter_issue(bob_p, actor=lina)
    client = Client()
    client.force_login(lina)
    action = reverse("assessments:letter-handover", args=[letter.pk])
    assert action in client.get(reverse("assessments:certificates")).content.decode()
    services.result_correct(bob_p.results.get(result="BK"), actor=lina, result="K", evidence="Bukti lengkap",
                            explanation="", reason="Salah nilai")
    letter.refresh_from_db()
    assert letter.status == letter.Status.WITHDRAWN
    assert action not in client.get(reverse("assessments:certificates")).content.decode()


def test_an_event_row_shows_date_scheme_site_participants_and_status(login, lina, asa, event):
    href = reverse("assessments:event", args=[event.pk])
    for client, url in ((login(lina), reverse("assessments:events")),
                        (login(asa), reverse("assessments:assessor-home"))):
        row = _row(client.get(url).content.decode(), href)
        assert f">{dates.wib(event.starts_at)}</a>" in row
        assert (f"<td>{event.scheme.code}<div class=\"small text-muted\">{event.scheme.name}</div></td>"
                f"<td>{event.test_site.name}</td><td>2</td>") in row
        assert '<span class="badge text-bg-secondary">Direncanakan</span>' in row


def test_an_appeal_row_shows_the_participant_status_and_outcome(login, lina, event):
    alice_p, bob_p = event.participants.order_by("pk")
    alice_p.application.applicant_name = HOSTILE
    alice_p.application.save(update_fields=["applicant_name"])
    filed = Appeal.objects.create(participant=alice_p, grounds="Alasan")
    decided = Appeal.objects.create(participant=bob_p, grounds="Alasan", status=Appeal.Status.DECIDED,
                                    outcome=Appeal.Outcome.DISMISSED, decided_at=timezone.now())
    page = login(lina).get(reverse("assessments:appeals")).content.decode()

    row = _row(page, reverse("assessments:appeal", args=[filed.pk]))
    assert f">{dates.day(filed.filed_at)}</a></td><td>{SHOWN}</td><td>{event.scheme.code}</td><td>Diajukan</td>" in row
    row = _row(page, reverse("assessments:appeal", args=[decided.pk]))
    assert "<td>Diputuskan — Ditolak: keputusan tetap berlaku</td>" in row


def test_the_staff_list_counts_every_certificate_once_a_minute_and_a_new_one_at_once(login, lina, event):
    """Counting every certificate on every view costs more than the page at a province's size (13 ms at 200,000):
    the count is kept, but a certificate made or deleted is counted on the next view."""
    participant = event.participants.order_by("pk").first()
    made = [_certificate(participant, f"CNT/{n}/2026", verification_code=f"CNT{n:012d}",
                         holder_name=f"Pemegang {n}") for n in range(25)]
    client = login(lina)
    page = client.get(reverse("assessments:certificates")).content.decode()
    assert "Halaman 1 dari" not in page  # one page: no pager
    extra = _certificate(participant, "CNT/25/2026", verification_code="CNT000000000025",
                         holder_name="Pemegang 25")
    page = client.get(reverse("assessments:certificates")).content.decode()
    assert "Halaman 1 dari 2" in page
    assert "Halaman 2 dari 2" in client.get(reverse("assessments:certificates") + "?page=2").content.decode()
    extra.delete()
    made[0].delete()
    page = client.get(reverse("assessments:certificates")).content.decode()
    assert "Halaman 1 dari" not in page
    searched = client.get(reverse("assessments:certificates") + "?q=Pemegang+1").content.decode()
    assert "Pemegang 1" in searched and "Pemegang 2<" not in searched

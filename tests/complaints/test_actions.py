"""The complaint page offers exactly what the services accept, explains refusals, and every action leaves one
audit row (from, to, who, the client address) that reads in the reader's language."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from certportal.audit.models import AuditEntry
from complaints import services
from complaints.models import Complaint, Level
from complaints.workflow import MACHINE

from .factories import anonymous_suggestion, file_complaint, walk_to

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"
ANALYSIS = {"core_problem": "Inti", "standard_concerned": "SP butir 2", "earlier_records": "",
            "planned_handling": "Klarifikasi", "findings": "Terbukti"}
VALID = {  # a correct submission of each action's form
    "classified": ("complaints:classify", {"service": "test", "component": "time"}),
    "analysis_started": ("complaints:start-analysis", {"note": ""}),
    "analysis_recorded": ("complaints:analysis", ANALYSIS),
    "apip_approved": ("complaints:approve-apip", {"note": "Setuju"}),
    "routed": ("complaints:route", {"route": "internal", "detail": ""}),
    "escalated": ("complaints:escalate", {"note": "Laporan"}),
    "answered": ("complaints:answer", {"answer": "Jawaban", "superior_report": "Laporan"}),
    "closed": ("complaints:close", {"note": ""}),
    "progress_posted": ("complaints:progress", {"note": "Sedang diproses"}),
}


def offered(client, complaint) -> set[str]:
    page = client.get(complaint.get_absolute_url()).content.decode()
    return {code.removeprefix("complaints.complaint.") for code in re.findall(r'data-action="([^"]+)"', page)}


class _Undo(Exception):
    pass


def accepted(client, complaint) -> set[str]:
    """The actions whose POST changes the record, each tried alone and rolled back."""
    ok = set()
    for name, (url_name, data) in VALID.items():
        try:
            with transaction.atomic():
                before = AuditEntry.objects.count()
                client.post(reverse(url_name, args=[complaint.pk]), data)
                if AuditEntry.objects.count() > before:
                    ok.add(name)
                raise _Undo
        except _Undo:
            pass
    return ok


def _states(karin, sofia):
    """One record in each state and sub-state that changes what may be done."""
    analysing_bare = walk_to(file_complaint(), "classified", karin)
    services.complaint_start_analysis(complaint=analysing_bare, actor=karin)
    approved = walk_to(file_complaint(), "in_analysis", karin)
    services.complaint_approve_apip(complaint=approved, actor=sofia, note="Setuju")
    at_head = walk_to(file_complaint(), "routed", karin)
    for _ in range(3):
        services.complaint_escalate(complaint=at_head, actor=karin, note="Naik")
    apip = walk_to(file_complaint(), "in_analysis", karin)
    services.complaint_approve_apip(complaint=apip, actor=sofia, note="Setuju")
    services.complaint_route(complaint=apip, actor=karin, route="apip", detail="Inspektorat")
    suggestion = anonymous_suggestion(object_text="Ruang tunggu")
    services.complaint_classify(complaint=suggestion, actor=karin, service="other", component="facilities")
    return {
        "received": file_complaint(), "classified": walk_to(file_complaint(), "classified", karin),
        "suggestion classified": suggestion, "in analysis, nothing recorded": analysing_bare,
        "in analysis, recorded": walk_to(file_complaint(), "in_analysis", karin),
        "in analysis, APIP approved": approved, "routed": walk_to(file_complaint(), "routed", karin),
        "routed, at the head": at_head, "routed to APIP": apip,
        "answered": walk_to(file_complaint(), "answered", karin), "closed": walk_to(file_complaint(), "closed", karin),
    }


def test_for_every_state_and_role_the_buttons_are_exactly_what_the_services_accept(login, karin, sofia):
    states = _states(karin, sofia)
    seen = set()
    for label, complaint in states.items():
        for person in (karin, sofia):
            client = login(person)
            buttons, ok = offered(client, complaint), accepted(client, complaint)
            assert buttons == ok, f"{label} as {person.full_name}: offered {buttons}, accepted {ok}"
            seen |= ok
    assert seen == {t.name for t in MACHINE.transitions}  # every transition was offered somewhere


def test_a_refusal_is_explained_on_the_page_and_before_the_click(login, karin):
    complaint = walk_to(file_complaint(), "classified", karin)
    services.complaint_start_analysis(complaint=complaint, actor=karin)
    client = login(karin)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Catat inti masalah" in page  # help text instead of a route button
    response = client.post(reverse("complaints:route", args=[complaint.pk]), {"route": "internal"}, follow=True)
    assert "Catat inti masalah" in response.content.decode().split('data-refused', 1)[0]  # the flashed message
    complaint.refresh_from_db()
    assert complaint.status == "in_analysis"


def test_a_suggestion_explains_why_it_is_not_analysed(login, karin):
    suggestion = anonymous_suggestion(object_text="Ruang tunggu")
    services.complaint_classify(complaint=suggestion, actor=karin, service="other", component="facilities")
    page = login(karin).get(suggestion.get_absolute_url()).content.decode()
    assert "Saran langsung dijawab; tidak ditelaah" in page and 'data-action="complaints.complaint.analysis_started"' not in page


def test_every_change_through_the_pages_has_one_audit_row_with_from_to_and_the_address(login, karin, sofia):
    complaint = file_complaint()
    officer, head = login(karin), login(sofia)
    steps = [(officer, "classified"), (officer, "analysis_started"), (officer, "analysis_recorded"),
             (head, "apip_approved"), (officer, "routed"), (officer, "progress_posted"), (officer, "escalated"),
             (officer, "answered"), (officer, "closed")]
    for client, name in steps:
        before = Complaint.objects.get(pk=complaint.pk).status
        start = AuditEntry.objects.count()
        url_name, data = VALID[name]
        client.post(reverse(url_name, args=[complaint.pk]), data, REMOTE_ADDR=IP)
        after = Complaint.objects.get(pk=complaint.pk).status
        new = list(AuditEntry.objects.filter(pk__gt=AuditEntry.objects.order_by("id")[start - 1].pk)
                   .exclude(action__startswith="sla."))
        assert len(new) == 1, name
        assert (new[0].action, new[0].from_state, new[0].to_state, new[0].ip_address) == (
            f"complaints.complaint.{name}", before, after, IP)
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.level == Level.SECTION


def _history(client, complaint) -> str:
    page = client.get(complaint.get_absolute_url()).content.decode()
    return page.split("History", 1)[-1] if "History" in page else page.split("Riwayat", 1)[-1]


def test_the_history_reads_in_both_languages_without_raw_codes(login, karin):
    complaint = walk_to(file_complaint(), "closed", karin)
    client = login(karin)
    history = _history(client, complaint)
    for text in ("diklasifikasikan", "diteruskan untuk diselesaikan", "dijawab", "ditutup", "Dalam penelaahan"):
        assert text in history
    assert "complaints.complaint" not in history and "in_analysis" not in history
    karin.preferred_language = "en"
    karin.save()
    history = _history(client, complaint)
    for text in ("· classified: Received → Classified", "routed for resolution", "· answered", "· closed", "In analysis"):
        assert text in history
    assert "complaints.complaint" not in history and "Dalam" not in history

"""The embedded default serves a room: ``make run`` (SQLite, Django's threaded development server) answers ten
people clicking through the demo at once, uploads, written-test answers and a verifier's decisions included, with
no 500 ``database is locked``; six simultaneous submits of one written test give one submission and no error.

The portal runs as ``make run`` starts it (tests/core/live_portal.py): a SQLite file, ``migrate``,
``load_reference``, ``load_demo``, then ``manage.py runserver`` in its own process."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from django.urls import reverse

from applicants.samples import sample_pdf
from tests.conftest import wait_for
from tests.core.live_portal import ROOT, EmbeddedPortal, Visitor
from tests.pdf_layout import decode_qr

PARTICIPANTS = 5  # participants ready to take the written test now (live_setup.written_test_ready)


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    live = EmbeddedPortal(tmp_path_factory.mktemp("embedded"))
    live.printout = live.setup()
    live.participants = [tuple(row) for row in live.shell(
        f"from tests.core.live_setup import written_test_ready; written_test_ready({PARTICIPANTS})")]
    live.dossiers = live.shell("from tests.core.live_setup import dossiers; dossiers()")
    live.start()
    try:
        yield live
    finally:
        live.stop()


def query(portal: EmbeddedPortal, code: str) -> object:
    """Read the embedded portal's database in its own process; ``code`` sets ``result``."""
    return portal.shell(f"import json\n{code}\nprint(json.dumps(result))")


def server_errors(log: list) -> list:
    return [entry for entry in log if entry[2] >= 500]


def at_once(actions: list[Callable[[], None]]) -> list[BaseException]:
    """Run every action in its own thread, all released at the same moment; the exceptions they raised."""
    barrier, failures = threading.Barrier(len(actions)), []

    def run(action):
        barrier.wait()
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return failures


def start_test(visitor: Visitor, participant: int) -> list[str]:
    """Start the written test; the ids of its questions as the page shows them."""
    answer = visitor.post(reverse("assessments:my-test-start", args=[participant]), {})
    assert answer.status == 302, answer.status
    page = visitor.get(reverse("assessments:my-test", args=[participant]))
    assert page.status == 200, page.status
    items = sorted(set(re.findall(r'name="q-(\d+)"', page.text)))
    assert items, "the test page shows its questions"
    return items


def test_six_simultaneous_submits_of_one_written_test_give_one_submission_and_no_error(portal):
    email, participant = portal.participants[0]
    first = portal.visitor()
    first.login(email)
    items = start_test(first, participant)
    answers = [(f"q-{item}", str(n % 2)) for n, item in enumerate(items)]
    tabs = [first.tab() for _ in range(6)]
    submit = reverse("assessments:my-test-submit", args=[participant])
    failures = at_once([lambda tab=tab: tab.post(submit, [("confirm", "on"), *answers]) for tab in tabs])
    assert failures == []
    assert server_errors(first.log) == []
    assert [status for _m, path, status, _e in first.log if path == submit] == [302] * 6
    state = query(portal, f"""
from assessments.models import WrittenTest, InstrumentRecord
from certportal.audit.models import AuditEntry
t = WrittenTest.objects.get(participant_id={participant})
result = {{"status": t.status, "answers": t.answers, "submits": AuditEntry.objects.for_object(t).filter(
    action="assessments.writtentest.submitted").count(), "records": InstrumentRecord.objects.filter(
    participant_id={participant}, instrument="IA.05").count(), "units": len({{q["unit"] for q in t.questions}}),
    "correct": t.correct}}""")
    sent = {name[2:]: int(value) for name, value in answers}
    assert state["status"] == "submitted" and state["answers"] == sent and state["submits"] == 1
    assert state["records"] == state["units"]  # one FR.IA.05 record per unit, not one per click


def test_ten_people_clicking_through_the_demo_at_once_get_no_server_error(portal):
    """An applicant uploading and resubmitting, a verifier deciding, three participants answering their written
    test, and five readers (assessor, LSP admin, supervisor, complaint officer, the public) at the same time."""
    log: list = []
    ids = portal.dossiers

    def person(email: str | None) -> Visitor:
        visitor = Visitor(portal.port, log=log)
        if email:
            visitor.login(email)
        return visitor

    def applicant():
        siti = person("pemohon@demo.go.id")
        for doc in ids["returned_docs"][:6]:
            siti.get(reverse("applicants:step-documents", args=[ids["returned"]]))
            siti.post(reverse("applicants:upload", args=[ids["returned"], doc]), {},
                      files={"file": ("perbaikan.pdf", sample_pdf("Dokumen perbaikan"), "application/pdf")})
        page = siti.get(reverse("applicants:step-self-assessment", args=[ids["returned"]]))
        keys = sorted(set(re.findall(r'name="a_(\d+_\d+)"', page.text)))
        siti.post(reverse("applicants:step-self-assessment", args=[ids["returned"]]),
                  [pair for key in keys for pair in ((f"a_{key}", "yes"), (f"e_{key}", "Laporan kegiatan layanan"))])
        siti.post(reverse("applicants:step-submit", args=[ids["returned"]]), {"declaration": "on"})

    def verifier():
        budi = person("verifikator@demo.go.id")
        budi.get(reverse("applicants:queue"))
        budi.post(reverse("applicants:verify-accept-remaining", args=[ids["submitted"]]), {})
        budi.post(reverse("applicants:verify-decide", args=[ids["submitted"]]), {"action": "complete"})
        budi.post(reverse("applicants:verify-decide", args=[ids["resubmitted"]]),
                  {"action": "return", "reason": "Scan SK Jabatan terpotong; mohon unggah ulang."})
        for kind in ("administrative", "substantive"):
            budi.post(reverse("applicants:verify-check", args=[ids["complete"]]), {"kind": kind, "result": "passed"})
        budi.post(reverse("applicants:verify-decide", args=[ids["complete"]]), {"action": "verify"})
        budi.get(reverse("applicants:queue"))

    def candidate(email: str, participant: int):
        def take():
            visitor = person(email)
            items = start_test(visitor, participant)
            for n, item in enumerate(items):
                visitor.post(reverse("assessments:my-test-answer", args=[participant]),
                             {"item": item, "choice": str(n % 3)})
            visitor.post(reverse("assessments:my-test-submit", args=[participant]), {"confirm": "on"})
        return take

    def reader(email: str | None, pages: list[str]):
        def read():
            visitor = person(email)
            for _round in range(2):
                for page in pages:
                    visitor.get(page)
        return read

    people = [
        applicant, verifier, *(candidate(e, p) for e, p in portal.participants[1:4]),
        reader("asesor@demo.go.id", ["/beranda/", reverse("assessments:assessor-home"), reverse("assessments:events")]),
        reader("admin.lsp@demo.go.id", ["/beranda/", reverse("assessments:certificates"),
                                        reverse("assessments:events"), reverse("applicants:queue")]),
        reader("pimpinan@demo.go.id", ["/beranda/", reverse("sla:dashboard"), reverse("complaints:list")]),
        reader("pengaduan@demo.go.id", ["/beranda/", reverse("complaints:officer-home"), reverse("complaints:list")]),
        reader(None, ["/", reverse("schemes:catalogue"), reverse("assessments:verify"), reverse("complaints:public-new")]),
    ]
    assert len(people) == 10
    assert at_once(people) == []
    assert server_errors(log) == []
    assert len(log) > 100
    state = query(portal, f"""
from applicants.models import Application, DocumentFile
from assessments.models import WrittenTest
apps = {{a.pk: a.status for a in Application.objects.filter(pk__in={[ids[k] for k in
                                                                    ("returned", "submitted", "resubmitted", "complete")]})}}
result = {{"apps": {{str(k): v for k, v in apps.items()}}, "uploads": DocumentFile.objects.filter(
    document__application_id={ids["returned"]}, original_name="perbaikan.pdf").count(),
    "tests": sorted(WrittenTest.objects.filter(participant_id__in={[p for _e, p in portal.participants[1:4]]}
                                               ).values_list("status", flat=True))}}""")
    assert state["apps"] == {str(ids["returned"]): "resubmitted", str(ids["submitted"]): "complete",
                             str(ids["resubmitted"]): "returned", str(ids["complete"]): "verified"}
    assert state["uploads"] == min(6, len(ids["returned_docs"])) and state["tests"] == ["submitted"] * 3


def test_the_assessment_file_button_answers_before_the_file_is_written_and_its_page_then_offers_it(portal):
    """`make run` writes a heavy document on a thread beside the server: the click answers with the job's page
    before the PDF is done (the job finishes after the answer came back), and that page then offers the file."""
    import time

    from tests.conftest import wait_for

    participant = query(portal, "from assessments.models import Event\nfrom django.db.models import Count\n"
                        "event = Event.objects.annotate(n=Count('participants')).order_by('-n', 'pk').first()\n"
                        "result = event.participants.order_by('pk').values_list('pk', flat=True).first()")
    admin = portal.visitor()
    admin.login("admin.lsp@demo.go.id")
    answer = admin.post(f"/asesmen/peserta/{participant}/berkas-asesmen/", {})
    answered = time.time()
    assert answer.status == 302 and answer.location.startswith("/ekspor/"), answer.status
    page = wait_for(lambda: (shown := admin.get(answer.location).text) and ('id="job-download"' in shown
                                                                           or 'id="job-error"' in shown) and shown,
                    timeout=300, interval=0.5)
    assert 'id="job-download"' in page, page[-2000:]
    public_id = answer.location.split("/")[2]
    finished = query(portal, "from certportal.exportjobs.models import ExportJob\n"
                     f"result = ExportJob.objects.get(public_id='{public_id}').finished_at.timestamp()")
    assert finished > answered  # the request did not wait for the document
    download = admin.get(f"/ekspor/{public_id}/unduh/")
    assert download.status == 200 and download.body.startswith(b"%PDF-")


def documented_demo_logins() -> set[str]:
    """Every demo address the README and the docs/ folder name."""
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]
    return {m for path in texts for m in re.findall(r"[\w.]+@demo\.go\.id", path.read_text())}


def test_the_site_address_follows_the_port_and_the_printout_lists_every_documented_login(portal):
    here = f"http://127.0.0.1:{portal.port}/"
    assert f"Log in at {here}akun/masuk/" in portal.printout and ":8000" not in portal.printout
    printed = set(re.findall(r"[\w.]+@demo\.go\.id", portal.printout))
    assert {"asesor.validator@demo.go.id", "asesi.fajar@demo.go.id", "asesi.sinta@demo.go.id"} <= printed
    assert documented_demo_logins() <= printed
    assert "asesor.nonaktif@demo.go.id" not in printed  # the deactivated assessor cannot log in
    # the e-mail confirmation link of someone registering now
    visitor = portal.visitor()
    visitor.get(reverse("accounts:register"))
    answer = visitor.post(reverse("accounts:register"), {
        "full_name": "Rahmat Hidayat, S.E.", "email": "rahmat.port@example.go.id", "phone": "",
        "password1": "Sandi-Rahasia-2026", "password2": "Sandi-Rahasia-2026", "consent": "on"})
    assert answer.status == 302
    # the e-mail is sent by the server's task thread, after the answer: wait for it on the console
    link = re.escape(here) + r"akun/konfirmasi/\S+/"
    wait_for(lambda: re.search(link, portal.console.read_text()), timeout=60)
    # the demo certificate's verification address, printed and in its QR code
    pk = portal.shell("from assessments.models import Certificate; import json; print(json.dumps(Certificate"
                      ".objects.filter(replaces__isnull=False, reduced_from__isnull=True)"
                      ".values_list('pk', flat=True).get()))")  # the correction (not the scope reduction's)
    admin = portal.visitor()
    admin.login("admin.lsp@demo.go.id")
    pdf = admin.get(reverse("assessments:certificate-pdf", args=[pk]))
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    assert decode_qr(pdf.body).startswith(f"{here}asesmen/verifikasi/")
    page = admin.get(reverse("assessments:certificate", args=[pk]))
    assert page.status == 200 and f'href="{here}asesmen/verifikasi/' in page.text

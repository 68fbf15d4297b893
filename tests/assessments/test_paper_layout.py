"""The official papers hold their layout at any length the data allows: read back with a PDF library, no text of a
certificate (original, correcting, with BNSP's numbers, in a batch) or a result letter crosses the frame (or the
printable margin), the visible e-signature box, or another text, with every field at its model's longest; the
signature box sits in the signatory's signature space, above their name and NIP; a certificate's front is one page;
each date prints once where both languages write it the same.

Set PAPER_LAYOUT_OUT to a folder to keep the PDFs and look at them (``pdftoppm -png``)."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.base import ContentFile

from assessments import services
from assessments.certificates import services as certs
from assessments.models import Certificate, ResultLetter
from certportal.lsp.demo import DEMO, demo_logo_png
from certportal.lsp.services import profile_update
from tests.assessments.test_certificate_layout import add_accepted_photo
from tests.esign import throwaway_signer
from tests.pdf_layout import layout_problems, page_count, pages, pdf_text

pytestmark = pytest.mark.django_db

WORDS = ("Pengembangan Kompetensi Aparatur Sipil Negara Pelayanan Administrasi Kepegawaian Daerah Provinsi Daerah "
         "Khusus Ibukota Jakarta Bidang Perencanaan Evaluasi dan Pelaporan ")


def text(length: int, words: str = WORDS) -> str:
    """Words, exactly ``length`` characters long (no space at the end)."""
    out = (words * (length // len(words) + 1))[:length]
    return out[:-1] + "x" if out.endswith(" ") else out


def code(length: int, pattern: str = "00001/SKK/LSP-BPSDM-DKI/2026/") -> str:
    """A number or code without spaces, exactly ``length`` characters long."""
    return (pattern * (length // len(pattern) + 1))[:length]


def keep(pdf: bytes, name: str) -> None:
    folder = os.environ.get("PAPER_LAYOUT_OUT")
    if folder:
        with open(os.path.join(folder, f"{name}.pdf"), "wb") as fh:
            fh.write(pdf)


def field_max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


@pytest.fixture
def signer(tmp_path, settings):
    return throwaway_signer(tmp_path, settings)


def longest_profile(lina):
    from certportal.lsp.models import LspProfile

    return profile_update(actor=lina, logo=ContentFile(demo_logo_png(), name="logo.png"), logo_kind="png", **{
        "name": text(field_max(LspProfile, "name")), "licence_number": code(field_max(LspProfile, "licence_number"),
                                                                              "BNSP-LSP-1207-ID/"),
        "address": text(field_max(LspProfile, "address")), "city": text(field_max(LspProfile, "city"), "Kota Jakarta "),
        "signatory_name": text(field_max(LspProfile, "signatory_name"), "Prof. Dr. Hj. Sri Haryati Kusumawardhani "),
        "signatory_position": text(field_max(LspProfile, "signatory_position")), "signatory_nip": "197205121998032004"})


def stretched(cert: Certificate, *, replaces: Certificate | None = None) -> Certificate:
    """``cert`` with every printed field at the longest its model allows (what a certificate could carry)."""
    from schemes.models import Qualification, TestSite, Unit

    snap = dict(cert.snapshot)
    snap.update(test_site=text(field_max(TestSite, "name"), "Tempat Uji Kompetensi Sewaktu Gedung Dinas Teknis "),
                decree_number=code(80, "KEP.012/LSP-BPSDM-DKI/PLENO/"), decree_date="2026-11-20",
                qualification=text(field_max(Qualification, "title")),
                units=[{**u, "title": text(field_max(Unit, "title"))} for u in snap["units"]])
    if replaces is not None:
        snap.update(replaces=code(field_max(Certificate, "number")), first_issued_on="2026-10-15")
    Certificate.objects.filter(pk=cert.pk).update(
        holder_name=text(field_max(Certificate, "holder_name"), "Raden Ajeng Siti Nurhaliza Kusumawardhani "),
        holder_unit=text(field_max(Certificate, "holder_unit")), number=code(field_max(Certificate, "number"), f"{cert.pk}0001/SKK/LSP-BPSDM-DKI/2026/"),
        scheme_name=text(field_max(Certificate, "scheme_name")), scheme_code=code(field_max(Certificate, "scheme_code"),
                                                                                    "SS-02/LSP-BPSDM DKI/2017/"),
        verification_code=code(field_max(Certificate, "verification_code"), f"{cert.pk}R3GALSHQNPAA3TD7"),
        bnsp_registration_number=code(60, f"{cert.pk}.91.1234.5.678901.2026."), blanko_number=code(60, f"{cert.pk}0123456"),
        snapshot=snap, replaces=replaces)
    return Certificate.objects.get(pk=cert.pk)


def issued(decided, lina, alice) -> Certificate:
    p = decided.participants.get(application__applicant=alice)
    add_accepted_photo(p.application)
    services.participant_accept_obligations(p, user=alice)
    return certs.certificate_issue(p, actor=lina)


def check_certificate(pdf: bytes, name: str, *, sheets: int = 1) -> None:
    keep(pdf, name)
    assert layout_problems(pdf, name=name) == []
    fronts = [page for page in pages(pdf) if page.width > page.height and "SERTIFIKAT KOMPETENSI" in
              " ".join(t.text for t in page.texts)]
    assert len(fronts) == sheets  # each front is one page, its back pages after it
    signed = [page for page in pages(pdf) if page.signatures]
    if signed:  # on the front, in the signatory's column, between the position and the name
        [page] = signed
        [box] = page.signatures
        assert page is fronts[0] or page.number == fronts[0].number
        nip = next(t for t in page.texts if t.text.startswith("NIP 1972"))
        assert box.bottom > nip.top and box.left < nip.right and box.right > nip.left


@pytest.mark.parametrize("length", ["as issued", "longest"])
def test_the_certificate_and_its_correction_keep_inside_the_frame_and_clear_of_the_signature(
        length, decided, lina, alice, signer):
    profile_update(actor=lina, logo=ContentFile(demo_logo_png(), name="logo.png"), logo_kind="png", **DEMO) \
        if length == "as issued" else longest_profile(lina)
    cert = issued(decided, lina, alice)
    certs.bnsp.numbers_record(cert, actor=lina, registration="91.1234.5.678901.2026", blanko="No. 0123456")
    correction = certs.certificate_replace(cert, actor=lina, reason="Nama salah ketik", holder_name="Alice Applicant")
    cert.refresh_from_db()
    if length == "longest":
        cert, correction = stretched(cert), stretched(correction, replaces=cert)
    check_certificate(certs.signed_certificate_pdf(cert), f"certificate-{length}")
    check_certificate(certs.signed_certificate_pdf(correction), f"correction-{length}")
    check_certificate(certs.certificates_pdf([cert, correction]), f"batch-{length}", sheets=2)


def test_each_date_prints_once_where_both_languages_write_it_the_same_and_the_blanko_number_once(
        decided, lina, alice, signer):
    profile_update(actor=lina, **DEMO)
    cert = issued(decided, lina, alice)
    Certificate.objects.filter(pk=cert.pk).update(issued_on=datetime.date(2026, 11, 25),
                                                  expires_on=datetime.date(2029, 10, 25))
    cert.refresh_from_db()
    certs.bnsp.numbers_record(cert, actor=lina, registration="91.1234.5.678901.2026", blanko="No. 0123456")
    cert.refresh_from_db()
    front = pdf_text(certs.certificate_pdf(cert)).split("DAFTAR UNIT")[0]
    assert front.count("25 November 2026") == 2  # issued, and "Jakarta, 25 November 2026": once each
    assert front.count("25 Oktober 2029") == 1 and front.count("25 October 2029") == 1  # written differently
    assert "No. Blanko: 0123456" in front and "No. No." not in front
    assert cert.blanko_number == "0123456"  # recorded without the label typed along


@pytest.mark.parametrize("length", ["as issued", "longest"])
def test_the_result_letter_keeps_its_signature_box_off_the_signatorys_name_and_nip(length, decided, lina, bob,
                                                                                  signer):
    if length == "longest":
        longest_profile(lina)
    else:
        profile_update(actor=lina, logo=ContentFile(demo_logo_png(), name="logo.png"), logo_kind="png", **DEMO)
    letter = certs.result_letter_issue(decided.participants.get(application__applicant=bob), actor=lina)
    if length == "longest":
        from schemes.models import TestSite, Unit

        snap = dict(letter.snapshot)
        snap["holder"] = {**snap["holder"], "unit": text(200), "nip": "198503302009011005"}
        snap.update(scheme_name=text(300), scheme_code=code(80, "SS-02/LSP-BPSDM DKI/2017/"),
                    test_site=text(field_max(TestSite, "name")), decree_number=code(80, "KEP.012/LSP-BPSDM-DKI/"),
                    units=[{**u, "title": text(field_max(Unit, "title")), "code": code(40, "N.821199.028.02"),
                            "explanation": text(500)} for u in snap["units"]])
        ResultLetter.objects.filter(pk=letter.pk).update(
            snapshot=snap, number=code(field_max(ResultLetter, "number"), "00002/SKHUK/LSP-BPSDM/2026/"),
            holder_name=text(field_max(ResultLetter, "holder_name"), "Raden Ajeng Siti Nurhaliza "))
        letter.refresh_from_db()
    pdf = certs.signed_letter_pdf(letter)
    keep(pdf, f"letter-{length}")
    assert layout_problems(pdf, name=f"letter-{length}") == []
    last = pages(pdf)[-1]
    [box] = last.signatures
    nip = next(t for t in last.texts if t.text.startswith("NIP 1972"))
    name = min((t for t in last.texts if t.bottom >= nip.top - 1 and t.left < nip.right and t.right > nip.left),
               key=lambda t: t.bottom)  # the line right above the NIP
    assert box.bottom > name.top  # the box is in the signature space, above the signatory's name and NIP
    assert page_count(pdf) >= 1


# --- every other paper the portal issues, from the demo's records at their longest -----------------------------


def stretch_demo(lina) -> None:
    """The demo's live records that papers print, each at its model's longest (names, units, numbers, titles)."""
    from applicants.models import ApplicantProfile, Application
    from assessments.models import Assessor, Event, Pleno
    from certportal.accounts.models import User
    from schemes.models import Scheme, TestSite, Unit

    longest_profile(lina)
    for model, fields in ((User, {"full_name": "Raden Ajeng Siti Nurhaliza Kusumawardhani "}),
                          (Application, {"applicant_name": "Raden Mas Bagus Hadiwijaya Kusumo ",
                                         "org_unit": WORDS, "naming_reference": "800/045/BKPSDM/"}),
                          (ApplicantProfile, {"full_name": "Raden Mas ", "org_unit": WORDS, "position": WORDS,
                                              "birth_place": "Kabupaten Kepulauan Seribu "}),
                          (Scheme, {"name": WORDS}), (TestSite, {"name": "Tempat Uji Kompetensi Sewaktu Gedung "}),
                          (Unit, {"title": WORDS}), (Event, {"place_note": WORDS})):
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(**{f: text(field_max(model, f), words) for f, words in fields.items()})
    from assessments.events.models import EventPlanning
    from certportal.forms import TEXT_MAX_LENGTH

    # each assessor's planning (seed 002 step 2) at the form's longest, one line and many lines
    EventPlanning.objects.update(units_methods=text(TEXT_MAX_LENGTH), tools_materials=text(TEXT_MAX_LENGTH),
                                 schedule=text(TEXT_MAX_LENGTH, "08.00 pengarahan asesi\n"),
                                 coordination=code(TEXT_MAX_LENGTH, "BidangTeknisOperasional/"))
    for model, field, pattern in ((Assessor, "registration_number", "MET.000.004512.2019."),
                                  (Pleno, "decree_number", "KEP.012/LSP-BPSDM-DKI/PLENO/"),
                                  (Scheme, "code", "SS-02/LSP-BPSDM DKI/2017/"), (Unit, "code", "N.821199.028.02")):
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(**{field: code(field_max(model, field), f"{pk}{pattern}")})


def demo_papers() -> dict[str, tuple[str, str]]:
    """Every paper the demo has, by name: (who downloads it, its address)."""
    from django.db.models import Count
    from django.urls import reverse

    from applicants.models import Application
    from assessments.models import (
        AssessmentPlan,
        AssessmentReview,
        AssessorReport,
        Event,
        InstrumentRecord,
        InstrumentValidation,
        Participant,
        Pleno,
    )

    admin, boss = "admin.lsp@demo.go.id", "pimpinan@demo.go.id"
    papers = {"skm": (boss, reverse("complaints:skm-pdf"))}
    for e in Event.objects.all():
        for doc in ("berita-acara", "daftar-hadir", "notulen", "perencanaan"):
            papers[f"event{e.pk}-{doc}"] = (admin, reverse("assessments:event-document", args=[e.pk, doc]))
        papers[f"event{e.pk}-arsip"] = (admin, reverse("assessments:event-archive", args=[e.pk]))  # a job
    for review in AssessmentReview.objects.all():
        papers[f"event{review.event_id}-ak06"] = (admin, reverse("assessments:ak06-pdf", args=[review.event_id]))
    for report in AssessorReport.objects.all():
        papers[f"report{report.pk}-ak05"] = (admin, reverse("assessments:ak05-pdf", args=[report.pk]))
    for p in Pleno.objects.all():
        papers[f"pleno{p.pk}"] = (admin, reverse("assessments:pleno-letter", args=[p.pk]))
    fullest = (0, 0)
    for p in Participant.objects.filter(event__plan__isnull=False).order_by("pk").annotate(
            n_consents=Count("consents", distinct=True), n_adjustments=Count("adjustment", distinct=True),
            n_feedback=Count("feedback", distinct=True), n_tests=Count("written_test", distinct=True)):
        names = ["ak02-pdf"] + ["ak01-pdf"] * bool(p.n_consents) + ["ak07-pdf"] * bool(
            p.n_adjustments) + ["feedback-pdf"] * bool(p.n_feedback) + ["test-pdf"] * bool(p.n_tests)
        for name in names:
            papers[f"participant{p.pk}-{name}"] = (admin, reverse(f"assessments:{name}", args=[p.pk]))
        fullest = max(fullest, (len(names), p.pk))
    # the assessment file binds the participant's papers above into one (each drawn again: seconds at these lengths): drawn
    # for the participant with the most papers, not for each
    papers[f"participant{fullest[1]}-assessment-file"] = (admin, reverse("assessments:assessment-file",
                                                                         args=[fullest[1]]))
    for r in InstrumentRecord.objects.all():
        papers[f"record-{r.instrument}"] = (admin, reverse("assessments:instrument-pdf", args=[r.pk]))
    for plan in AssessmentPlan.objects.all():
        for name in ("plan-mapa01", "plan-mapa02"):
            papers[f"plan{plan.pk}-{name}"] = (admin, reverse(f"assessments:{name}", args=[plan.pk]))
    for v in InstrumentValidation.objects.all():
        papers[f"va{v.pk}"] = (admin, reverse("assessments:va-pdf", args=[v.pk]))
    for app in Application.objects.exclude(status="draft")[:2]:
        for name in ("apl01", "apl02"):
            papers[f"application{app.pk}-{name}"] = (admin, reverse(f"applicants:{name}", args=[app.pk]))
    return papers


SHARES = 3  # the papers are drawn in three tests, each every third paper, spread over the test processes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("share", range(SHARES))
def test_every_other_paper_keeps_its_layout_with_the_demos_records_at_their_longest(demo_committed, signer, settings,
                                                                                      client, share):
    from django.test import Client

    from certportal.accounts.models import User

    from .documents import document_bytes

    stretch_demo(User.objects.get(email="admin.lsp@demo.go.id"))
    clients: dict[str, Client] = {}
    problems, papers = [], demo_papers()
    for name, (email, url) in sorted(papers.items())[share::SHARES]:
        reader = clients.setdefault(email, Client())
        reader.force_login(User.objects.get(email=email))
        if name.endswith(("-arsip", "-assessment-file")):  # written by a background job, offered on its page
            pdf = document_bytes(reader, url)
        else:
            response = reader.get(url)
            pdf = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200, (name, response.status_code)
        assert pdf.startswith(b"%PDF"), name
        keep(pdf, name)
        problems += layout_problems(pdf, name=name)
    assert problems == [], "\n".join(problems)
    seen = {name.split("-", 1)[-1] if name.startswith(("event", "participant", "plan", "application", "report"))
            else name for name in papers}  # every kind among the papers the three tests draw
    assert {"berita-acara", "daftar-hadir", "notulen", "perencanaan", "arsip", "ak06", "ak05", "ak01-pdf", "ak02-pdf", "ak07-pdf",
            "feedback-pdf", "test-pdf", "assessment-file", "plan-mapa01", "plan-mapa02", "apl01", "apl02",
            "skm"} <= seen

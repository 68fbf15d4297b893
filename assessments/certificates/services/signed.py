"""Electronic signatures (PAdES) on the documents a person downloads: rendered as always (:mod:`.rendering`), then
signed by the signer the LSP configured (:mod:`certportal.signing`). A failure gives the document unsigned, with the
reason kept on the ``SignedDocument`` row that the certificate page shows. The ``kind`` names are what the public
page's check (:mod:`.signed_check`) matches an uploaded PDF's record by.

A download serves the ``kept_*`` paper: made and signed once per version of what it prints, then read from the
private storage (:mod:`certportal.signing.papers`); the ``signed_*`` functions make a new one each call."""

from __future__ import annotations

from assessments.certificates.models import Certificate, ResultLetter
from assessments.certificates.services.rendering import (
    CERTIFICATE_CSS,
    certificate_pdf,
    certificate_prints,
    decision_letter_html,
    decision_letter_pdf,
    letter_pdf,
    letters_html,
)
from assessments.events.models import Event, Pleno
from certportal.pdf import html_to_pdf
from certportal.signing.papers import kept_paper
from certportal.signing.services import document_sign


def signed_certificate_pdf(cert: Certificate) -> bytes:
    return document_sign(certificate_pdf(cert), kind="certificate", object_id=cert.pk,
                         label=f"Sertifikat {cert.number}", reason=f"Sertifikat kompetensi {cert.number}").pdf


def kept_certificate_pdf(cert: Certificate) -> bytes:
    """The certificate's signed paper, made once per version of what it prints (see the module)."""
    return kept_paper(kind="certificate", object_id=cert.pk, prints=certificate_prints(cert),
                      render=lambda: certificate_pdf(cert), stylesheets=(CERTIFICATE_CSS,),
                      label=f"Sertifikat {cert.number}", reason=f"Sertifikat kompetensi {cert.number}")


def kept_letter_pdf(letter: ResultLetter) -> bytes:
    html = letters_html([letter])
    return kept_paper(kind="result_letter", object_id=letter.pk, prints=html, render=lambda: html_to_pdf(html),
                      label=f"Surat keterangan {letter.number}",
                      reason=f"Surat keterangan hasil uji kompetensi {letter.number}")


def kept_decision_letter_pdf(pleno: Pleno) -> bytes:
    """The closed pleno's signed decision letter, made once per version; a draft is rendered on each download."""
    html = decision_letter_html(pleno)
    if pleno.status != Pleno.Status.CLOSED:
        return html_to_pdf(html)
    return kept_paper(kind="decision_letter", object_id=pleno.pk, prints=html, render=lambda: html_to_pdf(html),
                      label=f"Surat keputusan {pleno.decree_number}",
                      reason=f"Surat keputusan sertifikasi {pleno.decree_number}")


def signed_letter_pdf(letter: ResultLetter) -> bytes:
    return document_sign(letter_pdf(letter), kind="result_letter", object_id=letter.pk,
                         label=f"Surat keterangan {letter.number}",
                         reason=f"Surat keterangan hasil uji kompetensi {letter.number}").pdf


def signed_report_pdf(pdf: bytes, event: Event) -> bytes:
    """The *berita acara* once the Kepala TUK signed it (step 6); the caller never passes a draft."""
    return document_sign(pdf, kind="report", object_id=event.pk, label=f"Berita acara {event}",
                         reason=f"Berita acara uji kompetensi no. {event.pk}").pdf


def signed_print_pdf(pdf: bytes, job) -> bytes:
    """A whole event's certificates (or result letters) as one print: signed like each of them. Signing is
    required here: when it is configured and fails, :class:`~certportal.signing.backends.SigningError` is raised
    (the print job fails with the reason) instead of an unsigned print of a whole event being handed out."""
    what = "Sertifikat" if job.kind == "certificates" else "Surat keterangan"
    return document_sign(pdf, kind="event_print", object_id=job.pk,
                         label=f"{what} uji kompetensi {job.event.scheme.code} no. {job.event_id}",
                         reason=f"{what} kompetensi, cetak satu acara uji no. {job.event_id}", required=True).pdf


def signed_decision_letter_pdf(pleno: Pleno) -> bytes:
    """The pleno's decision letter: signed once the pleno is closed (issued); a draft before that is not."""
    pdf = decision_letter_pdf(pleno)
    if pleno.status != Pleno.Status.CLOSED:
        return pdf
    return document_sign(pdf, kind="decision_letter", object_id=pleno.pk, label=f"Surat keputusan {pleno.decree_number}",
                         reason=f"Surat keputusan sertifikasi {pleno.decree_number}").pdf

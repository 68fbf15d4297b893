"""The public page's check of an uploaded PDF: is it a document this LSP signed, unchanged, and what is its record's
status now? The signature is validated by pyHanko against the configured trust roots; the document is matched to
its record by the SHA-256 of the exact bytes the portal signed and handed out (:class:`SignedDocument`), so a valid
signature over other bytes (a copy re-signed elsewhere) is not taken for one of ours."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.certificates.models import Certificate, ResultLetter
from assessments.certificates.services.verification import public_data
from assessments.events.models import Event, Pleno
from certportal.signing.services import signed_record
from certportal.signing.validation import Validation, Verdict, validate_pdf

KIND_LABELS = {"certificate": gettext_lazy("Certificate of competence"),
               "result_letter": gettext_lazy("Result letter"),
               "report": gettext_lazy("Berita acara (official report of the test)"),
               "decision_letter": gettext_lazy("Decision letter (Surat Keputusan) of a pleno"),
               "event_print": gettext_lazy("Print of a whole test event (certificates or result letters)"),
               "agency-letter": gettext_lazy("Letter of an agency or of the Sekretaris Daerah")}


@dataclass
class DocumentCheck:
    verdict: str  # authentic | modified | untrusted | unsigned | unknown (authentic signature, no record here)
    message: str
    kind_label: str = ""
    label: str = ""
    number: str = ""  # the certificate's or letter's number, the event's for a berita acara
    status: str = ""  # the record's status now: valid, suspended, withdrawn, expired (certificates), issued...
    status_label: str = ""
    certificate: dict = field(default_factory=dict)
    signed_at: datetime.datetime | None = None
    sha256: str = ""
    expires_on: datetime.date | None = None
    signer: str = ""  # who signed, from the signature's certificate: "name, position (organisation)"


def check_signed_document(pdf: bytes, *, today: datetime.date | None = None) -> DocumentCheck:
    result = validate_pdf(pdf)
    message = _verdict_message(result)
    if result.verdict != Verdict.AUTHENTIC:
        return DocumentCheck(str(result.verdict), message, sha256=result.sha256)
    record = signed_record(result.sha256)
    if record is None:
        return DocumentCheck("unknown", _(
            "The signature is this LSP's and the file is unchanged, but the portal keeps no record of this document. "
            "Ask the LSP, or verify the code printed on the document."), signed_at=result.signed_at, sha256=result.sha256,
            signer=signer_words(result))
    if record.kind == "agency-letter":  # signed by the agency's head or the Sekretaris Daerah, not the LSP
        message = _("Authentic: this letter was signed electronically in the portal of %(lsp)s by the signer named "
                    "below, and has not been changed since it was signed.") % {"lsp": settings.ASSESSMENT_LSP_NAME}
    check = DocumentCheck("authentic", message, kind_label=str(KIND_LABELS.get(record.kind, record.kind)),
                          label=record.label, signed_at=result.signed_at, sha256=result.sha256,
                          signer=signer_words(result))
    _add_status(check, record.kind, record.object_id, today)
    return check


def signer_words(result: Validation) -> str:
    """Who signed, as the signature's certificate names them: "dr. Hartono Wibisono, M.Kes. — Kepala Dinas
    Kesehatan (Pemerintah Provinsi DKI Jakarta)"."""
    words = result.signer_name or result.signer
    if result.signer_title:
        words = f"{words} — {result.signer_title}"
    if result.signer_organisation:
        words = f"{words} ({result.signer_organisation})"
    return words


def _verdict_message(result: Validation) -> str:
    lsp = settings.ASSESSMENT_LSP_NAME
    return {
        Verdict.AUTHENTIC: _("Authentic: this document was issued and signed electronically by %(lsp)s and has not "
                             "been changed since it was signed.") % {"lsp": lsp},
        Verdict.MODIFIED: _("Modified: this document has been changed after it was signed, so its content cannot be "
                            "trusted. Ask the holder for the original file, or verify the code printed on it."),
        Verdict.UNTRUSTED: _("Not issued by %(lsp)s: the file carries an electronic signature, but not one of this "
                             "LSP's signers.") % {"lsp": lsp},
        Verdict.UNSIGNED: _("This PDF carries no electronic signature, so it cannot be confirmed here. Verify the code "
                            "printed under the QR code instead."),
        Verdict.UNREADABLE: _("This file cannot be read as a signed PDF."),
    }[result.verdict]


def _add_status(check: DocumentCheck, kind: str, object_id: str, today) -> None:
    if kind == "certificate":
        cert = Certificate.objects.filter(pk=object_id).first()
        if cert is not None:
            check.certificate = public_data(cert, today)
            check.number = cert.number
            check.status, check.status_label = check.certificate["status"], check.certificate["status_label"]
            check.expires_on = cert.expires_on
    elif kind == "result_letter":
        letter = ResultLetter.objects.filter(pk=object_id).first()
        if letter is not None:
            check.number = letter.number
            check.status, check.status_label = letter.status, str(letter.get_status_display())
    elif kind == "decision_letter" and (pleno := Pleno.objects.filter(pk=object_id).first()) is not None:
        check.number = pleno.decree_number
        check.status, check.status_label = pleno.status, str(pleno.get_status_display())
    elif kind == "report" and Event.objects.filter(pk=object_id).exists():
        check.number = str(object_id)
        check.status, check.status_label = "signed", _("Signed by the head of the test site; the results are locked.")

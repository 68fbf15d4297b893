"""The assessments app's part of anonymising a person past their retention period (registered with
:func:`certportal.personal_data.register_eraser`, run by ``quality.retention``).

Removed: the result letters' name and printed data, the instrument records' entries, notes and printed data, the
person's FR.AK.01 consent (name typed, address, agreement as shown), FR.AK.03 comment and signature, FR.AK.07 needs
and adjustments, the unit results' evidence, notes and explanation, the holder reports'
and surveillance reports' text, the surveillance documents (deleted from storage), and the kept signed papers of
the person's certificates and result letters (:mod:`certportal.signing.papers`, deleted from storage).

Kept: the certificate itself (number, scheme, dates, status, holder, handled by ``quality.retention``) while it
can be verified, the K/BK per unit and the decision, which the certificate stands on, and the pleno's decree
(``Pleno.decisions``), the LSP's own decision record on the whole event.

A misuse report's reporter has no account: :func:`erase_misuse_report` (a record eraser, run for a report on an
approved disposal list) replaces their name with the pseudonym, removes their contact and network address and
deletes the evidence they sent; what was misused, where, and the LSP's result stay as the record of the handling.

The certificate register's uploaded files (``REGISTER_FILE``) and the assessors' and test sites' (``ADOPTION_FILE``),
registered with :func:`certportal.personal_data.register_upload`, are deleted with their reading by
``quality.retention`` past ``RETENTION_IMPORT_FILE_YEARS``; what they imported (the certificates, the assessors, the
test sites) and the import's audit trail stay."""

from __future__ import annotations

from certportal.personal_data import Erased
from certportal.signing.papers import forget_papers

from .certificates.models import Certificate, HolderReport, ResultLetter, SurveillanceFile, SurveillanceReport
from .certificates.register_models import RegisterImport
from .certificates.scope_models import MisuseEvidence, MisuseReport
from .events.models import AdoptionImport, Participant, UnitResult
from .instruments.models import AgreementConsent, AssessmentFeedback, InstrumentRecord, ReasonableAdjustment


def _assessment_records(participants, pseudonym: str) -> list:
    records = list(InstrumentRecord.objects.filter(participant__in=participants))
    InstrumentRecord.objects.filter(participant__in=participants).update(entries=[], details={}, notes="",
                                                                         snapshot={})
    consents = AgreementConsent.objects.filter(participant__in=participants)
    consents.filter(party=AgreementConsent.Party.PARTICIPANT).update(signed_name=pseudonym, ip_address=None)
    consents.update(snapshot={})
    AssessmentFeedback.objects.filter(participant__in=participants).update(
        overall_comment="", signed_name=pseudonym, ip_address=None)
    ReasonableAdjustment.objects.filter(participant__in=participants).update(needs_note="", adjustments="")
    UnitResult.objects.filter(participant__in=participants).update(evidence="", notes="", explanation="",
                                                                   evidence_gap_reason="")
    return records


def _holder_records(certificates) -> Erased:
    reports = list(SurveillanceReport.objects.filter(certificate__in=certificates))
    done = Erased(subjects=[*reports, *HolderReport.objects.filter(certificate__in=certificates)])
    files = SurveillanceFile.objects.filter(report__in=reports)
    for f in files.exclude(file=""):
        f.file.delete(save=False)
        done.files += 1
    files.update(file="", original_name="")
    SurveillanceReport.objects.filter(pk__in=[r.pk for r in reports]).update(statement="", review_note="")
    HolderReport.objects.filter(certificate__in=certificates).update(text="", review_note="")
    return done


def erase(user, pseudonym: str) -> Erased:
    participants = list(Participant.objects.filter(application__applicant=user))
    letters = list(ResultLetter.objects.filter(application__applicant=user))
    consents = AgreementConsent.objects.filter(participant__in=participants, party=AgreementConsent.Party.PARTICIPANT)
    feedback = AssessmentFeedback.objects.filter(participant__in=participants)
    names = {x.holder_name for x in letters} | {*consents.values_list("signed_name", flat=True),
                                                 *feedback.values_list("signed_name", flat=True)}
    ResultLetter.objects.filter(pk__in=[x.pk for x in letters]).update(holder_name=pseudonym, snapshot={})
    records = _assessment_records(participants, pseudonym)
    certificates = Certificate.objects.held_by(user)
    done = _holder_records(certificates)
    done.subjects += [*letters, *records]
    # the kept signed papers print the name: deleted (a certificate still verifiable is made again on download)
    done.files += sum(forget_papers("result_letter", x.pk) for x in letters)
    done.files += sum(forget_papers("certificate", pk) for pk in certificates.values_list("pk", flat=True))
    done.names |= names
    return done


MISUSE_REPORT = "assessments.misusereport"  # the kind registered with the core's record erasers
# The certificate register's uploads (the disposal list's kind of record): the file and its reading (``rows``,
# every holder's name and NIP) go once the import ended and the period passed; the certificates imported stay.
REGISTER_FILE = "register"
REGISTER_ENDED = (RegisterImport.Status.APPLIED, RegisterImport.Status.DISCARDED, RegisterImport.Status.FAILED)
# The assessors' and test sites' uploads: their preview (``rows``) holds names, e-mails and NIPs; the same way.
ADOPTION_FILE = "adoption"
ADOPTION_ENDED = (AdoptionImport.Status.APPLIED, AdoptionImport.Status.DISCARDED, AdoptionImport.Status.FAILED)


def erase_misuse_report(pk: int, pseudonym: str) -> Erased:
    report = MisuseReport.objects.get(pk=pk)
    done = Erased(subjects=[report], names={report.reporter_name, report.reporter_contact})
    files = MisuseEvidence.objects.filter(report=report)
    for f in files.exclude(file=""):
        f.file.delete(save=False)
        done.files += 1
    files.update(file="", original_name="")
    MisuseReport.objects.filter(pk=pk).update(reporter_name=pseudonym if report.reporter_name else "",
                                              reporter_contact="", ip_address=None)
    return done

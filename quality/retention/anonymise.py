"""What anonymising a person does: names, NIK, NIP and contact replaced by a pseudonym, uploaded files deleted from
storage, the audit trail's rows kept with the pseudonym in place of the person. A certificate that can still be
verified keeps what its public verification shows (holder, number, scheme, dates, status); one expired longer ago
than ``RETENTION_CERTIFICATE_YEARS`` loses its holder's name and NIP too."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace

from applicants.models import ApplicantProfile, Application, DocumentFile
from assessments.certificates.models import Certificate
from assessments.events.models import Participant
from assessments.retention import MISUSE_REPORT
from certportal import personal_data
from certportal.accounts.models import User
from certportal.audit.models import AuditEntry
from certportal.audit.services import audit_record
from certportal.notifications.models import Notification
from complaints.models import Attachment, Complaint

from .rules import ANONYMOUS_DOMAIN, years_before

NO_BIRTH_DATE = datetime.date(1900, 1, 1)


# The pseudonym's letter per kind of record: an account (applicant or unused: the same person, the same
# pseudonym), a complainant (pengadu), a misuse reporter (pelapor).
PSEUDONYM_LETTERS = {"applicant": "A", "account": "A", "complaint": "P", "misuse": "L"}


def pseudonym_for(kind: str, pk: int) -> str:
    """The pseudonym a person is left with; none for an import file (no person: its name stays)."""
    if kind not in PSEUDONYM_LETTERS:
        return ""
    return f"ANONIM-{PSEUDONYM_LETTERS[kind]}{pk:06d}"


def _audit_rows():
    """The audit trail without its append-only guard: pseudonymising is the one change ever made to its rows."""
    return models.QuerySet(model=AuditEntry)


def pseudonymise_audit(subjects: list[models.Model], names: set[str], pseudonym: str, actor=None) -> None:
    rows = _audit_rows()
    about = Q(pk__in=[])
    if actor is not None:
        rows.filter(actor=actor).update(actor_name=pseudonym)
        about = Q(actor=actor)  # what the person did: their own words in the note may name them
    for obj in subjects:
        about |= Q(content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                   object_id=str(obj.pk))
    for name in sorted((n for n in names if n and len(n) > 2), key=len, reverse=True):
        rows.filter(about, object_repr__contains=name).update(
            object_repr=Replace("object_repr", Value(name), Value(pseudonym)))
        rows.filter(about, note__contains=name).update(note=Replace("note", Value(name), Value(pseudonym)))


def _delete_files(user: User) -> int:
    deleted = 0
    for f in DocumentFile.objects.filter(document__application__applicant=user).exclude(file=""):
        f.file.delete(save=False)
        deleted += 1
    DocumentFile.objects.filter(document__application__applicant=user).update(file="", original_name="")
    return deleted


def anonymise_applicant(user_id: int, pseudonym: str, *, today: datetime.date, certificate_years: int) -> int:
    """The applicant's account, profile, applications and files; returns how many files were deleted."""
    user = User.objects.get(pk=user_id)
    profile = ApplicantProfile.objects.filter(user=user).first()
    apps = list(Application.objects.filter(applicant=user))
    names = {user.full_name, *(a.applicant_name for a in apps), profile.full_name if profile else ""}
    participants = list(Participant.objects.filter(application__in=apps))
    certificates = list(Certificate.objects.filter(application__in=apps))
    names |= {c.holder_name for c in certificates}
    erased = personal_data.erase(user, pseudonym)  # every app's rows, while the profile's NIP still finds them
    names |= erased.names
    deleted = erased.files + _delete_files(user)
    email = f"{pseudonym.lower()}@{ANONYMOUS_DOMAIN}"
    if profile is not None:
        # saved, not updated: what keeps itself in step with a profile (the agency stamped on each application,
        # agencies.roster.restamp; the agencies' kept figures) follows the NIP the person no longer has
        profile = ApplicantProfile.objects.get(pk=profile.pk)
        profile.nik, profile.nip, profile.full_name, profile.birth_place = None, f"X{user.pk:017d}", pseudonym, ""
        profile.birth_date, profile.phone, profile.email = NO_BIRTH_DATE, "", email
        profile.save(update_fields=["nik", "nip", "full_name", "birth_place", "birth_date", "phone", "email"])
    Application.objects.filter(applicant=user).update(applicant_name=pseudonym, nip="", profile_data={})
    gone = years_before(today, certificate_years)
    Certificate.objects.filter(application__in=apps, expires_on__lt=gone).update(holder_name=pseudonym, holder_nip="")
    user.full_name, user.email, user.phone, user.is_active = pseudonym, email, "", False
    user.set_unusable_password()
    user.save(update_fields=["full_name", "email", "phone", "is_active", "password"])
    Notification.objects.filter(user=user).delete()  # messages to the person, written with their name
    subjects = [user, *apps, *participants, *certificates, *([profile] if profile else []), *erased.subjects]
    pseudonymise_audit(subjects, names, pseudonym, actor=user)
    return deleted


def anonymise_complaint(complaint_id: int, pseudonym: str) -> int:
    complaint = Complaint.objects.get(pk=complaint_id)
    names = {complaint.name, complaint.email}
    deleted = 0
    for attachment in Attachment.objects.filter(complaint=complaint).exclude(file=""):
        attachment.file.delete(save=False)
        deleted += 1
    Attachment.objects.filter(complaint=complaint).update(file="", original_name="")
    Complaint.objects.filter(pk=complaint_id).update(name=pseudonym, email="", phone="", phone_key="",
                                                     postal_address="")
    pseudonymise_audit([complaint], names, pseudonym)
    return deleted


def anonymise_misuse_report(report_id: int, pseudonym: str) -> int:
    """The reporter's name, contact, network address and evidence, through the record eraser the assessments app
    registers with the core; the audit rows of their report keep no name and no address of theirs."""
    erased = personal_data.erase_record(MISUSE_REPORT, report_id, pseudonym)
    pseudonymise_audit(erased.subjects, erased.names, pseudonym)
    for obj in erased.subjects:
        _audit_rows().filter(actor__isnull=True, content_type=ContentType.objects.get_for_model(obj),
                             object_id=str(obj.pk)).update(ip_address=None)  # the public report's sender
    return erased.files


FILE_DISPOSED = "quality.retention.file_disposed"  # the audit row on the import whose file went


def dispose_upload(kind: str, pk: int, disposal) -> int:
    """An import file past its period (``certportal.personal_data.register_upload``): the file deleted from storage
    and its reading emptied; the import stays (its file name, counts, result) and so does its audit trail (who
    uploaded and imported which file, when), with one more row naming the disposal list. Returns the files deleted."""
    upload = personal_data.kept_uploads()[kind]
    job = upload.model.objects.get(pk=pk)
    deleted = 0
    if job.file:
        job.file.delete(save=False)
        deleted = 1
    upload.model.objects.filter(pk=pk).update(file="", **upload.parsed)
    audit_record(actor=None, obj=job, action=FILE_DISPOSED, from_state=job.status, to_state=job.status,
                 note=f"disposal list {disposal.year} #{disposal.pk}: files={deleted}")
    return deleted

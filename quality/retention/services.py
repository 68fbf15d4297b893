"""Preparing the yearly disposal list, approving or cancelling it, and the job that anonymises once approved."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import dates, personal_data
from certportal.accounts.models import User
from certportal.audit.services import audit_record
from certportal.outbox.services import enqueue
from certportal.workflow import transition

from . import anonymise, rules
from .models import FILE_KINDS, DisposalItem, DisposalKind, DisposalList, DisposalStatus
from .workflow import DisposalError

log = logging.getLogger(__name__)
TASK = "quality.retention.tasks.run_disposal"
ACCOUNT_KINDS = (DisposalKind.APPLICANT, DisposalKind.UNUSED_ACCOUNT)  # one account, one pseudonym


def _past(today, years: dict[str, int]) -> list[tuple]:
    """Everyone past their period: (kind, record id, who it is, when the record ended), by the rule of each kind
    (``rules.sift``, the same rule the approval and the job check again)."""
    labels = {DisposalKind.APPLICANT: lambda u: u.full_name,
              DisposalKind.UNUSED_ACCOUNT: lambda u: u.full_name or u.email,
              DisposalKind.COMPLAINT: lambda c: c.name or c.email or c.tracking_number,
              DisposalKind.MISUSE: _misuse_label}
    # the import files of the apps that register them (a file, not a person: listed by its name)
    labels.update({kind: _upload_label for kind in FILE_KINDS if kind in personal_data.kept_uploads()})
    return [(kind, obj.pk, label(obj), ended) for kind, label in labels.items()
            for obj, ended in rules.sift(kind, today, years).found]


def _leave_out(disposal: DisposalList, today) -> str:
    """Record on the list who no longer qualifies, with the reason; the note for the audit row ("" for nobody).
    The listed accounts are locked first (in PostgreSQL a log-in, or a new application or proposal naming them,
    waits until the approval or the job is committed), so nobody comes back between the check and the erasing."""
    accounts = disposal.items.filter(kind__in=ACCOUNT_KINDS,
                                     done_at__isnull=True, dropped_at__isnull=True).values("object_id")
    list(User.objects.select_for_update().filter(pk__in=accounts).values_list("pk", flat=True))
    dropped = rules.left_out(disposal, today)
    now = timezone.now()
    items = list(disposal.items.filter(pk__in=dropped))
    for item in items:
        item.dropped_reason, item.dropped_at = dropped[item.pk], now
    DisposalItem.objects.bulk_update(items, ["dropped_reason", "dropped_at"])
    if not items:
        return ""
    # by pseudonym, not name: the list's audit rows are not among those a later anonymisation rewrites
    return _("Left out, no longer past their period: %(who)s") % {
        "who": "; ".join(f"{i.pseudonym} ({i.dropped_because})" for i in items)}


def _upload_label(job) -> str:
    return _("%(file)s (uploaded on %(day)s)") % {"file": job.filename, "day": dates.day(job.created_at)}


def _misuse_label(report) -> str:
    who = report.reporter_name or report.reporter_contact or _("anonymous reporter")
    return _("%(who)s (misuse report on %(number)s)") % {"who": who, "number": report.certificate.number}


@transaction.atomic
def disposal_propose(*, actor, today=None, ip: str | None = None) -> DisposalList:
    """This year's list of the people past their retention period (one list a year, unless cancelled)."""
    today = today or timezone.localdate()
    if DisposalList.objects.filter(year=today.year).exclude(status=DisposalStatus.CANCELLED).exists():
        raise DisposalError(_("This year's disposal list already exists."))
    years = rules.periods()
    found = _past(today, years)
    if not found:
        raise DisposalError(_("Nobody's data is past its retention period: no list is needed this year."))
    disposal = DisposalList.objects.create(year=today.year, periods=years, created_by=actor)
    DisposalItem.objects.bulk_create(
        DisposalItem(disposal=disposal, kind=kind, object_id=pk, label=label[:200], ended_on=ended,
                     pseudonym=anonymise.pseudonym_for(kind, pk)) for kind, pk, label, ended in found)
    audit_record(actor=actor, obj=disposal, action="quality.disposallist.proposed", to_state=disposal.status,
                 note=_("%(n)s people") % {"n": len(found)}, ip_address=ip)
    return disposal


@transaction.atomic
def disposal_approve(disposal: DisposalList, *, actor, ip: str | None = None) -> DisposalList:
    """Approve the list, checking everyone on it again first: whoever no longer qualifies is left out, with the
    reason, on the list and in the approval's audit row."""
    note = _leave_out(disposal, timezone.localdate()) if disposal.status == DisposalStatus.PROPOSED else ""
    disposal = transition(disposal, "approved", user=actor, ip=ip, reason=note, approved_by=actor)
    enqueue(TASK, disposal_id=disposal.pk)  # handed to a worker once the approval is committed
    return disposal


def disposal_cancel(disposal: DisposalList, *, actor, reason: str, ip: str | None = None) -> DisposalList:
    return transition(disposal, "cancelled", user=actor, reason=reason, ip=ip)


def _anonymise(item: DisposalItem, disposal: DisposalList, today) -> None:
    if item.kind in FILE_KINDS:  # the file and its reading deleted; its name stays on the list
        item.files_deleted, item.done_at = anonymise.dispose_upload(item.kind, item.object_id, disposal), timezone.now()
        item.save(update_fields=["files_deleted", "done_at"])
        return
    if item.kind in (DisposalKind.APPLICANT, DisposalKind.UNUSED_ACCOUNT):
        item.files_deleted = anonymise.anonymise_applicant(
            item.object_id, item.pseudonym, today=today, certificate_years=disposal.periods["certificate"])
    elif item.kind == DisposalKind.MISUSE:
        item.files_deleted = anonymise.anonymise_misuse_report(item.object_id, item.pseudonym)
    else:
        item.files_deleted = anonymise.anonymise_complaint(item.object_id, item.pseudonym)
    item.label, item.done_at = item.pseudonym, timezone.now()
    item.save(update_fields=["files_deleted", "label", "done_at"])
    # an earlier list that left the person out named them: it names the pseudonym now
    same = (ACCOUNT_KINDS if item.kind in ACCOUNT_KINDS else (item.kind,))
    DisposalItem.objects.filter(kind__in=same, object_id=item.object_id).update(label=item.pseudonym)


def disposal_run(disposal_id: int) -> DisposalList | None:
    """Anonymise everyone on an APPROVED list (the job) who still qualifies, checked again by the same rule (someone
    who came back since the approval is left out, with the reason). Any other list (proposed, cancelled, done) is
    left alone: nothing is removed without the approval row."""
    disposal = DisposalList.objects.filter(pk=disposal_id, status=DisposalStatus.APPROVED).first()
    if disposal is None:
        log.warning("Disposal list %s is not approved: nothing anonymised", disposal_id)
        return None
    today = timezone.localdate()
    with transaction.atomic():
        note = _leave_out(disposal, today)
        for item in disposal.items.filter(done_at__isnull=True, dropped_at__isnull=True):
            _anonymise(item, disposal, today)
        done = _("%(n)s people anonymised") % {"n": disposal.items.filter(done_at__isnull=False).count()}
        return transition(disposal, "anonymised", user=None, reason=f"{done}. {note}" if note else done)

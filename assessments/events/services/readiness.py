"""Seed 002 step 2's readiness checklist, filled by the Kepala TUK, and step 5's documentation (photos, PDF).

Step 2 ("mempersiapkan sarana/prasarana penyelenggaraan uji kompetensi termasuk menyiapkan tempat penyelenggaraan
sesuai dengan persyaratan") is done only when the checklist is complete: :func:`readiness_problem` is its guard.
Step 5 ("mendokumentasikan pelaksanaan uji kompetensi") takes photos and PDFs, checked and stored like dossier files
(certportal.files). Both show on the event page and in the archive of step 8.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.errors import AssessmentError
from assessments.events.models import Event, EventDocumentation, EventStatus, ReadinessCheck
from assessments.events.models.readiness import READINESS_ITEMS
from certportal.accounts.models import Role
from certportal.files import validate_upload
from certportal.workflow import transition

READINESS_OPEN = (EventStatus.PLANNED, EventStatus.SCHEDULE_SENT)  # until step 2 is done
DOCUMENTATION_OPEN = (EventStatus.CONFIRMED, EventStatus.HELD, EventStatus.REPORT_SIGNED)  # the day, until review


def readiness_problem(event: Event) -> str | None:
    """Why step 2 cannot be marked done yet (None: the checklist is complete)."""
    check = ReadinessCheck.objects.filter(event=event).first()
    if check is None:
        return _("The Kepala TUK has not filled in the readiness checklist yet.")
    missing = [str(label) for name, label in READINESS_ITEMS if not getattr(check, name)]
    if missing:
        return _("The readiness checklist is not complete: %(items)s.") % {"items": "; ".join(missing)}
    return None


def _is_event_tuk_head(user, event: Event) -> bool:
    return user.has_role(Role.TUK_HEAD) and event.test_site.head_id == user.pk


def readiness_save(event: Event, *, actor, items: dict[str, bool], note: str = "",
                   ip: str | None = None) -> ReadinessCheck:
    """The Kepala TUK of the event's test site fills in (or corrects) the checklist before step 2 is done: the
    event machine's ``readiness_checked`` act (same status, audited)."""
    if not _is_event_tuk_head(actor, event):
        raise AssessmentError(_("Only the Kepala TUK of this test site fills in the readiness checklist."))
    if event.status not in READINESS_OPEN:
        raise AssessmentError(_("Step 2 is done: the readiness checklist can no longer be changed."))
    values = {name: bool(items.get(name)) for name, _label in READINESS_ITEMS}
    with transaction.atomic():
        transition(event, "readiness_checked", user=actor, ip=ip,
                   reason=f"{sum(values.values())}/{len(READINESS_ITEMS)} {note}".strip())
        check, _created = ReadinessCheck.objects.update_or_create(
            event=event, defaults={**values, "note": note, "checked_by": actor})
    return check


def may_document(user, event: Event) -> bool:
    return _is_event_tuk_head(user, event) or (
        user.has_role(Role.ASSESSOR) and event.event_assessors.filter(assessor__user=user).exists())


def documentation_upload(event: Event, *, actor, upload, caption: str = "") -> EventDocumentation:
    """A photo or PDF of the test by the event's Kepala TUK or assessor, on the day and until the review."""
    if not may_document(actor, event):
        raise AssessmentError(_("Only the Kepala TUK of this test site and the event's assessors document the "
                                "test."))
    if event.status not in DOCUMENTATION_OPEN:
        raise AssessmentError(_("Documentation is added on the day of the test, until the event is reviewed."))
    try:
        kind = validate_upload(upload)  # content, size and active content checked like a dossier file
    except ValidationError as exc:  # a refusal like the others, shown by the view helper
        raise AssessmentError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        transition(event, "documentation_added", user=actor, reason=upload.name[:255])
        doc = EventDocumentation.objects.create(event=event, file=upload, original_name=upload.name[:255],
                                                kind=kind, caption=caption[:200], uploaded_by=actor)
    return doc

"""The yearly evaluation of the service standard and the SOP (seed 003 item 14; seed 001 items 10 and 14).

Recording it keeps the portal's figures for the year as inputs (certportal.evaluation: satisfaction survey results
and complaint statistics, computed, not typed), the date, the participants, the findings and the decisions. When the
decisions change the standard, a new version is published from the evaluation: a copy of the current standard with
its version number raised, which the LSP admin then edits; the earlier versions are kept, unpublished, as history.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import evaluation
from certportal.audit.services import audit_record
from certportal.errors import PortalError

from .models import EvaluationReading, ServiceEvaluation, ServiceStandard, ServiceStandardItem


class EvaluationError(PortalError):
    """The evaluation cannot be recorded as asked; the message says why."""


def current_standard() -> ServiceStandard | None:
    return ServiceStandard.objects.filter(is_published=True).order_by("-version", "-pk").first() \
        or ServiceStandard.objects.order_by("-version", "-pk").first()


def evaluation_record(*, actor, year: int, held_on: datetime.date, participants: str, findings: str,
                      decisions: str, publish_new_version: bool = False) -> ServiceEvaluation:
    """Record the year's evaluation with the portal's inputs; optionally publish a new version of the standard."""
    if held_on > timezone.localdate():
        raise EvaluationError(_("The evaluation cannot be recorded before it was held: its date is in the future."))
    if held_on.year < year:
        raise EvaluationError(_("An evaluation of %(year)s cannot be held before the year begins.") % {"year": year})
    with transaction.atomic():
        standard = current_standard()
        if standard is None:
            raise EvaluationError(_("No service standard is loaded; run manage.py load_reference."))
        record = ServiceEvaluation.objects.create(
            year=year, held_on=held_on, participants=participants, findings=findings, decisions=decisions,
            inputs=evaluation.inputs_for(year), standard=standard, recorded_by=actor)
        audit_record(actor=actor, obj=record, action="service_evaluation_recorded", to_state=str(year))
        if publish_new_version:
            record.new_standard = publish_version(actor=actor, standard=standard, basis=record)
            record.save(update_fields=["new_standard"])
        results_send(record, actor=actor)
    return record


def results_send(record: ServiceEvaluation, *, actor) -> int:
    """Seed 003 item 14.3: the results go to every active member of staff in the portal (in-portal notice and
    e-mail), each to acknowledge reading them; one already sent is not sent again. Returns how many were sent."""
    from certportal.accounts.models import STAFF_ROLES, User
    from certportal.notifications.services import notify

    staff = User.objects.filter(is_active=True, role_links__role__in=STAFF_ROLES).distinct()
    sent = set(record.readings.values_list("user_id", flat=True))
    new = [EvaluationReading(evaluation=record, user=u) for u in staff if u.pk not in sent]
    EvaluationReading.objects.bulk_create(new)
    url = reverse("schemes:evaluation-read", args=[record.pk])
    for reading in new:
        user = reading.user
        transaction.on_commit(lambda user=user: notify(
            user, template="schemes/email/evaluation_results", context={"record": record}, url=url,
            key=f"evaluation-results:{record.pk}:{user.pk}"))
    if new:
        audit_record(actor=actor, obj=record, action="service_evaluation_sent", to_state=str(len(new)))
    return len(new)


def results_acknowledge(record: ServiceEvaluation, *, user) -> EvaluationReading:
    """A member of staff the results were sent to acknowledges reading them (once; audited)."""
    with transaction.atomic():
        reading = EvaluationReading.objects.select_for_update().filter(evaluation=record, user=user).first()
        if reading is None:
            raise EvaluationError(_("The results of this evaluation were not sent to you."))
        if reading.acknowledged_at is None:
            reading.acknowledged_at = timezone.now()
            reading.save(update_fields=["acknowledged_at"])
            audit_record(actor=user, obj=record, action="service_evaluation_read", to_state=user.full_name)
    return reading


def publish_version(*, actor, standard: ServiceStandard, basis: ServiceEvaluation) -> ServiceStandard:
    """A new published version copied from ``standard`` (items included); the old one stays, unpublished."""
    standard = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
    if hasattr(standard, "next"):
        raise EvaluationError(_("Version %(v)s already has a newer version.") % {"v": standard.version})
    new = ServiceStandard.objects.create(
        title=standard.title, service_name=standard.service_name, maklumat=standard.maklumat, is_published=True,
        version=standard.version + 1, previous=standard, published_at=timezone.now())
    ServiceStandardItem.objects.bulk_create([
        ServiceStandardItem(standard=new, part=i.part, position=i.position, component=i.component, intro=i.intro,
                            points=list(i.points)) for i in standard.items.all()])
    ServiceStandard.objects.filter(pk=standard.pk).update(is_published=False)
    audit_record(actor=actor, obj=new, action="service_standard_version_published",
                 from_state=str(standard.version), to_state=str(new.version),
                 note=_("From the evaluation of %(year)s") % {"year": basis.year})
    return new


def history(standard: ServiceStandard) -> list[ServiceStandard]:
    """Every version from the newest to the first, each with the evaluation that published it (if any)."""
    out, node = [], standard
    while node is not None:
        out.append(node)
        node = node.previous
    return out

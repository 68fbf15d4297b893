"""Applicant profiles and applications (FR.APL.01 in substance).

CONTRACT (used by assessments): ``Application`` with ``Status`` and ``TRANSITIONS``; every status change goes
through ``applicants.services.application_transition`` (checked, audited, e-mailed). Add fields with new
migrations; never rename these.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schemes.models import Scheme


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    COMPLETE = "complete", _("Complete and correct")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    PARTICIPANT = "participant", _("Named as participant")
    SCHEDULED = "scheduled", _("Scheduled for a test")
    ASSESSED = "assessed", _("Assessed")
    COMPETENT = "competent", _("Competent")
    NOT_YET_COMPETENT = "not_yet_competent", _("Not yet competent")
    APPEALED = "appealed", _("Appealed")
    CERTIFIED = "certified", _("Certificate issued")
    HANDED_OVER = "handed_over", _("Certificate handed over")
    WITHDRAWN = "withdrawn", _("Withdrawn")


BEFORE_TEST = {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.RESUBMITTED, Status.COMPLETE,
               Status.VERIFIED, Status.PARTICIPANT, Status.SCHEDULED}

# from -> allowed targets. Re-assessment after an appeal goes APPEALED -> SCHEDULED (BK units only).
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.RETURNED, Status.COMPLETE, Status.WITHDRAWN},
    Status.RETURNED: {Status.RESUBMITTED, Status.WITHDRAWN},
    Status.RESUBMITTED: {Status.RETURNED, Status.COMPLETE, Status.WITHDRAWN},
    Status.COMPLETE: {Status.VERIFIED, Status.REJECTED, Status.WITHDRAWN},
    Status.VERIFIED: {Status.PARTICIPANT, Status.WITHDRAWN},
    Status.PARTICIPANT: {Status.SCHEDULED, Status.WITHDRAWN},
    Status.SCHEDULED: {Status.ASSESSED, Status.PARTICIPANT, Status.WITHDRAWN},
    Status.ASSESSED: {Status.COMPETENT, Status.NOT_YET_COMPETENT},
    Status.COMPETENT: {Status.CERTIFIED},
    Status.NOT_YET_COMPETENT: {Status.APPEALED, Status.HANDED_OVER},
    Status.APPEALED: {Status.SCHEDULED, Status.NOT_YET_COMPETENT, Status.COMPETENT},
    Status.CERTIFIED: {Status.HANDED_OVER},
    Status.HANDED_OVER: set(),
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}


class Application(models.Model):
    class Purpose(models.TextChoices):
        CERTIFICATION = "certification", _("Certification")
        RECERTIFICATION = "recertification", _("Re-certification")
        OTHER = "other", _("Other")

    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT,
                                  related_name="applications")
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.CERTIFICATION)
    experienced = models.BooleanField(_("experienced in the field"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("declared complete and correct at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.applicant} — {self.scheme.code}"

"""The LSP's records about a certificate after issue that are not the holder's own (issue 30, ISO/IEC 17024 9.6
and 9.7): a scope reduction decided in a pleno-style decision, and a report of misuse of a certificate or of the
LSP's or BNSP's marks, with its evidence. Loaded with the other models by :mod:`assessments.models`; they name the
certificate by its label so this module imports nothing of the room (machines in
:mod:`assessments.certificates.workflow_scope`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certportal.files import StoredFile


class ScopeReduction(models.Model):
    """The decision to reduce a certificate to the units still held: who decided (the members, the LSP admin who
    recorded it), the decree number and day, the ground and the reason, the units removed and kept. The original
    certificate is marked ``reduced`` and ``replacement`` (a new certificate with the units kept) replaces it."""

    class Ground(models.TextChoices):
        SURVEILLANCE = "surveillance", _("Surveillance")
        HOLDER_REPORT = "holder_report", _("A report of the holder")
        COMPLAINT = "complaint", _("A complaint")

    class Status(models.TextChoices):
        DECIDED = "decided", pgettext_lazy("scope reduction", "Decided")

    certificate = models.ForeignKey("assessments.Certificate", verbose_name=_("certificate reduced"),
                                    on_delete=models.PROTECT, related_name="scope_reductions")
    replacement = models.OneToOneField("assessments.Certificate", verbose_name=_("replacement certificate"),
                                       on_delete=models.PROTECT, related_name="reduced_from")
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices)
    ground_reference = models.CharField(_("reference of the ground"), max_length=120, blank=True)
    units_removed = models.JSONField(_("units removed"), default=list)
    units_kept = models.JSONField(_("units kept"), default=list)
    reason = models.TextField(_("reason"))
    decree_number = models.CharField(_("decree number"), max_length=80, unique=True)
    decided_on = models.DateField(_("decided on"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DECIDED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scope reduction")
        verbose_name_plural = _("scope reductions")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.decree_number

    @property
    def removed_codes(self) -> str:
        return ", ".join(u.get("code", "") for u in self.units_removed)


class MisuseReport(models.Model):
    """Someone reports that a certificate, or the LSP's or BNSP's mark, is misused (ISO/IEC 17024 9.7): what,
    where, optionally who they are, with evidence. The LSP admin handles it to a result (machine
    ``assessments.misusereport.*``): no action, a warning to the holder, or the certificate suspended or withdrawn
    through its own transition."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("misuse report", "Received")
        NO_ACTION = "no_action", pgettext_lazy("misuse report", "No action")
        WARNED = "warned", pgettext_lazy("misuse report", "Warning given")
        SUSPENDED = "suspended", pgettext_lazy("misuse report", "Certificate suspended")
        WITHDRAWN = "withdrawn", pgettext_lazy("misuse report", "Certificate withdrawn")

    certificate = models.ForeignKey("assessments.Certificate", verbose_name=_("certificate"),
                                    on_delete=models.PROTECT, related_name="misuse_reports")
    what = models.TextField(_("what is misused, and how"))
    where = models.CharField(_("where (address or place)"), max_length=500)
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("reporter's e-mail or phone"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    result_note = models.TextField(_("result"), blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("misuse report")
        verbose_name_plural = _("misuse reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="misuse_status_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The report's reference number the reporter is given and the LSP finds it by: PS-<year>-<id>."""
        from django.utils import timezone

        year = timezone.localtime(self.created_at).year if self.created_at else timezone.localdate().year
        return f"PS-{year}-{self.pk:05d}"

    @staticmethod
    def pk_of_number(text: str) -> int | None:
        """The id a reference number names ("PS-2026-00012", "ps 2026 12", "12"), or None."""
        import re

        found = re.fullmatch(r"\s*(?:PS[-\s/]*\d{4}[-\s/]*)?0*(\d{1,9})\s*", text or "", re.IGNORECASE)
        return int(found.group(1)) if found else None


class MisuseEvidence(StoredFile):
    """A file sent with a misuse report, checked and stored like a dossier file (certportal.files)."""

    upload_prefix = "misuse"
    report = models.ForeignKey(MisuseReport, on_delete=models.CASCADE, related_name="files")
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("misuse evidence")
        verbose_name_plural = _("misuse evidence")


__all__ = ["ScopeReduction", "MisuseReport", "MisuseEvidence"]

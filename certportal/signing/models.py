"""One row per signing attempt: what was signed (kind and id of the record, as the app that owns it names them),
by which backend, and the SHA-256 of the signed bytes, or why it failed. The row is both the history and how the
public page finds an uploaded PDF's record."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SignedDocument(models.Model):
    class Outcome(models.TextChoices):
        SIGNED = "signed", pgettext_lazy("e-signature", "Signed")
        FAILED = "failed", pgettext_lazy("e-signature", "Not signed")
        UNSIGNED = "unsigned", pgettext_lazy("e-signature", "Signing switched off")

    kind = models.CharField(_("document kind"), max_length=40)
    object_id = models.CharField(max_length=40)
    label = models.CharField(_("document"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    backend = models.CharField(_("signer"), max_length=20)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    error = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        indexes = [models.Index(fields=["kind", "object_id", "-created_at"], name="signing_doc_latest")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_outcome_display()})"

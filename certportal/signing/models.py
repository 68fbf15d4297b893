"""One row per signing attempt: what was signed (kind and id of the record, as the app that owns it names them),
by which backend, and the SHA-256 of the signed bytes, or why it failed. The row is both the history and how the
public page finds an uploaded PDF's record."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certportal.files import RandomPath, private_files


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


class StoredPaper(models.Model):
    """A signed paper kept in the private storage, served again on every download while what it prints is the same
    (:mod:`.papers`). ``fingerprint``: the SHA-256 of everything the paper prints, its layout and its signer; a
    change in any of them is another fingerprint, so the paper is made (and signed) again."""

    kind = models.CharField(_("document kind"), max_length=40)
    object_id = models.CharField(max_length=40)
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(storage=private_files, upload_to=RandomPath("papers", "pdf"), max_length=300)
    signed = models.ForeignKey(SignedDocument, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored paper")
        verbose_name_plural = _("stored papers")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "fingerprint"], name="signing_paper_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

"""What the credentials keep: each certificate's signed credential as issued (the holder downloads the same bytes
every time) and the two status lists (revocation, suspension), one bit per certificate at its index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

LIST_BITS = 131_072  # 16 KiB, the minimum size the status list specifications ask for (group privacy)


class IssuedCredential(models.Model):
    """The Open Badges 3.0 credential of a certificate, signed once; its status lives in the status lists."""

    certificate = models.OneToOneField("assessments.Certificate", on_delete=models.PROTECT,
                                       related_name="credential")
    document = models.TextField(_("signed credential (JSON)"))
    document_v2 = models.TextField(_("signed credential, VC 2.0 form (JSON)"), blank=True)
    key_did = models.CharField(_("signing key"), max_length=200)
    status_index = models.PositiveIntegerField(_("status list index"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("open badge credential")
        verbose_name_plural = _("open badge credentials")

    def __str__(self) -> str:
        return f"{self.certificate_id} ({self.key_did[:24]}…)"


class CredentialStatusList(models.Model):
    """One StatusList2021 bitstring: the bits change in the transaction of the certificate's status change; the
    signed status list credential is made again from them when it is asked for and older than the bits."""

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", _("revocation")
        SUSPENSION = "suspension", _("suspension")

    purpose = models.CharField(max_length=12, choices=Purpose.choices, unique=True)
    bits = models.BinaryField(default=bytes)
    updated_at = models.DateTimeField(auto_now=True)
    signed = models.TextField(blank=True)
    signed_for = models.DateTimeField(null=True, blank=True)  # the updated_at the signed copy shows
    signed_v2 = models.TextField(blank=True)  # the BitstringStatusListCredential (VC 2.0) of the same bits
    signed_v2_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("credential status list")
        verbose_name_plural = _("credential status lists")

    def __str__(self) -> str:
        return self.purpose

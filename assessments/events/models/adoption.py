"""Adopting a province's history: the imports of its assessors (MET numbers, licences, scopes) and its test sites
(type, verification) from the LSP's own registers, as background jobs of the core's import base
(:class:`certportal.jobs.models.UploadImport`, the certificate register's too): upload → read and checked by a
worker → preview → imported (every row or none) or discarded."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from certportal.files import RandomPath, private_files
from certportal.jobs.models import UploadImport


class AdoptionImport(UploadImport):
    """One upload of the assessors' register or the test sites' list (XLSX or CSV). ``rows`` is the checked
    preview (each row's values, its problems and what importing it would change); nothing is written before
    "applied"."""

    class Kind(models.TextChoices):
        ASSESSORS = "assessors", _("Assessors")
        TEST_SITES = "test_sites", _("Test sites (TUK)")

    kind = models.CharField(_("what is imported"), max_length=12, choices=Kind.choices)
    file = models.FileField(storage=private_files, upload_to=RandomPath("adoption"), max_length=300)

    class Meta(UploadImport.Meta):
        verbose_name = _("adoption import")
        verbose_name_plural = _("adoption imports")
        constraints = [models.UniqueConstraint(fields=["created_by", "digest"], condition=models.Q(
            status__in=["queued", "running"]) & ~models.Q(digest=""), name="adoptionimport_one_active_per_file")]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:adoption-import", kwargs={"public_id": self.public_id})

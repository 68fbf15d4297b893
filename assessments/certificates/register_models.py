"""An import of the LSP's certificate register (certificates issued on paper before the portal), as a background
job of the core's job base (certportal.jobs): the file is kept in private storage, a worker reads and checks every
row (queued → running → done, "read, to review"), the LSP admin reads the preview and imports it (done → queued
again, "importing": a worker writes every row or none, running → applied) or discards it. Loaded with the other models by :mod:`assessments.models`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from certportal.files import RandomPath, private_files
from certportal.jobs.models import UploadImport


class RegisterImport(UploadImport):
    """One upload of the register (XLSX or CSV). ``rows`` is the checked preview the LSP admin reads (each row's
    values and its problems); ``counts`` what it holds (new, already imported, faulty) and, once applied, what
    importing it did. Nothing reaches the certificates before "applied"."""

    file = models.FileField(storage=private_files, upload_to=RandomPath("register"), max_length=300)

    class Meta:
        verbose_name = _("certificate register import")
        verbose_name_plural = _("certificate register imports")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["created_by", "digest"], condition=models.Q(
            status__in=["queued", "running"]) & ~models.Q(digest=""), name="registerimport_one_active_per_file")]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:register-import", kwargs={"public_id": self.public_id})


__all__ = ["RegisterImport"]

from django.db import models
from django.utils.translation import gettext_lazy as _

from certportal.files import RandomPath, private_files


class LspProfile(models.Model):
    """One row (pk 1): what the LSP prints on its documents. Edited only through :func:`.services.profile_update`
    (audited); a document freezes these values when it is issued (:func:`.services.profile_snapshot`)."""

    name = models.CharField(_("name of the certification body (LSP)"), max_length=200)
    licence_number = models.CharField(_("BNSP licence number"), max_length=100, blank=True)
    # The LSP's own BNSP licence (ISO/IEC 17024, BNSP's licensing of an LSP): from when to when, the document, and
    # its scope (the codes of the schemes it may certify). Once "valid until" is recorded, planning an event,
    # deciding and issuing a certificate are refused outside the scope or the licence's dates (services.licence_refusal).
    licence_date = models.DateField(_("BNSP licence date"), null=True, blank=True)
    licence_valid_until = models.DateField(_("BNSP licence valid until"), null=True, blank=True)
    licence_document = models.FileField(_("BNSP licence document"), storage=private_files,
                                        upload_to=RandomPath("lsp-licence", "pdf"), max_length=300, blank=True)
    licence_scope = models.JSONField(_("licensed scope (scheme codes)"), default=list, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    # Where complaints are received (seed 001 item 6.1–6.4), listed on the public complaint page.
    complaint_office = models.CharField(_("complaints in person: office and address"), max_length=300, blank=True)
    complaint_email = models.EmailField(_("complaints e-mail"), max_length=200, blank=True)
    helpdesk = models.CharField(_("helpdesk (telephone, WhatsApp, hours)"), max_length=200, blank=True)
    lapor_url = models.URLField(_("SP4N-LAPOR! address"), max_length=200, blank=True,
                                default="https://www.lapor.go.id/")
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_position = models.CharField(_("signatory's position"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("signatory's NIP"), max_length=18, blank=True)
    # Never at a URL: private storage, random name; embedded into PDFs as a data URI, shown to the LSP admin by a
    # view that checks the role. A new logo is a new file; the old one stays for documents issued with it.
    logo = models.FileField(_("logo"), storage=private_files, upload_to=RandomPath("lsp"), max_length=300,
                            blank=True)
    kind = models.CharField(_("kind"), max_length=8, blank=True)  # of the logo: png or jpeg (RandomPath reads it)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # who changed what: the audit trail

    class Meta:
        verbose_name = _("LSP profile")
        verbose_name_plural = _("LSP profile")

    def __str__(self) -> str:
        return self.name

"""Labels of the LSP profile's audit codes (found by the audit app's ``autodiscover_modules``)."""

from django.utils.translation import gettext_lazy as _

from certportal.workflow import register_labels

register_labels({
    "lsp.profile.name": _("LSP name changed"),
    "lsp.profile.licence_number": _("BNSP licence number changed"),
    "lsp.profile.address": _("LSP address changed"),
    "lsp.profile.city": _("LSP city changed"),
    "lsp.profile.signatory_name": _("signatory's name changed"),
    "lsp.profile.signatory_position": _("signatory's position changed"),
    "lsp.profile.signatory_nip": _("signatory's NIP changed"),
    "lsp.profile.logo": _("LSP logo changed"),
    "lsp.profile.licence_date": _("BNSP licence date changed"),
    "lsp.profile.licence_valid_until": _("BNSP licence validity changed"),
    "lsp.profile.licence_document": _("BNSP licence document changed"),
    "lsp.profile.licence_scope": _("licensed scope changed"),
    "lsp.profile.complaint_office": _("complaint office changed"),
    "lsp.profile.complaint_email": _("complaints e-mail changed"),
    "lsp.profile.helpdesk": _("helpdesk changed"),
    "lsp.profile.lapor_url": _("SP4N-LAPOR! address changed"),
})

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
})

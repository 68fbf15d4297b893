"""Reading and changing the LSP profile, and what documents print from it."""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.errors import PortalError
from certportal.registry import ExtensionPoint

from .models import LspProfile

TEXT_FIELDS = ("name", "licence_number", "address", "city", "signatory_name", "signatory_position",
               "signatory_nip")
CHANNEL_FIELDS = ("complaint_office", "complaint_email", "helpdesk", "lapor_url")  # seed 001 item 6.1–6.4
DEFAULT_CITY = "Jakarta"
LICENCE_DATES = ("licence_date", "licence_valid_until")
LICENCE_FIELDS = (*LICENCE_DATES, "licence_document", "licence_scope")
WARN_MONTHS = 6  # the LSP admin's queue warns this long before the licence runs out

# The NIP's structure is the applicants app's knowledge (applicants.nip); the core must not import it, so that app
# provides its checker here (applicants/apps.py).
NIP_CHECK = ExtensionPoint("core.nip_check", "check(nip) -> [problem, ...]: what is wrong with a civil servant's NIP "
                           "(its 18 digits: date of birth, appointment, sex, number)", required=True)


class LspProfileError(PortalError):
    pass


def register_nip_check(check: Callable[[str], list[str]]) -> None:
    NIP_CHECK.provide(check)


def nip_problems(nip: str) -> list[str]:
    return NIP_CHECK.ask((nip or "").replace(" ", ""))


def current_profile() -> LspProfile:
    """The saved profile, or (before the LSP admin has saved one) an unsaved one from the settings."""
    return LspProfile.objects.filter(pk=1).first() or LspProfile(
        pk=1, name=settings.ASSESSMENT_LSP_NAME, city=DEFAULT_CITY)


def profile_snapshot(profile: LspProfile | None = None) -> dict:
    """What a document freezes at issue: the texts and the stored logo's name (logos are never overwritten)."""
    profile = profile or current_profile()
    return {**{f: getattr(profile, f) for f in TEXT_FIELDS}, "logo": profile.logo.name if profile.logo else ""}


def _licence_state(profile: LspProfile) -> dict:
    """The complaint channels and the licence's dates, document and scope as the audit trail writes them."""
    return {**{f: getattr(profile, f) for f in CHANNEL_FIELDS},
            "licence_date": profile.licence_date.isoformat() if profile.licence_date else "",
            "licence_valid_until": profile.licence_valid_until.isoformat() if profile.licence_valid_until else "",
            "licence_document": profile.licence_document.name or "",
            "licence_scope": ", ".join(profile.licence_scope or [])}


def _licence_values(values: dict, licence_scope) -> dict:
    """The licence's dates and scope as given (None: not on this form, kept)."""
    out = {k: values[k] for k in LICENCE_DATES if k in values}
    if out.get("licence_date") and out.get("licence_valid_until") and \
            out["licence_valid_until"] < out["licence_date"]:
        raise LspProfileError(_("The licence is valid until a date after the date it was granted."))
    if licence_scope is not None:
        out["licence_scope"] = sorted({str(code).strip() for code in licence_scope if str(code).strip()})
    return out


def profile_update(*, actor, logo=None, logo_kind: str = "", licence_document=None, licence_scope=None,
                   **values) -> LspProfile:
    """Save the profile; one audit entry per changed field (from, to). ``logo``, ``licence_document``: validated
    uploads (a PNG/JPEG, a PDF); ``licence_scope``: the scheme codes the BNSP licence covers (None: unchanged)."""
    licence = _licence_values(values, licence_scope)
    values = {k: " ".join(str(v).split()) for k, v in values.items() if k in (*TEXT_FIELDS, *CHANNEL_FIELDS)}
    values["signatory_nip"] = values.get("signatory_nip", "").replace(" ", "")
    if not values.get("name"):
        raise LspProfileError(_("Give the name of the certification body."))
    if values["signatory_nip"] and (problems := nip_problems(values["signatory_nip"])):
        raise LspProfileError(" ".join(problems))
    with transaction.atomic():
        profile, _created = LspProfile.objects.select_for_update().get_or_create(
            pk=1, defaults={"name": values["name"], "city": values.get("city") or DEFAULT_CITY})
        before = {**profile_snapshot(profile), **_licence_state(profile)}
        for field, value in {**values, **licence}.items():
            setattr(profile, field, value)
        if logo is not None:
            profile.kind = logo_kind
            profile.logo.save(logo.name, logo, save=False)
        if licence_document is not None:
            profile.licence_document.save("licence.pdf", licence_document, save=False)
        profile.save()
        after = {**profile_snapshot(profile), **_licence_state(profile)}
        for field in (*TEXT_FIELDS, "logo", *LICENCE_FIELDS, *CHANNEL_FIELDS):
            if before[field] != after[field] or (_created and after[field]):
                _audit_change(actor, profile, field, "" if _created else before[field], after[field])
    return profile


def _audit_change(actor, profile: LspProfile, field: str, before: str, after: str) -> None:
    """One audit entry for a changed field: from and to as they were, cut to the trail's state columns (a name of
    200 characters does not fit), the whole of a cut value in the note."""
    from certportal.audit.models import AuditEntry

    if field in ("logo", "licence_document"):
        new = _("new logo") if field == "logo" else _("new licence document")
        before, after = (new if v else "" for v in (before, after))
    room = AuditEntry._meta.get_field("to_state").max_length
    cut = [str(v) if len(str(v)) <= room else str(v)[:room - 1] + "…" for v in (before, after)]
    note = "" if cut == [str(before), str(after)] else f"{before} → {after}"
    audit_record(actor=actor, obj=profile, action=f"lsp.profile.{field}", from_state=cut[0], to_state=cut[1],
                 note=note)


@functools.lru_cache(maxsize=8)
def logo_data_uri(name: str) -> str:
    """The stored logo ``name`` as a data URI for a PDF (files are never overwritten, so caching by name is safe);
    "" when there is none or it cannot be read."""
    if not name:
        return ""
    from certportal.files import private_storage, sniff_kind

    try:
        with private_storage.open(name, "rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    kind = sniff_kind(data[:16])
    if kind not in ("png", "jpeg"):
        return ""
    mime = "image/png" if kind == "png" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def letterhead(snapshot: dict | None = None) -> dict:
    """The context of ``pdf/_letterhead.html`` and ``pdf/_signatory.html``: a frozen snapshot (a document issued
    before the profile existed has none: the current profile is printed, as the LSP name always was)."""
    lsp = dict(snapshot) if snapshot else profile_snapshot()
    lsp["logo_uri"] = logo_data_uri(lsp.get("logo", ""))
    return lsp

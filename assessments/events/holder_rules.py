"""What the holder accepts with the certificate-holder obligations (ISO/IEC 17024 9.7; Pedoman BNSP 05/2013 9.7):
the scheme's obligations and the LSP's rules for using the certificate and the LSP's and BNSP's marks.

The acceptance is a record of *which* text was accepted, not only when: :func:`accepted_text` freezes, on the
participation, the obligations and the rules as the holder read them (in Indonesian, the language they are
printed in), the rules' version and a SHA-256 fingerprint of both. Change :data:`USE_RULES` only with a new
:data:`USE_RULES_VERSION`, so that every acceptance says under which rules it was given."""

from __future__ import annotations

import hashlib
import json

from django.utils.translation import gettext_lazy, override

USE_RULES_VERSION = "2026.1"

USE_RULES = (
    gettext_lazy("Use the certificate only for the scheme and the units it lists, and only while it is valid: "
                 "not while it is suspended, after it is withdrawn or reduced, or after it expires."),
    gettext_lazy("Do not alter, copy in part or present the certificate in a way that misleads; show it whole, "
                 "with its verification code."),
    gettext_lazy("Use the LSP's logo and BNSP's logo only together with a valid certificate and only as the LSP "
                 "allows; never on products, services or documents the certification does not cover."),
    gettext_lazy("Stop using the certificate and the marks, and stop referring to the certification, once it is "
                 "suspended, withdrawn or reduced (for the units removed), and return or destroy copies when asked."),
)


def fingerprint(version: str, obligations: str, rules: list[str]) -> str:
    body = json.dumps({"version": version, "obligations": obligations, "use_rules": rules}, ensure_ascii=False,
                      sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def accepted_text(scheme) -> dict:
    """The text the holder accepts now, frozen: the rules' version, the obligations and the rules (Indonesian)
    and their SHA-256 fingerprint."""
    with override("id"):
        rules = [str(rule) for rule in USE_RULES]
    obligations = scheme.holder_obligations or ""
    return {"version": USE_RULES_VERSION, "language": "id", "obligations": obligations, "use_rules": rules,
            "sha256": fingerprint(USE_RULES_VERSION, obligations, rules)}

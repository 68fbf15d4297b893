"""One civil servant fetched from SIASN's web service by NIP, written to the roster like a row of an import.

BKN's SIASN answers ``GET {SIASN_API_URL}/pns/data-utama/{nip}`` with ``{"success": true, "data": {...}}``, the
"data utama" under the same names its exports use (``nipBaru``, ``nama``, ``unorIndukNama``...). The address and
the two tokens it asks for (the API gateway's, ``SIASN_API_KEY``, sent as ``Authorization: Bearer``; the SSO
token, ``SIASN_API_TOKEN``, sent as ``Auth: bearer``) live only in the configuration; with no address the portal
offers no fetch. The answer is checked as an imported row is (``agencies.roster_import.check``: the agency must be
on the portal's list...) and written by :func:`agencies.roster_apply.write`, so the person's history shows the
change; the fetch is audited on the entry (who, when, what came back).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.errors import PortalError

from . import roster_import as reading
from .models import RosterEntry, RosterSource
from .roster_apply import write

TIMEOUT = 10


class SiasnError(PortalError):
    """Why the fetch did not change the roster, in the reader's language."""


def configured() -> bool:
    return bool(settings.SIASN_API_URL)


def _get(nip: str) -> dict:
    base = settings.SIASN_API_URL.rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise SiasnError(_("The SIASN web service's address must start with https://."))
    request = urllib.request.Request(f"{base}/pns/data-utama/{nip}", headers={  # noqa: S310 - scheme checked
        "Accept": "application/json", "Authorization": f"Bearer {settings.SIASN_API_KEY}",
        "Auth": f"bearer {settings.SIASN_API_TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - scheme checked
            body = json.loads(response.read(1024 * 1024))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise SiasnError(_("SIASN does not know the NIP %(nip)s.") % {"nip": nip}) from None
        raise SiasnError(_("SIASN answered with an error (HTTP %(code)s); try again later.") % {
            "code": exc.code}) from None
    except (urllib.error.URLError, TimeoutError, ValueError, OSError):
        raise SiasnError(_("SIASN could not be reached or its answer could not be read; try again later.")) from None
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or not body.get("success", True):
        raise SiasnError(_("SIASN does not know the NIP %(nip)s.") % {"nip": nip})
    return data


def _row(data: dict) -> reading.Row:
    values = dict.fromkeys(reading.FIELDS, "")
    for name, value in data.items():
        key = reading.column_key(name)
        if key and isinstance(value, (str, int)) and not values[key]:
            values[key] = reading.cell_text(str(value))
    row = reading.Row(line=1, values=values)
    row.problems.extend(reading.cell_problems({}, values))
    return row


def fetch(nip: str, *, actor) -> RosterEntry:
    """Fetch ``nip`` from SIASN and write it to the roster (added or updated, with its history); refused with
    :class:`SiasnError` saying why (not configured, unreachable, unknown NIP, a faulty answer)."""
    if not configured():
        raise SiasnError(_("The SIASN web service is not configured."))
    nip = "".join(ch for ch in nip if ch.isdigit())[:18]
    row = reading.check(_row(_get(nip)), agencies=reading.agency_index(), seen={}, today=timezone.localdate())
    if row.values["nip"] != nip:
        row.problems.append(_("SIASN answered for another NIP."))
    if row.problems:
        raise SiasnError(" ".join(row.problems))
    with transaction.atomic():
        counts = write([row], job=None, whole=False, source=RosterSource.SIASN)
        entry = RosterEntry.objects.get(nip=nip)
        audit_record(actor=actor, obj=entry, action="agencies.rosterentry.fetched",
                     note=_("%(added)s added, %(changed)s changed, %(unchanged)s unchanged.") % counts)
    return entry

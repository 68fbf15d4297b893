"""The list of agencies (perangkat daerah) the LSP admin keeps: what a profile offers and the letters' letterheads
print."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certportal.audit.services import audit_record

from .models import Agency
from .workflow import ApplicationError


def agency_save(*, actor, name: str, agency: Agency | None = None, is_active: bool = True,
                address: str | None = None) -> Agency:
    """Add an agency to the master list, or rename / withdraw one, or give its address (printed on the letterhead of
    its letters; ``None`` keeps it) (audited). Names are unique, ignoring case."""
    name = " ".join(name.split())
    if not name:
        raise ApplicationError(_("Give the agency's name."))
    clash = Agency.objects.filter(name__iexact=name).exclude(pk=getattr(agency, "pk", None))
    if clash.exists():
        raise ApplicationError(_("“%(name)s” is already on the list.") % {"name": clash.first().name})
    before = agency.name if agency else ""
    agency = agency or Agency()
    agency.name, agency.is_active = name, is_active
    if address is not None:
        agency.address = " ".join(address.split())
    agency.save()
    audit_record(actor=actor, obj=agency, action="applicants.agency.saved", from_state=before,
                 to_state="active" if is_active else "inactive", note=name)
    return agency

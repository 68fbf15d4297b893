"""Reads of the agencies app: who speaks for which agency, and what each person may see."""

from __future__ import annotations

from applicants.models import Agency

from .models import AgencyMembership


def agency_of(user) -> Agency | None:
    """The agency an officer or head of a perangkat daerah is scoped to; None for everyone else (the Sekretaris
    Daerah serves every agency of the province)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = AgencyMembership.objects.select_related("agency").filter(user=user).first()
    return membership.agency if membership else None

"""The agency an agency officer or head speaks for, on the LSP admin's staff form (``certportal.accounts``
extensions): required for those two roles, kept off every other account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Agency
from certportal.accounts.extensions import StaffExtension
from certportal.accounts.models import Role

from .models import AgencyMembership
from .services import membership_save

SCOPED = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)


def _fields(instance) -> dict:
    membership = AgencyMembership.objects.filter(user=instance).first() if instance is not None else None
    return {
        "agency": forms.ModelChoiceField(
            label=gettext_lazy("Agency (perangkat daerah)"), required=False,
            queryset=Agency.objects.filter(is_active=True), initial=membership.agency_id if membership else None,
            help_text=gettext_lazy("Required for an agency staffing officer and a head of agency: they see and "
                                   "act for this agency only.")),
        "agency_position": forms.CharField(
            label=gettext_lazy("Position in the agency"), required=False, max_length=200,
            initial=membership.position if membership else "",
            help_text=gettext_lazy("Printed under their signature, e.g. Kepala Dinas Kesehatan.")),
    }


def _clean(data: dict) -> dict[str, str]:
    scoped = any(role in SCOPED for role in data.get("roles", []))
    if scoped and not data.get("agency"):
        return {"agency": _("Choose the agency this agency officer or head speaks for.")}
    return {}


def _save(*, user, data: dict, actor) -> None:
    scoped = any(role in SCOPED for role in data.get("roles", []))
    membership_save(actor=actor, user=user, agency=data.get("agency") if scoped else None,
                    position=data.get("agency_position", ""))


EXTENSION = StaffExtension(key="agencies", fields=_fields, clean=_clean, save=_save)

"""State machine of the pleno (the meeting that takes an event's certification decisions).

open → closed: while open, the LSP admin records the pleno's decisions (each a participant's ``decided_*``
transition, with the pleno); closing issues the decision letter (*Surat Keputusan*) with the decisions frozen
as printed, and no decision is recorded in it afterwards. Creating a pleno is not a transition (its rules are
:func:`assessments.events.services.pleno.pleno_create`; audit code ``assessments.pleno.created``).

When a pleno is required (events assessed on a validated assessment plan) is the participants' machine's rule,
:func:`assessments.workflow.participants.pleno_required` (docs/roles/lsp-admin.md, Pleno).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentRefused
from assessments.events.models import Pleno
from certportal.accounts.models import Role
from certportal.workflow import Machine, Transition

ADMIN = (Role.LSP_ADMIN,)


def _has_decisions(pleno: Pleno, user, at) -> str | None:
    if not pleno.participants.exclude(decision="").exists():
        return _("Record at least one decision in this pleno before closing it.")
    return None


PLENO = Machine(
    model=Pleno,
    states=Pleno.Status,
    refused=AssessmentRefused,
    labels={"created": gettext_lazy("pleno recorded")},
    transitions=[
        Transition(
            "closed",
            {Pleno.Status.OPEN},
            Pleno.Status.CLOSED,
            gettext_lazy("pleno closed, decision letter issued"),
            gettext_lazy("Close the pleno and issue the decision letter"),
            ADMIN,
            guard=_has_decisions,
            stamp="closed_at",
            url_name="assessments:pleno-close",
        ),
    ],
)


def machines() -> list:
    return [PLENO]

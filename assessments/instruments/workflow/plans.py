"""State machine of the assessment plan (FR.MAPA.01/02) of a scheme version.

draft → validated (in force) → superseded. An assessor in the scheme's scope makes the plan; a *second* assessor
in scope validates it (never its maker). Validating a plan supersedes the one in force before it (the portal's
own move, in the same transaction), so a scheme has at most one plan in force; events keep the plan they were
planned with (``Event.plan``). Creating and editing a draft are not transitions (``assessments.instruments.services.plans``,
audit codes ``assessments.assessmentplan.created`` / ``...edited``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentRefused
from assessments.events import hooks
from assessments.instruments.models.plans import PARTICIPANT_GROUPS, AssessmentPlan
from certportal.accounts.models import Role
from certportal.workflow import Machine, Transition, register_labels

P = AssessmentPlan.Status


def may_validate(user, plan: AssessmentPlan) -> bool:
    assessor = getattr(user, "assessor", None)
    return bool(assessor and assessor.is_active and assessor.in_scope(plan.scheme))


def _second_assessor(plan: AssessmentPlan, user, at) -> str | None:
    if plan.made_by_id == user.pk:
        return _("You made this plan: a second assessor validates it.")
    return hooks.declaration_missing(user, at) or plan_gaps(plan)  # the validator's declaration of interest


def plan_gaps(plan: AssessmentPlan) -> str | None:
    """Why the plan is not complete (None when it is): every unit of the scheme has evidence for both potentials
    participants are given (:data:`PARTICIPANT_GROUPS`)."""
    rows = set(plan.evidence.values_list("unit_id", "group"))
    for su in plan.scheme.scheme_units.select_related("unit").order_by("position"):
        for group in PARTICIPANT_GROUPS:
            if (su.unit_id, group.value) not in rows:
                return _("Unit %(code)s has no planned evidence for the group “%(group)s”.") % {
                    "code": su.unit.code, "group": group.label}
    return None


PLAN = Machine(
    model=AssessmentPlan,
    states=P,
    refused=AssessmentRefused,
    labels={"created": gettext_lazy("assessment plan made"), "edited": gettext_lazy("assessment plan edited")},
    transitions=[
        Transition("validated", {P.DRAFT}, P.VALIDATED, gettext_lazy("assessment plan validated, in force"),
                   gettext_lazy("Validate the plan and put it in force"), (Role.ASSESSOR,), allowed=may_validate,
                   guard=_second_assessor, stamp="validated_at", url_name="assessments:plan-validate"),
        Transition("superseded", {P.VALIDATED}, P.SUPERSEDED, gettext_lazy("assessment plan superseded"),
                   stamp="superseded_at", system=True),
    ],
)


def machines() -> list:
    return [PLAN]


# Other writes of this area, audited without a machine of their own (the scheme's instruments, FR.VA).
register_labels({
    "assessments.scheme.instruments_set": gettext_lazy("instruments of the scheme set"),
    "assessments.instrumentvalidation.recorded": gettext_lazy("validation of the instruments recorded (FR.VA)"),
})

"""Who keeps a scheme's question bank, and the refusals of the bank (both audited).

- :func:`keeper_candidates`: the people the LSP admin may assign (active assessors and LSP admins).
- :func:`bank_keeper_assign` / :func:`bank_keeper_remove`: the LSP admin assigns a person to keep a scheme's bank
  (they then read its keys and write its items) or takes the assignment back
  (``assessments.bankkeeper.assigned`` / ``.removed`` on the scheme). Nobody keeps the bank of a scheme they are
  being assessed on.
- :func:`bank_refused`: the audit row of a bank page or key refused to a member of staff
  (``assessments.bankitem.refused``), with the reason they were shown.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.errors import AssessmentError
from assessments.instruments.models.plans import BankKeeper
from assessments.instruments.selectors import scheme_codes_assessed_on
from certportal.accounts.models import Role
from certportal.audit.services import audit_record


def keeper_candidates():
    """Active assessors and LSP admins, found from their roles (a few hundred rows, read here) and then by
    primary key: a join or a subquery let the planner merge them with the whole users' index (applicants
    included), read up to the highest of their ids."""
    from certportal.accounts.models import UserRole

    staff = list(UserRole.objects.filter(role__in=(Role.ASSESSOR, Role.LSP_ADMIN)).values_list("user_id", flat=True))
    return get_user_model().objects.filter(is_active=True, pk__in=staff).order_by("full_name", "id")


def bank_keeper_assign(scheme, person, *, actor) -> BankKeeper:
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP admin assigns who keeps a question bank."))
    if not keeper_candidates().filter(pk=person.pk).exists():
        raise AssessmentError(_("A question bank is kept by an active assessor or LSP admin."))
    if scheme.code in scheme_codes_assessed_on(person):
        raise AssessmentError(_("%(name)s is being assessed on this scheme and cannot keep its question bank.")
                              % {"name": person.full_name})
    with transaction.atomic():
        keeper, created = BankKeeper.objects.get_or_create(scheme=scheme, user=person,
                                                           defaults={"assigned_by": actor})
        if not created:
            raise AssessmentError(_("%(name)s already keeps this question bank.") % {"name": person.full_name})
        audit_record(actor=actor, obj=scheme, action="assessments.bankkeeper.assigned",
                     note=f"{person.full_name} <{person.email}>")
    return keeper


def bank_keeper_remove(keeper: BankKeeper, *, actor) -> None:
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP admin assigns who keeps a question bank."))
    with transaction.atomic():
        audit_record(actor=actor, obj=keeper.scheme, action="assessments.bankkeeper.removed",
                     note=f"{keeper.user.full_name} <{keeper.user.email}>")
        keeper.delete()


def bank_refused(*, actor, scheme, reason: str) -> None:
    audit_record(actor=actor, obj=scheme, action="assessments.bankitem.refused", note=str(reason)[:500])

"""The LSP's own BNSP licence as a rule: nothing is certified outside its scope or its dates.

The apps ask :func:`licence_refusal` from their guards (planning an event, the certification decision, issuing a
certificate), so the pages offer no button the service would refuse. The core knows no scheme: the schemes app
registers the choices of the licensed scope (:func:`register_scope_choices`). Until the LSP admin records the
licence's "valid until", the portal cannot know the licence and refuses nothing for it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import dates
from certportal.registry import ExtensionPoint
from certportal.workqueue import WorkItem, reads

from .models import LspProfile
from .services import WARN_MONTHS

SCOPE_CHOICES = ExtensionPoint("core.licence_scope_choices", "fn() -> [(scheme code, label), ...]: what the BNSP "
                               "licence's scope may name (the schemes app's schemes)", required=True)


def register_scope_choices(fn: Callable[[], list[tuple[str, str]]]) -> None:
    """``fn() -> [(scheme code, label), ...]``: what the licensed scope may name (the schemes app's schemes)."""
    SCOPE_CHOICES.provide(fn)


def scope_choices() -> list[tuple[str, str]]:
    return SCOPE_CHOICES.ask()


def recorded_licence() -> LspProfile | None:
    """The profile when its licence is recorded (a "valid until" date), else None."""
    return LspProfile.objects.filter(pk=1, licence_valid_until__isnull=False).first()


def licence_refusal(scheme_code: str, on: datetime.date, profile: LspProfile | None = None) -> str | None:
    """Why the LSP may not certify ``scheme_code`` on ``on`` under its BNSP licence, or None."""
    profile = profile or recorded_licence()
    if profile is None or profile.licence_valid_until is None:
        return None
    number = profile.licence_number or "—"
    if profile.licence_date and on < profile.licence_date:
        return _("The LSP's BNSP licence %(number)s is in force from %(date)s, not yet on %(day)s.") % {
            "number": number, "date": dates.day(profile.licence_date), "day": dates.day(on)}
    if on > profile.licence_valid_until:
        return _("The LSP's BNSP licence %(number)s is valid until %(date)s, not on %(day)s: record the renewed "
                 "licence on the LSP profile first.") % {
            "number": number, "date": dates.day(profile.licence_valid_until), "day": dates.day(on)}
    return scope_refusal(scheme_code, profile)


def licensed_scope(profile: LspProfile | None = None) -> list[str] | None:
    """The scheme codes the recorded licence covers, or None while no licence is recorded (nothing is refused)."""
    profile = profile or recorded_licence()
    return None if profile is None else list(profile.licence_scope or [])


def scope_refusal(scheme_code: str, profile: LspProfile | None = None) -> str | None:
    """Why ``scheme_code`` is outside the licensed scope, or None: applications are not taken for such a scheme
    (the catalogue, the start page, the agencies' rounds and invitations ask this), nor is it certified."""
    profile = profile or recorded_licence()
    if profile is None or scheme_code in (profile.licence_scope or []):
        return None
    return _("The scheme %(code)s is not in the scope of the LSP's BNSP licence %(number)s: the LSP may not "
             "certify it until BNSP licenses it and it is added to the scope on the LSP profile.") % {
        "code": scheme_code, "number": profile.licence_number or "—"}


MIN_VERIFIERS = 2  # seed 001 item 11 "Jumlah Pelaksana: Minimal 2 orang"


@reads("accounts.User", "accounts.UserRole", "lsp.LspProfile")
def lsp_admin_work(user) -> list[WorkItem]:
    return [*_verifiers_work(), *_licence_work()]


def _verifiers_work() -> list[WorkItem]:
    """Fewer than two active verifiers (BKPSDM officers) to serve: the service standard's minimum staffing."""
    from certportal.accounts.models import Role, User

    active = User.objects.with_role(Role.VERIFIER).count()
    if active >= MIN_VERIFIERS:
        return []
    label = _("Active verifiers: %(n)s of the %(min)s the service standard requires") % {
        "n": active, "min": MIN_VERIFIERS}
    return [WorkItem(label, active, reverse("accounts:staff-list"), 1, "verifiers")]


def _licence_work() -> list[WorkItem]:
    """From six months before the licence runs out, the LSP admin's queue says so (in red once it has)."""
    profile = recorded_licence()
    if profile is None:
        return []
    today = timezone.localdate()
    until = profile.licence_valid_until
    if today < until - relativedelta(months=WARN_MONTHS):
        return []
    args = {"number": profile.licence_number or "—", "date": dates.day(until)}
    if today > until:
        label = _("The LSP's BNSP licence %(number)s expired on %(date)s: nothing can be certified") % args
    else:
        label = _("The LSP's BNSP licence %(number)s expires on %(date)s: renew it") % args
    return [WorkItem(label, 1, reverse("lsp:profile"), int(today > until), "lsp-licence")]

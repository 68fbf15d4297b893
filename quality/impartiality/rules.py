"""Who must declare, what is current, and the refusal the test event shows for want of a declaration."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from certportal import dates
from certportal.accounts.models import LSP_PERSONNEL, STAFF_ROLES, Role

from .models import Declaration

# Who assesses (assessors), reviews (SOP step 7: the head of the test site, quality) or decides (the LSP admin, and
# anyone seated in a pleno, who is asked when seated): each signs a yearly declaration.
DECLARING_ROLES = LSP_PERSONNEL
# Any member of staff may be seated in a pleno, so any may sign; the menu offers it to the declaring roles and the
# supervisor, and the LSP admin's queue follows the declaring roles.
SIGNERS = tuple(STAFF_ROLES)
MENU_SIGNERS = (*DECLARING_ROLES, Role.SUPERVISOR)
DUE_WITHIN_DAYS = 30


def one_year_from(day: datetime.date) -> datetime.date:
    """The last day of a declaration signed on ``day``: the day before its anniversary."""
    try:
        anniversary = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        anniversary = day.replace(year=day.year + 1, day=28) + datetime.timedelta(days=1)
    return anniversary - datetime.timedelta(days=1)


def current_declaration(user, day: datetime.date | None = None) -> Declaration | None:
    day = day or timezone.localdate()
    return (Declaration.objects.filter(user=user, valid_from__lte=day, valid_until__gte=day)
            .order_by("-valid_until").first())


def declaration_missing(user, at: datetime.datetime | None = None) -> str | None:
    """Why ``user`` may not assess, review, sit in a pleno or decide at ``at`` for want of a current declaration
    (with a link to sign it), or None. Provided to :mod:`assessments.events.hooks` as ``declaration_missing``."""
    if user is None or not getattr(user, "pk", None):
        return None
    day = timezone.localdate(at) if at else timezone.localdate()
    known = user.__dict__.setdefault("_declared_on", {})  # one query per person and day, not per row of a page
    if day not in known:
        known[day] = current_declaration(user, day) is not None
    if known[day]:
        return None
    return format_html(
        '{} <a href="{}">{}</a>',
        _("%(name)s has no current declaration of interest and confidentiality (ISO/IEC 17024 4.3) for "
          "%(date)s: no one assesses, reviews, sits in a pleno or decides without one.")
        % {"name": user.full_name, "date": dates.day(day)},
        reverse("quality:declaration-sign"), _("Sign the declaration"))


def declaring_people(today: datetime.date | None = None):
    """Every active person in the declaring roles with ``declared_until`` (None: no current declaration)."""
    from certportal.accounts.models import UserRole

    today = today or timezone.localdate()
    holders = UserRole.objects.filter(role__in=DECLARING_ROLES).values("user_id")
    return (get_user_model().objects.filter(is_active=True, pk__in=holders)
            .annotate(declared_until=Max("declarations__valid_until",
                                         filter=Q(declarations__valid_from__lte=today,
                                                  declarations__valid_until__gte=today)))
            .order_by("full_name"))


def due_people(today: datetime.date | None = None):
    """Those of :func:`declaring_people` whose declaration is missing or ends within 30 days."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    return declaring_people(today).filter(Q(declared_until__isnull=True) | Q(declared_until__lte=soon))

"""The reminder sweep: due-soon warnings and breach notices to the responsible staff, escalations to the
supervisors, each exactly once per clock and threshold.

Cost: three indexed selections (outcome + due date) that only ever return items past a threshold and not yet
noticed (``NOT EXISTS`` on the notice's unique index), so open items that are not due cost nothing.
Exactly once: the ``Notice`` row is INSERTed first, in the same transaction as the notifications; a
concurrent sweep blocks on the unique index and then skips, a crashed one rolls back and the retry sends.
State-based, not time-based: a sweep that runs after the broker was down for days catches up on everything.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from certportal.accounts.models import Role, User
from certportal.notifications.services import notify

from . import calendar as cal
from .models import Clock, Notice, SlaPolicy
from .registry import describe, registered_sweeps, responsible_many, tracked_for
from .services import local_date

log = logging.getLogger(__name__)
BATCH = 500
T = Notice.Threshold


@dataclass
class SweepResult:
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: int = 0

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def candidates(threshold: str, today: date, soon_by_policy: dict[int, date]):
    """Open, running clocks past ``threshold`` that have no notice for it yet (indexed by due date)."""
    qs = Clock.objects.filter(outcome=Clock.Outcome.OPEN, paused_since__isnull=True)
    if threshold == T.DUE_SOON:
        per_policy = Q(pk__in=[])
        for policy_id, soon in soon_by_policy.items():
            per_policy |= Q(policy_id=policy_id, target_due__lte=soon)
        # the outer range keeps it an index range scan; the per-policy bounds refine it
        qs = qs.filter(per_policy, target_due__gte=today, target_due__lte=max(soon_by_policy.values(), default=today))
    elif threshold == T.OVERDUE:
        qs = qs.filter(target_due__lt=today)
    else:
        qs = qs.filter(limit_due__lt=today)
    done = Notice.objects.filter(clock=OuterRef("pk"), threshold=threshold)
    return qs.filter(~Exists(done)).select_related("policy").order_by("pk")


def soon_dates(today: date) -> dict[int, date]:
    calendar = cal.WorkCalendar.load(today, today + timedelta(days=120))
    return {p.pk: cal.add_working_days(today, p.warn_days, calendar) for p in SlaPolicy.objects.all()}


def _objects_for(clocks: list[Clock]) -> dict[tuple[int, int], object]:
    """The tracked items of ``clocks``: one query per type, with the relations their labels read."""
    by_type: dict[int, list[int]] = defaultdict(list)
    for c in clocks:
        by_type[c.content_type_id].append(c.object_id)
    found = {}
    for ct_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()  # cached: no query after the first
        if model is None:
            continue
        entry = tracked_for(model)
        qs = entry.queryset() if entry else model._default_manager.all()
        for pk, obj in qs.in_bulk(ids).items():
            found[(ct_id, pk)] = obj
    return found


def _people_for(objects: dict[tuple[int, int], object]) -> dict[tuple[int, int], list]:
    by_type: dict[int, list] = defaultdict(list)
    for (ct_id, _pk), obj in objects.items():
        by_type[ct_id].append(obj)
    return {(ct_id, pk): users for ct_id, objs in by_type.items()
            for pk, users in responsible_many(type(objs[0]), objs).items()}


def supervisors() -> list:
    return list(User.objects.with_role(Role.SUPERVISOR).filter(is_active=True))


def send_notice(clock: Clock, threshold: str, obj, today: date, bosses: list, responsible: list | None = None) -> bool:
    """Claim the notice row, then notify; all or nothing. False when another sweep already claimed it.

    ``responsible``: the item's staff when the caller resolved them for the whole batch."""
    label, url = describe(obj) if obj is not None else (str(clock), "")
    if threshold == T.ESCALATED:
        people = bosses
    else:
        if responsible is None and obj is not None:
            responsible = responsible_many(type(obj), [obj]).get(obj.pk, [])
        people = responsible or bosses
    context = {"clock": clock, "label": label, "policy_name": clock.policy.name, "threshold": threshold,
               "target_due": clock.target_due, "limit_due": clock.limit_due, "today": today}
    with transaction.atomic():
        try:
            with transaction.atomic():
                Notice.objects.create(clock=clock, threshold=threshold, recipients=len(people))
        except IntegrityError:
            return False
        for user in people:
            notify(user, template=f"sla/email/{threshold}", context=context, url=url,
                   key=f"sla:{clock.pk}:{threshold}")
    return True


def run_sweep(today: date | None = None, batch: int = BATCH) -> SweepResult:
    today = today or local_date()
    result = SweepResult()
    soon = soon_dates(today)
    bosses = None
    for threshold in (T.ESCALATED, T.OVERDUE, T.DUE_SOON):
        last_pk = 0
        while True:
            clocks = list(candidates(threshold, today, soon).filter(pk__gt=last_pk)[:batch])
            if not clocks:
                break
            last_pk = clocks[-1].pk
            objects = _objects_for(clocks)
            people = _people_for(objects) if threshold != T.ESCALATED else {}
            if bosses is None:
                bosses = supervisors()
            for clock in clocks:
                key = (clock.content_type_id, clock.object_id)
                if send_notice(clock, threshold, objects.get(key), today, bosses, people.get(key, [])):
                    result.sent[threshold] += 1
                else:
                    result.skipped += 1
    for name, fn in registered_sweeps().items():
        sent = fn(today)
        if sent:
            result.sent[name] += sent
    log.info("SLA sweep %s: sent %s, skipped %s", today, dict(result.sent), result.skipped)
    return result

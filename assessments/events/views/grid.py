"""The results grid: every participant x every unit of an event on one page, each cell saved on its own."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.events.models import (
    Event,
    Result,
    UnitResult,
)
from assessments.events.selectors import (
    events_visible_to,
    get_or_403,
)
from assessments.events.views import panels
from assessments.events.views.events import ADMIN
from assessments.events.views.participants import _record_result
from certportal.accounts.models import Role
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_service


def _grid_rows(event: Event, user, participants) -> tuple[list, list]:
    """The columns (units, in scheme order) and a row per participant: each cell the recorded result, whether the
    unit is assessed in this sitting, and the row's reason it cannot be recorded now (empty: it can). A constant
    number of queries whatever the size: the rule of each row is the workflow's own (``result_recorded``), read
    from rows loaded with what it needs."""
    from schemes.models import SchemeUnit

    participants = list(participants.select_related("application__applicant", "assessor__user")
                        .prefetch_related("assessor__schemes", "reassess_units").order_by("application__applicant_name",
                                                                                          "pk"))
    links = list(SchemeUnit.objects.filter(scheme_id__in={p.application.scheme_id for p in participants}
                                           | {event.scheme_id}).select_related("unit").order_by("position", "pk"))
    units, by_scheme = {}, {}
    for link in links:
        units.setdefault(link.unit_id, link.unit)
        by_scheme.setdefault(link.scheme_id, set()).add(link.unit_id)
    results = {(r.participant_id, r.unit_id): r for r in UnitResult.objects.filter(participant__in=participants)}
    for p in participants:
        p.event = event  # one event object for every row's rule
    # issue 19: the plan's evidence per cell with the instrument records behind it (two queries for the grid)
    evidence = panels.grid_evidence(participants) if event.plan_id else {}
    rows = []
    for p in participants:
        assessed = by_scheme.get(p.application.scheme_id, set())
        if p.reassessment_of_id:
            assessed = assessed & {u.pk for u in p.reassess_units.all()}
        action = allowed_actions(p, user, only=("result_recorded",))["result_recorded"]
        rows.append({"p": p, "editable": action.allowed, "reason": action.reason if action.offer_reason else "",
                     "cells": [{"unit": u, "result": results.get((p.pk, u.pk)), "assess": u.pk in assessed,
                                **evidence.get((p.pk, u.pk), {})} for u in units.values()]})
    return list(units.values()), rows



@role_required(Role.ASSESSOR, ADMIN)
def event_grid(request, pk):
    """The assessor's grid of their participants of the event (the LSP admin sees every participant, read-only).
    Each cell is saved on its own as it changes (:func:`event_grid_save`)."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    participants = event.participants.all()
    is_admin = request.user.has_role(ADMIN)
    if not is_admin:
        participants = participants.filter(assessor__user=request.user)
    units, rows = _grid_rows(event, request.user, participants)
    return render(request, "assessments/grid.html", {
        # nothing can be saved on a locked event: no evidence field, no autosave hint, no saving script
        "event": event, "units": units, "rows": rows, "locked": event.is_locked,
        "read_only": (is_admin or event.is_locked) and not any(r["editable"] for r in rows),
        "results_choices": Result.choices})



@require_POST
@role_required(Role.ASSESSOR)
def event_grid_save(request, pk):
    """One cell of the grid (JSON): the result service records it with its rules, or its refusal is answered."""
    event = get_or_403(events_visible_to(request.user), pk=pk)
    participant = event.participants.filter(pk=request.POST.get("participant") or None,
                                            assessor__user=request.user).first()
    from schemes.models import Unit

    unit = Unit.objects.filter(pk=request.POST.get("unit") or None).first()
    if participant is None or unit is None:
        raise Http404
    refusal = {}
    data = {k: request.POST.get(k, "") for k in ("result", "evidence", "explanation", "evidence_gap_reason")}
    saved = run_service(request, lambda: _record_result(participant, request.user, unit, data),
                        refused=lambda exc: refusal.setdefault("message", exc.message))
    if not saved:
        return JsonResponse({"saved": False, "message": refusal["message"]}, status=422)
    row = UnitResult.objects.get(participant=participant, unit=unit)
    return JsonResponse({"saved": True, "result": row.result, "evidence": row.evidence,
                         "explanation": row.explanation, "evidence_gap_reason": row.evidence_gap_reason,
                         "message": str(_("saved"))})


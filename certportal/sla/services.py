"""Clock API used by every app (CONTRACT — the SLA issue implements it; other apps call exactly this).

    from certportal.sla import services as sla
    sla.start_clock(obj, "certification", at=None)   # idempotent; at defaults to now; copies the policy's numbers
    sla.pause_clock(obj, "certification", at=None)   # e.g. while waiting on the applicant
    sla.resume_clock(obj, "certification", at=None)  # due dates move by the working days spent paused
    sla.stop_clock(obj, "certification", at=None)    # records outcome met / breached
    sla.cancel_clock(obj, "certification")           # withdrawn / rejected: the clock no longer counts
    sla.clock_for(obj, "certification")              # Clock or None
    sla.clock_state(clock, today=None)               # 'on_track' | 'due_soon' | 'overdue' | 'met' | 'breached' | 'paused'
    sla.annotate_deadline(queryset, "certification") # adds sla_target_due, sla_limit_due, sla_outcome (one query)
    sla.filter_deadline_state(queryset, "certification", "due_soon", today=None)  # on_track / due_soon / overdue

    from certportal.sla.registry import register_tracked
    register_tracked(Model, responsible=lambda obj: [users], label=lambda obj: "text", url=lambda obj: "/path")

Policy codes shipped: "certification" (14/30 working days), "complaint-followup" (3), "complaint-answer" (14),
"appeal" (configurable). Working days come from the calendar in the database.
"""

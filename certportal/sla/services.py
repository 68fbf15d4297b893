"""Clock API used by every app (CONTRACT). Apps start, pause, resume and stop clocks on their objects:

    from certportal.sla import services as sla
    sla.start_clock(obj, "certification", at=timezone.now())
    sla.pause_clock(obj, "certification"); sla.resume_clock(obj, "certification")
    sla.stop_clock(obj, "certification")          # records met / breached
    sla.clock_for(obj, "certification")           # Clock or None
    sla.clock_state(clock, today=None)            # 'on_track' | 'due_soon' | 'overdue' | 'met' | 'breached'

Working days come from the calendar in :mod:`certportal.sla.calendar` (SLA issue).
"""

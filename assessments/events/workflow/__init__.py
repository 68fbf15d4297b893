"""The test event's state machines, declared for the workflow core: :mod:`.events` (events and their SOP steps),
:mod:`.participants` (participants, results, decisions, appeals) and :mod:`.pleno` (the decision meeting). Each
module's ``machines()`` returns its :class:`certportal.workflow.Machine` objects; :mod:`assessments.events.wiring`
registers them."""


def machines() -> list:
    from assessments.events.workflow import events, participants, pleno

    return [machine for module in (events, participants, pleno) for machine in module.machines()]

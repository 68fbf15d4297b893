"""The assessments app's state machines, declared for the workflow core (registered in ``AssessmentsConfig.ready``).

One module per subdomain, each with ``machines()`` returning its :class:`certportal.workflow.Machine` objects:
:mod:`.events` (events and their SOP steps), :mod:`.participants` (participants, results, decisions, appeals),
:mod:`.certificates` (certificates, handovers, print jobs), :mod:`.pleno` (the decision meeting).
"""


def register_all() -> None:
    from certportal import workflow

    from . import certificates, events, participants, pleno

    for module in (events, participants, certificates, pleno):
        for machine in module.machines():
            workflow.register(machine)

"""The assessments app's state machines, declared for the workflow core (registered in ``AssessmentsConfig.ready``).

One module per subdomain, each with ``machines()`` returning its :class:`certportal.workflow.Machine` objects:
:mod:`.events` (events and their SOP steps), :mod:`.participants` (participants, results, decisions, appeals),
:mod:`.certificates` (certificates, handovers, print jobs), :mod:`.pleno` (the decision meeting), :mod:`.plans`
(the assessment plan), :mod:`.instruments` (instrument records), :mod:`.written_test` (the browser FR.IA.05 test),
:mod:`.records` (FR.AK.01/05/06/07).
"""


def register_all() -> None:
    from certportal import workflow

    from . import certificates, events, instruments, participants, plans, pleno, records, written_test

    for module in (events, participants, certificates, pleno, plans, instruments, written_test, records):
        for machine in module.machines():
            workflow.register(machine)

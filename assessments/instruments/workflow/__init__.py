"""The assessment instruments' state machines, declared for the workflow core: :mod:`.plans` (the assessment
plan), :mod:`.instruments` (instrument records), :mod:`.written_test` (the browser FR.IA.05 test) and
:mod:`.records` (the labels of FR.AK.01/05/06/07, which are signed records without a life of statuses).
:mod:`assessments.instruments.wiring` registers them."""


def machines() -> list:
    from assessments.instruments.workflow import instruments, plans, records, written_test

    return [machine for module in (plans, instruments, written_test, records) for machine in module.machines()]

"""The assessment instruments' registrations, made once in ``AssessmentsConfig.ready``: their state machines,
menus and the sweep of written tests whose time ran out; and what the test event asks of them without importing
them (:mod:`assessments.events.hooks`: the plan in force, the evidence for a unit, the FR.AK.01 consents, the FR.AK.06 review) and shows
of them on its pages (:mod:`assessments.events.views.panels`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from assessments.instruments.workflow import machines
    from certportal import workflow
    from certportal.sla.registry import register_sweep

    for machine in machines():
        workflow.register(machine)
    _menus()
    _forget_the_bank_counts()
    _answer_the_event()
    _panels()
    from assessments.instruments.services import assessment_files

    assessment_files.register()  # the assessment file and the event's archive of files: background documents
    from assessments.instruments.services.written_test import written_tests_expire_due

    register_sweep("written-test-deadlines", written_tests_expire_due)  # FR.IA.05 tests whose time ran out


def _menus() -> None:
    from certportal import menus
    from certportal.accounts.models import Role

    for role, order in ((Role.LSP_ADMIN, 56), (Role.ASSESSOR, 11)):  # the confidential question banks
        menus.register(role, _("Question banks"), "assessments:bank", icon="shield-lock", order=order,
                       group=menus.ASSESSMENT if role == Role.LSP_ADMIN else None)
    for role, order in ((Role.ASSESSOR, 12), (Role.QUALITY, 12), (Role.LSP_ADMIN, 57)):  # assessment plans
        menus.register(role, _("Assessment plans"), "assessments:plans", icon="diagram-3", order=order,
                       group=menus.ASSESSMENT if role == Role.LSP_ADMIN else None)


_bank_forgetter = None


def _forget_the_bank_counts() -> None:
    """The question banks' counts per unit and instrument are kept a minute (``services.bank.bank_counts``); an
    item added, edited, taken out of use or back (each a save), or deleted, forgets them at once."""
    global _bank_forgetter
    from django.db.models.signals import post_delete, post_save

    from assessments.instruments.models.plans import BankItem
    from assessments.instruments.services.bank import COUNT_FIGURES
    from certportal import figures

    _bank_forgetter = figures.forgetter(COUNT_FIGURES)
    post_save.connect(_bank_forgetter, sender=BankItem, dispatch_uid="bank-count-save")
    post_delete.connect(_bank_forgetter, sender=BankItem, dispatch_uid="bank-count-delete")


def _answer_the_event() -> None:
    from assessments.events import hooks
    from assessments.instruments.services.consents import consent_missing
    from assessments.instruments.services.plans import evidence_state, plan_in_force
    from assessments.instruments.services.records import report_missing, report_refusal, review_missing

    hooks.PLAN_IN_FORCE.provide(plan_in_force)
    hooks.EVIDENCE_STATE.provide(evidence_state)
    hooks.CONSENT_MISSING.provide(consent_missing)
    hooks.REVIEW_MISSING.provide(review_missing)  # FR.AK.06 before SOP step 7
    hooks.REPORT_MISSING.provide(report_missing)  # and an FR.AK.05 before it (issue 43)
    hooks.REPORT_REFUSAL.provide(report_refusal)


def _panels() -> None:
    from assessments.events.views import panels
    from assessments.instruments.views import event_pages, instruments, records

    panels.add_context("event", event_pages.event_context)
    panels.add_context("participant", event_pages.participant_context)
    panels.add_context("my_participation", event_pages.my_participation_context)
    panels.UNIT_EVIDENCE.provide(instruments.unit_evidence)
    panels.GRID_EVIDENCE.provide(instruments.grid_evidence)
    panels.ACTIONS.provide(records.consent_action, key="agree")  # FR.AK.01: the participant consents by typing their name

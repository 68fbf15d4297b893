"""The certificates' registrations, made once in ``AssessmentsConfig.ready``: their state machines, the print
job kind and its task labels, menus and the public verification link, the sweep of expiry reminders; what follows
a corrected result (:mod:`assessments.events.hooks`); and what they show on the test event's pages
(:mod:`assessments.events.views.panels`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from assessments.certificates.models import PrintJob
    from assessments.certificates.register_models import RegisterImport
    from assessments.certificates.services.register_jobs import machines as register_machines
    from assessments.certificates.services.reminders import expiry_reminders_sweep
    from assessments.certificates.workflow import machines
    from assessments.certificates.workflow_scope import machines as scope_machines
    from certportal import workflow
    from certportal.jobs.registry import register_kind
    from certportal.outbox.registry import register_task_label
    from certportal.sla.registry import register_sweep

    for machine in [*machines(), *scope_machines(), *register_machines()]:
        workflow.register(machine)
    register_kind(PrintJob, queued_minutes="ASSESSMENT_PRINT_QUEUED_MINUTES",
                  running_minutes="ASSESSMENT_PRINT_RUNNING_MINUTES", task="assessments.tasks.run_print_job")
    register_kind(RegisterImport, queued_minutes="ASSESSMENT_REGISTER_QUEUED_MINUTES",
                  running_minutes="ASSESSMENT_REGISTER_RUNNING_MINUTES")
    register_task_label("assessments.tasks.read_register", _("Reading the certificate register"))
    register_task_label("assessments.tasks.apply_register", _("Importing the certificate register"))
    # (the names of certificates.services.printing.RUN_TASK and CHUNK_TASK: that module loads the PDF renderer)
    register_task_label("assessments.tasks.run_print_job", _("Certificate printing"))
    register_task_label("assessments.tasks.render_print_chunk", _("Certificate printing (a part)"))
    _menus()
    register_sweep("certificate-expiry", expiry_reminders_sweep)
    _after_a_correction()
    _panels()
    _forget_the_count()
    from assessments.certificates.services import event_papers

    event_papers.register()  # the archive of SOP step 8: a background document


def _menus() -> None:
    from certportal import menus
    from certportal.accounts.models import Role

    menus.register(Role.LSP_ADMIN, _("Certificates"), "assessments:certificates", icon="award", order=51,
                   group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("BNSP registration"), "assessments:bnsp", icon="journal-check", order=54,
                   group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("Certificate register"), "assessments:register", icon="journal-arrow-down",
                   order=53, group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("Holder reports"), "assessments:holder-reports", icon="flag", order=54,
                   group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("Surveillance"), "assessments:surveillance", icon="eye", order=55,
                   group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("Misuse reports"), "assessments:misuse-reports", icon="shield-exclamation",
                   order=56, group=menus.ASSESSMENT)
    menus.register(Role.LSP_ADMIN, _("API tokens"), "assessments:api-tokens", icon="key", order=95,
                   group=menus.ADMINISTRATION)
    menus.register(Role.VERIFIER, _("Certificate handover"), "assessments:certificates", icon="award", order=40)
    menus.register_public(_("Verify a certificate"), "assessments:verify", icon="patch-check", order=20)


def _after_a_correction() -> None:
    """A result corrected after the decision withdraws the issued result letter, then suspends the certificate
    until the new decision (inside the correction's transaction)."""
    from assessments.certificates.services.issue import suspend_after_correction, withdraw_letters
    from assessments.events import hooks

    hooks.AFTER_RESULT_CORRECTED.provide(withdraw_letters)
    hooks.AFTER_RESULT_CORRECTED.provide(suspend_after_correction)


_count_forgetter = None


def _forget_the_count() -> None:
    """The staff list's count of every certificate is kept a minute (:mod:`certportal.figures`); a certificate
    made or deleted forgets it at once (status changes do not change how many there are). The letters waiting for
    a handover, shown above that list, are kept the same way and forgotten by a letter or a handover saved or
    deleted."""
    global _count_forgetter
    from django.db.models.signals import post_delete, post_save

    from assessments.certificates.models import Certificate
    from assessments.certificates.selectors import COUNT_FIGURES, LETTER_FIGURES
    from certportal import figures

    _count_forgetter = figures.forgetter(COUNT_FIGURES)
    post_save.connect(_count_forgetter, sender=Certificate, dispatch_uid="certificate-count-save")
    post_delete.connect(_count_forgetter, sender=Certificate, dispatch_uid="certificate-count-delete")
    figures.forget_on_change(LETTER_FIGURES, "assessments.ResultLetter", "assessments.Handover")


def _panels() -> None:
    from assessments.certificates.views import event_pages
    from assessments.events.views import panels

    panels.add_context("event", event_pages.event_context)
    panels.add_context("participant", event_pages.participant_context)
    panels.add_context("my_participation", event_pages.my_participation_context)
    panels.add_context("mine", event_pages.mine_context)

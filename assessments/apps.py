from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from applicants.selectors import register_visibility
        from certportal import menus
        from certportal.accounts.models import Role
        from certportal.sla.registry import register_tracked

        from .models import Appeal
        from .selectors import assessor_visibility

        register_visibility(Role.ASSESSOR, assessor_visibility)
        from certportal.jobs.registry import register_kind

        from .models import PrintJob

        register_kind(PrintJob, queued_minutes="ASSESSMENT_PRINT_QUEUED_MINUTES",
                      running_minutes="ASSESSMENT_PRINT_RUNNING_MINUTES")
        from certportal.outbox.registry import register_task_label

        # (the names of certificates.printing.RUN_TASK and CHUNK_TASK: that module loads the PDF renderer)
        register_task_label("assessments.tasks.run_print_job", _("Certificate printing"))
        register_task_label("assessments.tasks.render_print_chunk", _("Certificate printing (a part)"))
        from certportal.workqueue import register_work

        from . import workqueue

        register_work(Role.LSP_ADMIN, workqueue.lsp_admin)
        register_work(Role.ASSESSOR, workqueue.assessor)
        register_work(Role.QUALITY, workqueue.reviewer)
        register_work(Role.TUK_HEAD, workqueue.reviewer)

        menus.register(Role.ASSESSOR, _("My test events"), "assessments:assessor-home", icon="clipboard-check",
                       order=10)
        menus.register_home(Role.ASSESSOR, "assessments:assessor-home")
        menus.register(Role.LSP_ADMIN, _("Test events"), "assessments:events", icon="calendar-event", order=50,
                       group=menus.ASSESSMENT)
        menus.register(Role.LSP_ADMIN, _("Certificates"), "assessments:certificates", icon="award", order=51,
                       group=menus.ASSESSMENT)
        menus.register(Role.LSP_ADMIN, _("BNSP registration"), "assessments:bnsp", icon="journal-check", order=54,
                       group=menus.ASSESSMENT)
        menus.register(Role.LSP_ADMIN, _("Appeals"), "assessments:appeals", icon="megaphone", order=52,
                       group=menus.ASSESSMENT)
        menus.register(Role.LSP_ADMIN, _("Assessors"), "assessments:assessors", icon="person-badge", order=53,
                       group=menus.ASSESSMENT)
        menus.register(Role.LSP_ADMIN, _("Holder reports"), "assessments:holder-reports", icon="flag", order=54,
                       group=menus.ASSESSMENT)
        menus.register(Role.LSP_ADMIN, _("Surveillance"), "assessments:surveillance", icon="eye", order=55,
                       group=menus.ASSESSMENT)
        menus.register(Role.LSP_ADMIN, _("API tokens"), "assessments:api-tokens", icon="key", order=95,
                       group=menus.ADMINISTRATION)
        menus.register(Role.VERIFIER, _("Certificate handover"), "assessments:certificates", icon="award", order=40)
        for role in (Role.TUK_HEAD, Role.QUALITY):
            menus.register(role, _("Event reviews"), "assessments:reviews", icon="clipboard-data", order=10)
            menus.register_home(role, "assessments:reviews")
        menus.register(Role.QUALITY, _("Appeals"), "assessments:appeals", icon="megaphone", order=11)
        menus.register(Role.APPLICANT, _("My tests and certificates"), "assessments:mine", icon="award", order=15)
        menus.register_public(_("Verify a certificate"), "assessments:verify", icon="patch-check", order=20)
        for role, order in ((Role.LSP_ADMIN, 56), (Role.ASSESSOR, 11)):  # issue 19: the confidential question banks
            menus.register(role, _("Question banks"), "assessments:bank", icon="shield-lock", order=order,
                           group=menus.ASSESSMENT if role == Role.LSP_ADMIN else None)
        for role, order in ((Role.ASSESSOR, 12), (Role.QUALITY, 12), (Role.LSP_ADMIN, 57)):  # issue 19: plans
            menus.register(role, _("Assessment plans"), "assessments:plans", icon="diagram-3", order=order,
                           group=menus.ASSESSMENT if role == Role.LSP_ADMIN else None)

        register_tracked(
            Appeal,
            role=Role.QUALITY, related=("participant__application__applicant",),
            label=lambda appeal: gettext("Appeal #%(id)s %(name)s") % {"id": appeal.pk, "name": appeal.participant.name},
            url=lambda appeal: f"/asesmen/banding/{appeal.pk}/",
        )

        from certportal import personal_data

        from . import personal_data as mine

        personal_data.register("assessments", collect=mine.collect, exports=mine.EXPORTS, names=mine.NAMES)

        from certportal.accounts.signals import account_deactivated

        from .workflow import register_all

        account_deactivated.connect(_deactivate_assessor, dispatch_uid="assessments-deactivate-assessor")

        register_all()

        from certportal.sla.registry import register_sweep

        from .certificates.reminders import expiry_reminders_sweep

        register_sweep("certificate-expiry", expiry_reminders_sweep)
        from .services.written_test import written_tests_expire_due

        register_sweep("written-test-deadlines", written_tests_expire_due)  # FR.IA.05 tests whose time ran out


def _deactivate_assessor(sender, *, user, actor, reason, **kwargs) -> None:
    """A deactivated staff account assesses nothing more: its assessor record is deactivated with it."""
    from . import services

    services.assessors_deactivate_for_account(user, actor=actor, reason=reason)

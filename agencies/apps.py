from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")

    def ready(self) -> None:
        from certportal import menus
        from certportal.accounts.models import Role

        officer, head, secretary = Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.REGIONAL_SECRETARY
        for role in (officer, head, secretary):
            menus.register(role, _("Agency home"), "agencies:home", icon="building", order=10)
            menus.register_home(role, "agencies:home")
        menus.register(officer, _("Propose staff"), "agencies:propose", icon="person-plus", order=20)
        for role in (officer, head):  # the agency's view of its people (issue 29 item 5)
            menus.register(role, _("Our people"), "agencies:people", icon="people", order=30)
        for role in (Role.SUPERVISOR, secretary):  # every agency of the province, or the one chosen
            menus.register(role, _("Agencies' people"), "agencies:people", icon="people", order=47)
        menus.register(Role.LSP_ADMIN, _("Funded rounds"), "agencies:round-list", icon="cash-stack", order=46,
                       group=menus.APPLICATIONS)
        menus.register(Role.SUPERVISOR, _("Funded rounds"), "agencies:round-list", icon="cash-stack", order=46)
        for role in (Role.LSP_ADMIN, Role.VERIFIER):  # the province's roster of civil servants (SIASN)
            menus.register(role, _("Roster of civil servants"), "agencies:roster", icon="person-vcard", order=48,
                           group=menus.APPLICATIONS if role == Role.LSP_ADMIN else None)
        self._register_work()
        self._forget_figures_on_change()
        self._keep_application_agency()
        self._register_hooks()
        self._register_personal_data()
        self._register_roster()
        from .kept_pages import register_pages

        register_pages()  # the people pages and the proposal form kept per agency (certportal.kept_pages)

    def _register_roster(self) -> None:
        from applicants import hooks as applicant_hooks
        from certportal import workflow
        from certportal.jobs.registry import register_kind
        from certportal.outbox.registry import register_task_label

        from .models import RosterImport
        from .roster import roster_data
        from .roster_jobs import MACHINE, TASK

        workflow.register(MACHINE)
        register_kind(RosterImport, queued_minutes="ROSTER_IMPORT_QUEUED_MINUTES",
                      running_minutes="ROSTER_IMPORT_RUNNING_MINUTES",
                      queued_reason=_("No worker started reading this roster within %(minutes)s minutes."),
                      running_reason=_("The roster import made no progress for %(minutes)s minutes (the worker may "
                                       "have stopped)."))
        register_task_label(TASK, _("Importing the roster of civil servants"))
        workflow.register_labels({"agencies.rosterentry.fetched": _("fetched from SIASN")})
        applicant_hooks.ROSTER.provide(roster_data)

    def _register_work(self) -> None:
        from certportal.accounts.models import Role
        from certportal.workqueue import register_work

        from . import people_work, workqueue
        from .letters import workqueue as letters_work

        register_work(Role.AGENCY_OFFICER, workqueue.officer)
        for role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD):
            register_work(role, people_work.expiring)
        register_work(Role.AGENCY_HEAD, letters_work.to_sign)
        register_work(Role.REGIONAL_SECRETARY, letters_work.to_sign)
        register_work(Role.APPLICANT, workqueue.applicant)
        for role in (Role.LSP_ADMIN, Role.VERIFIER):
            register_work(role, workqueue.roster_imports)
        from certportal.workqueue import register_list

        from .views.officer import AGENCY_PAGES, home_lists

        for role in AGENCY_PAGES:
            register_list(role, home_lists)

    def _forget_figures_on_change(self) -> None:
        """The kept counts of an agency's people (roster.FIGURES: the homes' work queue, the certificates' tabs,
        the competence map) go with any change they count."""
        from applicants.models import ApplicantProfile
        from assessments.certificates.models import Certificate, SurveillanceReport
        from certportal import figures

        from .models import PositionNeed, RosterEntry
        from .roster import FIGURES

        figures.forget_on_change(FIGURES, Certificate, SurveillanceReport, ApplicantProfile, RosterEntry, PositionNeed)

    def _keep_application_agency(self) -> None:
        """``Application.agency`` follows every change of the rule's sources (``agencies.roster.restamp``): a new
        application, a profile, a roster entry, an agency's name; a new certificate takes its application's (and
        follows it in ``restamp``). The roster import writes in bulk, which sends no signal, and restamps what it
        wrote itself (``roster_apply.write``)."""
        from django.db.models.signals import post_delete, post_save, pre_save

        from applicants.models import Agency, ApplicantProfile, Application
        from assessments.certificates.models import Certificate

        from .models import RosterEntry
        from .roster import restamp, stamp_of

        def new_application(instance, **_kwargs) -> None:
            if instance._state.adding and instance.agency_id is None and instance.applicant_id:
                instance.agency_id = stamp_of(instance.applicant_id)  # written with it: nothing restamped after

        def new_certificate(instance, **_kwargs) -> None:
            if instance._state.adding and instance.application_id:
                instance.agency_id = Application.objects.filter(pk=instance.application_id).values_list(
                    "agency_id", flat=True).first()

        pre_save.connect(new_certificate, sender=Certificate, weak=False, dispatch_uid="agency-stamp-certificate")
        pre_save.connect(new_application, sender=Application, weak=False, dispatch_uid="agency-stamp-application")
        receivers = {ApplicantProfile: (lambda instance, **_kw: restamp(users=[instance.user_id]),) * 2,
                     RosterEntry: (lambda instance, **_kw: restamp(nips=[instance.nip]),) * 2,
                     Agency: (lambda instance, **_kw: restamp(agency=instance),) * 2}
        for model, (saved, *deleted) in receivers.items():
            post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"agency-stamp-save-{model.__name__}")
            for receiver in deleted:
                post_delete.connect(receiver, sender=model, weak=False,
                                    dispatch_uid=f"agency-stamp-delete-{model.__name__}")

    def _register_hooks(self) -> None:
        from applicants import hooks as applicant_hooks
        from applicants.selectors import VISIBILITY
        from assessments.events import hooks as event_hooks
        from certportal import workflow
        from certportal.accounts import extensions
        from certportal.accounts.models import Role

        from . import hooks, positions, staff
        from .letters import hooks as letter_hooks
        from .letters.services import attach_on_applied
        from .letters.workflow import LETTER_MACHINE
        from .workflow import ON_APPLIED, PROPOSAL_MACHINE, ROUND_MACHINE

        workflow.register(ROUND_MACHINE)
        workflow.register(PROPOSAL_MACHINE)
        workflow.register(LETTER_MACHINE)
        ON_APPLIED.provide(attach_on_applied)
        applicant_hooks.PROVIDED_DOCUMENTS.provide(letter_hooks.provided)
        applicant_hooks.ACTORS.provide(letter_hooks.may_return, key="returned")
        workflow.register_labels({"agencies.membership.saved": _("agency of the account changed")})
        workflow.register_labels(positions.LABELS)
        extensions.register(staff.EXTENSION)
        applicant_hooks.GUARDS.provide(hooks.naming_refusal, key="named")
        event_hooks.INTEREST_IN.provide(hooks.pleno_interest)
        applicant_hooks.FUNDING.provide(hooks.funding_label)
        for role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD):
            VISIBILITY.provide(hooks.agency_applications, key=role)

    def _register_personal_data(self) -> None:
        from certportal import personal_data

        from . import personal_data as mine
        from . import retention

        personal_data.register("agencies", collect=mine.collect, exports=mine.EXPORTS, names=mine.NAMES)
        personal_data.register_eraser("agencies", retention.erase)
        personal_data.register_upload(retention.ROSTER_FILE, retention.RosterImport, ended=retention.ROSTER_ENDED,
                                      parsed={"preview": None})
        personal_data.register_in_use("agencies", retention.invited_since,
                                      _("Proposed by an agency: the invitation waits for the person"))

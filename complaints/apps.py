from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from certportal import exportjobs, menus
        from certportal.accounts.models import Role
        from certportal.signals import SERVICE_DELIVERED

        from . import receivers

        SERVICE_DELIVERED.provide(receivers.invite_to_survey)  # the satisfaction survey after each service
        from .views.reports import REPORT_EXPORT, report_export_table

        exportjobs.register_source(REPORT_EXPORT, report_export_table)  # a large report: a background export

        officer, boss = Role.COMPLAINT_OFFICER, Role.SUPERVISOR
        menus.register(officer, _("Complaints"), "complaints:officer-home", icon="chat-left-text", order=10)
        menus.register(officer, _("Record a complaint"), "complaints:staff-new", icon="plus-circle", order=20)
        menus.register(boss, _("Complaints"), "complaints:list", icon="chat-left-text", order=40)
        for role in (officer, boss):
            menus.register(role, _("Complaint reports"), "complaints:reports", icon="bar-chart", order=50)
            menus.register(role, _("Satisfaction survey"), "complaints:skm", icon="emoji-smile", order=60)
        menus.register(officer, _("Paper surveys"), "complaints:skm-import", icon="upload", order=70)
        menus.register_home(officer, "complaints:officer-home")
        from certportal.workqueue import register_work

        from .workqueue import applicant as applicant_work
        from .workqueue import officer as officer_work

        register_work(officer, officer_work)
        register_work(Role.APPLICANT, applicant_work)
        menus.register_public(_("File a complaint"), "complaints:public-new", icon="megaphone", order=60)
        menus.register_public(_("Track a complaint"), "complaints:track-lookup", icon="search", order=61)
        self._register_sla()
        self._forget_figures_on_change()
        self._register_personal_data()
        self._register_workflow()
        self._register_evaluation_inputs()

    def _forget_figures_on_change(self) -> None:
        """The kept report and satisfaction figures and the list's counts (models.FIGURES) go with any change of what
        they count."""
        from certportal import figures
        from certportal.sla.models import Clock

        from .models import FIGURES, Complaint, PaperSurveyImport, SurveyResponse

        figures.forget_on_change(FIGURES, Complaint, SurveyResponse, PaperSurveyImport, Clock)

    def _register_evaluation_inputs(self) -> None:
        from certportal import evaluation

        from . import evaluation as mine

        evaluation.register("complaints.skm", mine.skm_results)
        evaluation.register("complaints.statistics", mine.complaint_statistics)

    def _register_personal_data(self) -> None:
        from certportal import personal_data

        from . import personal_data as mine

        personal_data.register("complaints", collect=mine.collect, exports=mine.EXPORTS, names=mine.NAMES)

    def _register_workflow(self) -> None:
        from certportal import workflow

        from .workflow import MACHINE

        workflow.register(MACHINE)

    def _register_sla(self) -> None:
        from certportal.accounts.models import Role
        from certportal.sla.registry import register_tracked

        from .models import Complaint

        register_tracked(
            Complaint,
            role=Role.COMPLAINT_OFFICER,
            label=lambda obj: f"{obj.tracking_number} ({obj.get_kind_display()})",
            url=lambda obj: obj.get_absolute_url(),
            readers=(Role.COMPLAINT_OFFICER, Role.SUPERVISOR),  # complaints.views.staff.detail
        )

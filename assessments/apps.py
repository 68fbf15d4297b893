from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """The assessments app: three rooms on one floor (:mod:`assessments.errors`), each registering itself with the
    core: the test event, then the assessment instruments and the certificates, which stand on it and answer what
    it asks of them (:mod:`assessments.events.hooks`, :mod:`assessments.events.views.panels`). The app label stays
    ``assessments`` (tables, URLs, templates and audit codes are the app's)."""

    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from assessments import kept_pages, personal_data, workqueue
        from assessments.certificates import wiring as certificates
        from assessments.events import wiring as events
        from assessments.instruments import wiring as instruments
        from certportal import personal_data as core_personal_data

        events.connect()
        instruments.connect()
        certificates.connect()
        workqueue.register()
        kept_pages.register_pages()
        core_personal_data.register("assessments", collect=personal_data.collect, exports=personal_data.EXPORTS,
                                    names=personal_data.NAMES)
        from assessments import retention

        core_personal_data.register_eraser("assessments", retention.erase)
        core_personal_data.register_record_eraser(retention.MISUSE_REPORT, retention.erase_misuse_report)
        core_personal_data.register_upload(retention.REGISTER_FILE, retention.RegisterImport,
                                           ended=retention.REGISTER_ENDED, parsed={"rows": None})
        core_personal_data.register_upload(retention.ADOPTION_FILE, retention.AdoptionImport,
                                           ended=retention.ADOPTION_ENDED, parsed={"rows": None})

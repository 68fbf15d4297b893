"""Labels of this app's audit action codes, until its actions move to the workflow core (issue 13).

The core finds this module by name (``autodiscover_modules("audit_labels")`` in the audit app) and asks the
workflow registry for labels, so the core holds none of this app's words.
"""

from django.utils.translation import gettext_lazy as _

from certportal.workflow import register_labels

register_labels({
    "scheme_created": _("scheme created"),
    "scheme_updated": _("scheme updated"),
    "scheme_new_version": _("new scheme version"),
    "scheme_validated": _("scheme validated"),
    "scheme_reviewed": _("scheme reviewed"),
    "unit_created": _("unit created"),
    "unit_updated": _("unit updated"),
    "unit_imported": _("unit imported"),
    "unit_updated_by_import": _("unit updated by an import"),
    "skkni_imported": _("SKKNI imported"),
    "decree_issued_on_changed": _("decree's date of signing changed"),
    "decree_in_force_on_changed": _("decree's date in force changed"),
    "decree_review_due_on_changed": _("decree's review date changed"),
    "decree_revokes_changed": _("decrees it revokes changed"),
    "kkni_imported": _("KKNI imported"),
    "qualification_created": _("qualification created"),
    "qualification_updated": _("qualification updated"),
    "test_site_created": _("test site created"),
    "test_site_updated": _("test site updated"),
    "service_standard_updated": _("service standard updated"),
    "service_evaluation_recorded": _("yearly evaluation recorded"),
    "service_evaluation_sent": _("yearly evaluation results sent to the staff"),
    "service_evaluation_read": _("yearly evaluation results read"),
    "service_standard_version_published": _("new service standard version published"),
})

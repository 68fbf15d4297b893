"""Labels of this app's audit action codes that are not the application's (its machine labels its own).

The core finds this module by name (``autodiscover_modules("audit_labels")`` in the audit app) and asks the
workflow registry for labels, so the core holds none of this app's words.
"""

from django.utils.translation import gettext_lazy as _

from certportal.workflow import register_labels

register_labels({
    "applicants.applicantprofile.saved": _("profile saved"),
    "applicants.agency.saved": _("agency list changed"),
})

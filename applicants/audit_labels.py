"""Labels of this app's audit action codes, until its actions move to the workflow core (issue 13).

The core finds this module by name (``autodiscover_modules("audit_labels")`` in the audit app) and asks the
workflow registry for labels, so the core holds none of this app's words.
"""

from django.utils.translation import gettext_lazy as _

from certportal.workflow import register_labels

register_labels({
    "profile saved": _("profile saved"),
    "personal data exported": _("personal data exported"),
    "document uploaded": _("document uploaded"),
    "document removed": _("document removed"),
    "document accepted": _("document accepted"),
    "document rejected": _("document rejected"),
    "check completeness": _("completeness check"),
    "check administrative": _("administrative verification"),
    "check substantive": _("substantive verification"),
})

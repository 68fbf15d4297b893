"""Labels of this app's audit action codes, until its actions move to the workflow core (issue 13).

The core finds this module by name (``autodiscover_modules("audit_labels")`` in the audit app) and asks the
workflow registry for labels, so the core holds none of this app's words.
"""

from django.utils.translation import gettext_lazy as _

from certportal.workflow import register_labels

register_labels({
    "participant added": _("participant added"),
    "assessor added": _("assessor added"),
    "assessor assigned": _("assessor assigned"),
    "assessor saved": _("assessor saved"),
    "assessor schemes changed": _("assessor's schemes changed"),
    "assessor registration number changed": _("assessor's registration number changed"),
    "assessor licence valid until changed": _("assessor's licence expiry changed"),
    "assessor licence valid from changed": _("assessor's licence start changed"),
    "assessor nip changed": _("assessor's NIP changed"),
    "assessor imported": _("assessor imported"),
    "assessor deactivated": _("assessor deactivated"),
    "assessor reactivated": _("assessor reactivated"),
    "assessor no longer qualified": _("assessor no longer qualified"),
    "assessor change accepted for an open event": _("assessor change accepted for an open event"),
    "conflict declared": _("conflict of interest declared"),
    "attendance confirmed": _("attendance confirmed"),
    "attendance recorded": _("attendance recorded"),
    "agreement accepted (FR.AK.01)": _("assessment agreement accepted (FR.AK.01)"),
    "feedback given (FR.AK.03)": _("feedback on the assessment given (FR.AK.03)"),
    "report signed by assessor": _("official report signed by the assessor"),
    "minutes saved": _("minutes saved"),
    "holder obligations accepted": _("certificate-holder obligations accepted"),
    "print started": _("printing started"),
    "print job running": _("print job running"),
    "print job done": _("print job done"),
    "print job failed": _("print job failed"),
    "print job queued": _("print job queued again"),
    "issued": _("issued"),
    "handed over": _("handed over"),
    # issue 19
    "assessments.participant.file_downloaded": _("assessment file downloaded"),
    "assessments.scheme.instruments_set": _("instruments of the scheme set"),
})

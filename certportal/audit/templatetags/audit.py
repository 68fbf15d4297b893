"""``{{ entry.action|audit_action }}``: an audit entry's action in the reader's language.

Services record actions as English codes so that the trail can be searched and compared whatever language the
actor used. Apps on the workflow core use namespaced codes (``complaints.complaint.classified``) whose labels they
register with the core (:mod:`certportal.audit.labels`); the filter asks those labels first. Apps not
yet migrated register their older, un-namespaced codes from their own ``audit_labels.py`` (found by the audit app);
``LABELS`` below holds only the core's own actions. An unknown code is shown with its separators turned into spaces.

``{{ entry.to_state|audit_state:entry }}`` does the same for the from and to states, which services record as the
stored choice values (``"submitted"``, ``"BK"``): the label comes from the audited model's own choices (its status
first), then from the state-like choices of any model when only one label fits, else the value stays as it is.
"""

from functools import cache

from django import template
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from certportal.audit.labels import action_label

register = template.Library()

LABELS = {  # the core's own actions (accounts, deadlines)
    "status": _("status changed"),
    "registered": _("registered"),
    "email confirmed": _("e-mail confirmed"),
    "roles changed": _("roles changed"),
    "staff account created": _("staff account created"),
    "account activated": _("account activated"),
    "account deactivated": _("account deactivated"),
    "personal data exported": _("personal data exported"),
    "sla.start": _("deadline started"),
    "sla.pause": _("deadline paused"),
    "sla.resume": _("deadline resumed"),
    "sla.stop": _("deadline stopped"),
    "sla.cancel": _("deadline cancelled"),
    "sla.policy.update": _("deadline policy changed"),
    "sla.calendar.add": _("holiday added"),
    "sla.calendar.remove": _("holiday removed"),
    "sla.calendar.weekdays": _("working days changed"),
}


STATES = {"active": _("active"), "inactive": _("inactive")}
STATE_FIELDS = ("status", "decision", "recommendation", "result", "outcome", "review")


@cache
def _choices(model) -> dict:
    labels = {}
    for name in reversed(STATE_FIELDS):  # the status field wins when two fields share a value
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        labels.update({str(value): label for value, label in (getattr(field, "choices", None) or ())
                       if not isinstance(label, (list, tuple))})
    return labels


def _labels_for(content_type_id: int) -> dict:
    model = ContentType.objects.get_for_id(content_type_id).model_class()  # Django caches content types
    return _choices(model) if model is not None else {}


@cache
def _unambiguous() -> dict:
    seen: dict[str, dict] = {}
    with translation.override("en"):  # labels compared by their source text, whatever the reader's language
        for model in apps.get_models():
            for value, label in _choices(model).items():
                seen.setdefault(value, {})[str(label)] = label
    return {value: next(iter(labels.values())) for value, labels in seen.items() if len(labels) == 1}


@register.filter
def audit_state(value: str, entry=None) -> str:
    if not value:
        return value
    if entry is not None and getattr(entry, "content_type_id", None):
        label = _labels_for(entry.content_type_id).get(value)
        if label is not None:
            return str(label)
    label = STATES.get(value) or _unambiguous().get(value)
    return str(label) if label is not None else value


@register.filter
def audit_action(code: str) -> str:
    label = action_label(code) or LABELS.get(code)
    if label is not None:
        return str(label)
    return code.replace("_", " ").replace(".", " ")

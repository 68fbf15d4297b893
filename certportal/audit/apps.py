from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "certportal.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Apps not yet on the workflow core register the labels of their audit codes in ``<app>/audit_labels.py``.
        autodiscover_modules("audit_labels")

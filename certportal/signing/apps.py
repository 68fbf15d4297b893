from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "certportal.signing"
    label = "signing"
    verbose_name = _("Electronic signatures")
    default_auto_field = "django.db.models.BigAutoField"

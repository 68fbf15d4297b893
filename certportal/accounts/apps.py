from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "certportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from . import checks, sessions  # noqa: F401  (stamps the login time on the session; the deploy check)
        from .spraying import on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="certportal.accounts.spraying")

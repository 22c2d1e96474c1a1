from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Members and staff: the custom user, its profile, sign-up and the member dashboard."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import admin_notifications  # noqa: F401  (connect the receivers)

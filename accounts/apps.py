from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Members and staff: the custom user, its profile, sign-up and the member dashboard."""

    name = "accounts"
    verbose_name = _("Accounts")

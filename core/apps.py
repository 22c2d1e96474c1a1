from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: mail, sanitising, uploads, rate limits, sections, role names."""

    name = "core"
    verbose_name = _("Shared services")

from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from .converters import IdConverter


class CoreConfig(AppConfig):
    """What every app shares: mail, sanitising, uploads, rate limits, sections, role names."""

    name = "core"
    verbose_name = _("Shared services")

    def ready(self):
        # `<id:...>` in URL patterns: before any URLconf is loaded.
        register_converter(IdConverter, "id")

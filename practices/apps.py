from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    """The taxonomy shared by every app, and the practice library."""

    name = "practices"
    verbose_name = _("Practices")

    def ready(self) -> None:
        from . import notifications, signals  # noqa: F401  (connect the receivers)

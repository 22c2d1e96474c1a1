from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import sections


class PracticesConfig(AppConfig):
    """The taxonomy shared by every app, and the practice library."""

    name = "practices"
    verbose_name = _("Practices")

    def ready(self) -> None:
        from . import moderation, notifications, signals  # noqa: F401  (connect the receivers)
        from .views.dashboard import my_practices

        sections.register(sections.DASHBOARD, my_practices)

        # Before wagtail.admin's own ready(): see the notifications module.
        notifications.take_over_wagtail_notifications()

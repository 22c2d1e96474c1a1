from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events, registration, calendar invites and outcome reports."""

    name = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The views import the models, so the models cannot import them (see core.page_views).
        from core import sections as registries

        from . import sections, signals, views  # noqa: F401  (signals connects its receivers)
        from .models import EventIndexPage, EventPage

        registries.register(registries.DASHBOARD, sections.my_registrations)
        registries.register(registries.PRACTICE_PAGE, sections.presented_at)
        registries.register(registries.HOME_PAGE, sections.home_events)

        EventIndexPage.views.register(list=views.event_index)
        EventPage.views.register(
            page=views.event_page, register=views.register, calendar=views.calendar
        )

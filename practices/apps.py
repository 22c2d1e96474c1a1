from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import sections


class PracticesConfig(AppConfig):
    """The taxonomy shared by every app, and the practice library."""

    name = "practices"
    verbose_name = _("Practices")

    def ready(self) -> None:
        # Modules that import the models can only be imported once the models are loaded.
        from . import moderation, notifications, signals  # noqa: F401  (connect the receivers)
        from .models import PracticeIndexPage, PracticePage
        from .views import alerts, contact, dashboard, library, opinions, related

        # A moderator's queue first: it is what they signed in for.
        sections.register(sections.DASHBOARD, dashboard.practices_to_review)
        sections.register(sections.DASHBOARD, dashboard.opinions_to_moderate)
        sections.register(sections.DASHBOARD, dashboard.my_practices)
        sections.register(sections.DASHBOARD, dashboard.my_opinions)
        sections.register(sections.DASHBOARD, alerts.my_alerts)
        sections.register(sections.PRACTICE_PAGE, opinions.opinions_section)
        sections.register(sections.PRACTICE_PAGE, related.related_practices_section)

        # The views behind the pages' routes (see core.page_views): the models cannot import them.
        PracticeIndexPage.views.register(
            list=library.library_page,
            map=library.library_map,
            transfers=library.library_transfers,
            feed=library.feed,
            feed_style=library.feed_style,
            export_csv=library.export_csv,
            export_json=library.export_json,
        )
        PracticePage.views.register(contact=contact.contact_owner)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    """The Urban Academy: editions, the call for dilemmas, expert review, selection, feedback."""

    name = "academy"
    verbose_name = _("Urban Academy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import sections as registries

        from . import sections, signals  # noqa: F401  (signals connects its receivers)

        registries.register(registries.DASHBOARD, sections.my_dilemmas)
        registries.register(registries.DASHBOARD, sections.my_reviews)
        registries.register(registries.PRACTICE_PAGE, sections.recommended_in_academy)
        registries.register(registries.OUTCOME_REPORT, sections.feedback_summaries)
        registries.register(registries.HOME_PAGE, sections.home_calls)

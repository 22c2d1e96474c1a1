from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The home page and plain content pages; gathers what the other apps publish."""

    name = "home"
    verbose_name = _("Home")

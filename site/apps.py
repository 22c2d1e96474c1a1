from django.apps import AppConfig


class UrbanExchangeConfig(AppConfig):
    """The project package: base templates, robots.txt and error pages live here."""

    name = "urbanexchange"
    verbose_name = "Urban Exchange"

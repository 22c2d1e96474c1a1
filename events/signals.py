"""Wagtail's publication of an event page, passed on to the registration rules."""

from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import EventPage


@receiver(page_published)
def keep_calendars_in_step(sender, instance, **kwargs):
    # Subclasses of EventPage (the Academy's editions) are events too.
    if isinstance(instance, EventPage):
        services.event_published(instance)

"""Wagtail's publication of event pages and outcome reports, passed on to the rules."""

from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import EventPage, OutcomeReportPage


@receiver(page_published)
def keep_calendars_in_step(sender, instance, **kwargs):
    # Subclasses of EventPage (the Academy's editions) are events too.
    if isinstance(instance, EventPage):
        services.event_published(instance)


@receiver(page_published)
def tell_participants_about_the_report(sender, instance, **kwargs):
    if isinstance(instance, OutcomeReportPage):
        services.report_published(instance)

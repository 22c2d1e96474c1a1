"""Wagtail's publication of event pages and outcome reports, passed on to the rules; and the
editors' right to publish events, given to each event index when it is created."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission
from wagtail.signals import page_published

from core import roles

from . import services
from .models import EventIndexPage, EventPage, OutcomeReportPage


@receiver(page_published)
def keep_calendars_in_step(sender, instance, **kwargs):
    # Subclasses of EventPage (the Academy's editions) are events too.
    if isinstance(instance, EventPage):
        services.event_published(instance)


@receiver(page_published)
def tell_participants_about_the_report(sender, instance, **kwargs):
    if isinstance(instance, OutcomeReportPage):
        services.report_published(instance)


def let_editors_publish(index) -> None:
    """Editors run events and publish their outcome reports themselves. Wagtail's defaults give
    Editors no publishing anywhere (the rest of the site goes through moderation), so the
    event index (and the Urban Academy's index) grants it for its own subtree only."""
    editors = Group.objects.filter(name=roles.EDITORS).first()
    if editors is None:
        return
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


@receiver(post_save, sender=EventIndexPage, dispatch_uid="events_let_editors_publish")
def _let_editors_publish_in_a_new_index(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        let_editors_publish(instance)

"""Calendar subscriptions: every public event (filtered by kind, theme or partnership) and a
member's own registrations at a secret address.

A subscription is a published calendar (RFC 5545 without METHOD): no attendee, and in the
public feed no joining link. The public feed holds the events from `PAST_WINDOW` ago onwards,
so that a calendar keeps recent history without the feed growing for ever.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ical
from .models import CalendarFeed, EventKind, EventPage, Registration
from .models.registration import SEATED, new_secret

PAST_WINDOW = timedelta(days=183)
MAX_EVENTS = 500
FEED_FIELDS = (
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "summary",
    "description",
    "kind",
    "format",
    "time_zone",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "organiser_name",
    "organiser_email",
    "calendar_uid",
    "calendar_sequence",
    "cancelled_at",
)


def public_events(params) -> QuerySet:
    """The live, public events of the feed, narrowed by `kind`, `theme` and `partnership`
    (slugs; unknown values match nothing rather than everything)."""
    events = EventPage.objects.live().public().filter(ends_at__gte=timezone.now() - PAST_WINDOW)
    kind = str(params.get("kind", ""))[:64]
    if kind:
        events = events.filter(kind=kind if kind in EventKind.values else "-")
    theme = str(params.get("theme", ""))[:255]
    if theme:
        events = events.filter(themes__slug=theme)
    partnership = str(params.get("partnership", ""))[:255]
    if partnership:
        events = events.filter(partnership__slug=partnership)
    return events.only(*FEED_FIELDS).order_by("starts_at").distinct()[:MAX_EVENTS]


def public_feed(params) -> bytes:
    return ical.feed(public_events(params), name=_("Urban Exchange events"))


def personal_feed(secret: str) -> bytes | None:
    """The member's registrations with a seat, joining links included; None for a wrong key."""
    feed = CalendarFeed.objects.filter(secret=secret[:64]).select_related("user").first()
    if feed is None:
        return None
    registrations = (
        Registration.objects.filter(user=feed.user, state__in=SEATED, event__live=True)
        .select_related("event")
        .order_by("event__starts_at")
    )
    return ical.personal_feed(
        [registration.event for registration in registrations],
        name=_("My Urban Exchange events"),
    )


def feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def renew(user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = feed_for(user)
    feed.secret = new_secret()
    feed.save()
    return feed

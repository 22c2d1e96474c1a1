"""What events add to the pages of lower apps (core.sections): the member's registrations on
"My Urban Exchange", the events where a practice was presented on its page, and the next
events and latest outcome reports on the home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from core.mail import absolute_url
from core.sections import Section

from . import feeds, listing, services
from .models import (
    EventIndexPage,
    EventPage,
    EventPractice,
    OutcomeReportPage,
    Registration,
    RegistrationState,
)

State = RegistrationState


def my_registrations(request) -> Section | None:
    user = request.user
    registrations = list(
        Registration.objects.filter(user=user)
        .exclude(state=State.CANCELLED)
        .select_related("event")
        .order_by("-event__starts_at")[:50]
    )
    now = timezone.now()
    items = [
        {
            "registration": registration,
            "event": registration.event,
            "upcoming": registration.event.ends_at > now,
            "position": services.waiting_position(registration),
        }
        for registration in registrations
    ]
    feed_url = ""
    if registrations:
        secret = feeds.feed_for(user).secret
        feed_url = absolute_url(reverse("events:personal_feed", args=[secret]))
    return Section("events/dashboard_section.html", {"items": items, "feed_url": feed_url})


def presented_at(request, practice) -> Section | None:
    """The events (live ones) where the practice was presented, newest first."""
    event_ids = EventPractice.objects.filter(practice=practice).values("event_id")
    events = list(
        EventPage.objects.live()
        .public()
        .filter(pk__in=event_ids)
        .only("title", "slug", "url_path", "path", "depth", "starts_at", "time_zone", "kind")
        .order_by("-starts_at")[:20]
    )
    if not events:
        return None
    return Section("events/practice_section.html", {"events": events})


HOME_EVENTS = 3
HOME_REPORTS = 3


def home_events(request, home) -> Section | None:
    """The next events and the latest outcome reports, for the home page."""
    now = timezone.now()
    events = (
        EventPage.objects.live()
        .public()
        .descendant_of(home)
        .filter(ends_at__gt=now, cancelled_at__isnull=True)
        .only(*listing.CARD_FIELDS)
        .order_by("starts_at")[:HOME_EVENTS]
    )
    reports = (
        OutcomeReportPage.objects.live()
        .public()
        .descendant_of(home)
        .only("title", "slug", "url_path", "path", "depth", "summary", "first_published_at")
        .order_by("-first_published_at")[:HOME_REPORTS]
    )
    upcoming, latest = list(events), list(reports)
    if not upcoming and not latest:
        return None
    index = EventIndexPage.objects.live().public().descendant_of(home).first()
    return Section(
        "events/home_section.html", {"events": upcoming, "reports": latest, "index": index}
    )

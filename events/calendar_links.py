""" "Add to calendar" links for the web calendars that do not open an .ics file: Google, Outlook.

Only public details go into them (no joining link): they are on a public page.
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode

from django.utils.html import strip_tags

from core.mail import absolute_url

from .models import EventPage


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _details(event: EventPage) -> tuple[str, str]:
    location = ", ".join(p for p in (event.venue, " ".join(event.address.split())) if p)
    text = event.summary
    description = " ".join(strip_tags(event.description).split())
    if description:
        text += "\n\n" + description
    return location, text + "\n\n" + absolute_url(event.url or "")


def google(event: EventPage) -> str:
    location, details = _details(event)
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{_utc(event.starts_at)}/{_utc(event.ends_at)}",
        "details": details,
        "location": location,
        "ctz": event.time_zone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook(event: EventPage) -> str:
    location, details = _details(event)
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": event.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": event.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": details,
        "location": location,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)

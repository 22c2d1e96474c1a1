"""Calendar files: an event and a registration in, iCalendar (RFC 5545) out. Pure functions.

Three kinds of file:

- an invite (`invite`): `METHOD:REQUEST` (RFC 5546, iTIP), the organiser and the one participant
  as ATTENDEE, never anyone else; sent in the confirmation e-mail as RFC 6047 (iMIP) asks, and
  again with SEQUENCE one higher whenever the time, place or joining link changes;
- a cancellation (`cancellation`): `METHOD:CANCEL` for one participant who cancelled, or with
  `STATUS:CANCELLED` when the event itself is cancelled;
- a feed or a download (`feed`): no METHOD (a published calendar, RFC 5545 only) and no
  attendees, so that nothing personal is in a public file.

Times carry their TZID with a matching VTIMEZONE that icalendar derives from the zone database,
so a calendar client shows 10:00 in Brussels whatever zone it runs in, across daylight-saving
changes too. An event's UID is its `calendar_uid`, made once and never changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event, vCalAddress, vText

from core.mail import absolute_url

from .models import EventPage, Registration

PRODID = "-//Urban Exchange//Events//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def uid(event: EventPage) -> str:
    return f"{event.calendar_uid}@urbanexchange"


def _organizer(event: EventPage) -> vCalAddress:
    organizer = vCalAddress(f"mailto:{event.organiser_email}")
    organizer.params["CN"] = vText(event.organiser_name)
    return organizer


def _attendee(registration: Registration, *, status: str) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params["CN"] = vText(registration.full_name or registration.email)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText(status)
    attendee.params["CUTYPE"] = vText("INDIVIDUAL")
    return attendee


def _location(event: EventPage, *, private: bool) -> str:
    """The venue and address; for a participant, the joining link of an online event too."""
    parts = [part for part in (event.venue, " ".join(event.address.split())) if part]
    if private and event.joining_link:
        parts.append(event.joining_link)
    return ", ".join(parts)


def _description(event: EventPage, *, private: bool) -> str:
    lines = [event.summary]
    text = " ".join(strip_tags(event.description).split())
    if text:
        lines += ["", text]
    if private and event.joining_link:
        lines += ["", f"Join online: {event.joining_link}"]
    lines += ["", absolute_url(event.url or "")]
    return "\n".join(lines)


def _vevent(event: EventPage, *, private: bool, stamp=None) -> Event:
    vevent = Event.new(
        uid=uid(event),
        stamp=stamp or timezone.now(),
        start=event.local_start,
        end=event.local_end,
        summary=event.title,
        description=_description(event, private=private),
        url=absolute_url(event.url or ""),
        sequence=event.calendar_sequence,
    )
    location = _location(event, private=private)
    if location:
        vevent.add("LOCATION", location)
    vevent.add("ORGANIZER", _organizer(event))
    vevent.add("STATUS", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    return vevent


def _calendar(method: str | None, events: Iterable[Event], name: str | None = None) -> Calendar:
    calendar = Calendar.new(prodid=PRODID, method=method, name=name)
    for vevent in events:
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar


def invite(event: EventPage, registration: Registration, *, stamp=None) -> bytes:
    """The participant's own invite: REQUEST, with the joining link, them as the only attendee."""
    vevent = _vevent(event, private=True, stamp=stamp)
    vevent.add("ATTENDEE", _attendee(registration, status="ACCEPTED"))
    return _calendar(REQUEST, [vevent]).to_ical()


def cancellation(event: EventPage, registration: Registration, *, stamp=None) -> bytes:
    """CANCEL for one participant: their registration was cancelled, or the whole event was.

    RFC 5546 §3.2.5: the organiser cancels with the same UID and a SEQUENCE not lower than the
    last one sent, and STATUS:CANCELLED when the whole event is off.
    """
    vevent = _vevent(event, private=False, stamp=stamp)
    del vevent["STATUS"]
    vevent.add("STATUS", "CANCELLED")
    vevent.add("ATTENDEE", _attendee(registration, status="DECLINED"))
    return _calendar(CANCEL, [vevent]).to_ical()


def feed(events: Iterable[EventPage], *, name: str, stamp=None) -> bytes:
    """A published calendar of public events: no METHOD, no attendee, no joining link."""
    stamp = stamp or timezone.now()
    return _calendar(None, (_vevent(e, private=False, stamp=stamp) for e in events), name).to_ical()


def personal_feed(events: Iterable[EventPage], *, name: str, stamp=None) -> bytes:
    """A member's own events at their secret address: joining links in, no attendee."""
    stamp = stamp or timezone.now()
    return _calendar(None, (_vevent(e, private=True, stamp=stamp) for e in events), name).to_ical()


def download(event: EventPage) -> bytes:
    """The public .ics of one event page."""
    return feed([event], name=event.title)


INVITE_MIMETYPE = 'text/calendar; method=REQUEST; charset="utf-8"'
CANCEL_MIMETYPE = 'text/calendar; method=CANCEL; charset="utf-8"'

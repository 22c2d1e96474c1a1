"""Calendar files parse back with icalendar and carry what RFC 5545/5546 ask of them."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from icalendar import Calendar

from events import ical
from events.models import Registration
from tests.factories import add_event

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (vevent,) = calendar.walk("VEVENT")
    return calendar, vevent


def registration_for(event, email="anna@mechelen.test"):
    return Registration.objects.create(
        event=event, email=email, first_name="Anna", last_name="Peeters", state="confirmed"
    )


def test_an_invite_is_a_request_for_one_attendee_with_its_time_zone(events_index):
    event = add_event(events_index, venue="Stadhuis", address="Grote Markt 21\n2800 Mechelen")
    other = registration_for(event, "someone.else@gent.test")
    registration = registration_for(event)

    calendar, vevent = parse(ical.invite(event, registration))

    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] == ical.PRODID
    assert str(vevent["UID"]) == f"{event.calendar_uid}@urbanexchange"
    assert vevent["SEQUENCE"] == 0
    assert "DTSTAMP" in vevent
    start = vevent.decoded("DTSTART")
    assert start.tzinfo is not None and str(vevent["DTSTART"].params["TZID"]) == "Europe/Brussels"
    assert start.astimezone(BRUSSELS).time() == datetime.time(10, 0)
    assert vevent.decoded("DTEND").astimezone(BRUSSELS).time() == datetime.time(12, 0)
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Brussels"
    attendees = vevent.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:anna@mechelen.test"]
    assert other.email not in ical.invite(event, registration).decode()
    assert str(vevent["ORGANIZER"]) == "mailto:organiser@urbanexchange.test"
    assert "Stadhuis" in str(vevent["LOCATION"]) and "secret-room-42" in str(vevent["LOCATION"])
    assert str(vevent["URL"]).endswith(event.url)
    assert "secret-room-42" in str(vevent["DESCRIPTION"])


def test_a_cancellation_keeps_the_uid_and_cancels(events_index):
    event = add_event(events_index)
    registration = registration_for(event)

    calendar, vevent = parse(ical.cancellation(event, registration))

    assert calendar["METHOD"] == "CANCEL"
    assert str(vevent["UID"]) == ical.uid(event)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "secret-room-42" not in ical.cancellation(event, registration).decode()


def test_the_feed_has_no_method_no_attendee_and_no_joining_link(events_index):
    events = [add_event(events_index, n) for n in (1, 2)]

    data = ical.feed(events, name="Urban Exchange events")
    calendar = Calendar.from_ical(data)

    assert "METHOD" not in calendar
    assert len(calendar.walk("VEVENT")) == 2
    assert b"ATTENDEE" not in data
    assert b"secret-room-42" not in data


def test_times_stay_local_across_a_daylight_saving_change(events_index):
    # 29 March 2026: clocks in Brussels go from 02:00 to 03:00. 10:00 local the day before is
    # 09:00 UTC; 10:00 local the day after is 08:00 UTC.
    before = add_event(events_index, 1, start_date=datetime.date(2026, 3, 28))
    after = add_event(events_index, 2, start_date=datetime.date(2026, 3, 30))

    assert before.starts_at.astimezone(datetime.UTC).hour == 9
    assert after.starts_at.astimezone(datetime.UTC).hour == 8
    for event in (before, after):
        _calendar, vevent = parse(ical.download(event))
        assert vevent.decoded("DTSTART").astimezone(BRUSSELS).hour == 10


def test_an_event_at_a_time_that_does_not_exist_is_refused_next_to_the_field(events_index):
    event = add_event(events_index, 5)
    # 29 March 2026, Brussels: the clocks jump from 02:00 to 03:00.
    event.start_date = datetime.date(2026, 3, 29)
    event.start_time = datetime.time(2, 30)
    event.end_time = datetime.time(4, 0)
    try:
        event.clean()
    except ValidationError as error:
        assert "start_time" in error.message_dict
        assert "does not exist" in error.message_dict["start_time"][0]
    else:
        raise AssertionError("a time in the daylight-saving gap was accepted")

    event.start_time, event.end_time = datetime.time(10, 0), datetime.time(9, 0)
    try:
        event.clean()
    except ValidationError as error:
        assert error.message_dict["end_time"] == ["The event ends after it starts."]
    else:
        raise AssertionError("an event ending before it starts was accepted")

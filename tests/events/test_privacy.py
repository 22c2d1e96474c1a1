"""The joining link and the participants never appear where the public can read."""

import json

from events import feeds, public, services
from events.services import Person
from tests.factories import add_event

JOINING = "secret-room-42"


def test_the_api_shows_public_fields_only(client, events_index, member, run):
    event = add_event(events_index)
    run(services.register, event, Person.from_user(member), user=member)

    listing = client.get("/api/v2/pages/", {"type": "events.EventPage", "fields": "*"})
    detail = client.get(f"/api/v2/pages/{event.pk}/")
    filtered = client.get(
        "/api/v2/pages/",
        {"type": "events.EventPage", "joining_link": f"https://meet.example.org/{JOINING}"},
    )

    for response in (listing, detail):
        assert response.status_code == 200
        text = response.content.decode()
        assert JOINING not in text and member.email not in text and "Anna" not in text
    assert json.loads(detail.content)["summary"] == event.summary
    assert filtered.status_code == 400  # not a field anyone may filter on


def test_the_public_feed_loads_public_fields_only():
    technical = {"title", "slug", "url_path", "path", "depth", "calendar_uid", "calendar_sequence"}
    # The organiser's address is in every invite as ORGANIZER (RFC 5546 asks for it); it is a
    # role address of the organising team, shown in the feed for the same reason.
    allowed = set(public.PUBLIC_FIELDS) | technical | {"organiser_email"}
    assert set(feeds.FEED_FIELDS) <= allowed
    assert not set(feeds.FEED_FIELDS) & set(public.PRIVATE_FIELDS)


def test_no_public_page_shows_the_joining_link(client, events_index, member, run):
    event = add_event(events_index)
    run(services.register, event, Person.from_user(member), user=member)

    for url in (
        event.url,
        events_index.url,
        "/events/feed.ics",
        event.url + "calendar/",
        "/sitemap.xml",
    ):
        text = client.get(url).content.decode()
        assert JOINING not in text, url
        assert member.email not in text, url

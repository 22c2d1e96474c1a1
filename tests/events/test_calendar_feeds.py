"""Calendar subscriptions: the public feed with its filters, and a member's secret feed."""

from django.urls import reverse
from icalendar import Calendar

from events import feeds, services
from events.services import Person
from practices.models import Partnership, Theme
from tests.factories import add_event

JOINING = b"secret-room-42"


def summaries(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    return {str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")}


def test_the_public_feed_lists_events_and_nothing_private(client, events_index, member, run):
    event = add_event(events_index, title="Jobs for newcomers")
    add_event(events_index, 2, title="Draft", live=False)
    run(services.register, event, Person.from_user(member), user=member)

    response = client.get("/events/feed.ics")

    assert summaries(response) == {"Jobs for newcomers"}
    assert JOINING not in response.content
    assert member.email.encode() not in response.content
    assert b"ATTENDEE" not in response.content


def test_the_feed_follows_kind_theme_and_partnership(client, events_index):
    housing = Theme.objects.create(name="Housing", slug="housing")
    inclusion = Partnership.objects.create(name="Inclusion", slug="inclusion")
    webinar = add_event(events_index, 1, title="Webinar", kind="webinar")
    webinar.themes = [housing]
    webinar.save_revision().publish()
    add_event(events_index, 2, title="Visit", kind="study_visit", partnership=inclusion)

    assert summaries(client.get("/events/feed.ics?kind=webinar")) == {"Webinar"}
    assert summaries(client.get("/events/feed.ics?theme=housing")) == {"Webinar"}
    assert summaries(client.get("/events/feed.ics?partnership=inclusion")) == {"Visit"}
    assert summaries(client.get("/events/feed.ics?kind=nonsense")) == set()
    assert summaries(client.get("/events/feed.ics?theme=" + "x" * 5000)) == set()


def test_a_members_secret_feed_has_their_events_and_renews(client, events_index, member, run):
    mine = add_event(events_index, 1, title="Mine")
    add_event(events_index, 2, title="Not mine")
    run(services.register, mine, Person.from_user(member), user=member)
    feed = feeds.feed_for(member)
    url = reverse("events:personal_feed", args=[feed.secret])

    response = client.get(url)

    assert summaries(response) == {"Mine"}
    assert JOINING in response.content  # their own, private calendar
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(member)
    client.post(reverse("events:renew_feed"))
    assert client.get(url).status_code == 404
    new_url = reverse("events:personal_feed", args=[feeds.feed_for(member).secret])
    assert summaries(client.get(new_url)) == {"Mine"}


def test_a_wrong_feed_secret_is_a_404(client, db):
    assert client.get(reverse("events:personal_feed", args=["guess"])).status_code == 404

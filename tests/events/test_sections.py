"""What events add to the dashboard and to practice pages (through core.sections)."""

import datetime
import json

from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import EventPractice, OutcomeReportPage
from events.services import Person
from tests.factories import add_event, add_practice, make_city, make_library


def test_the_dashboard_lists_the_members_registrations_and_their_feed(
    client, events_index, member, run
):
    event = add_event(events_index, title="Jobs for newcomers")
    registration = run(services.register, event, Person.from_user(member), user=member)
    client.force_login(member)

    page = client.get(reverse("accounts:dashboard")).content.decode()

    assert "Your event registrations" in page
    assert "Jobs for newcomers" in page and "Confirmed" in page
    assert reverse("events:registration", args=[registration.secret]) in page
    assert "/my/registrations/calendar/" in page


def test_a_member_downloads_their_own_registrations(client, events_index, member, run):
    event = add_event(events_index, title="Jobs for newcomers")
    run(services.register, event, Person.from_user(member), user=member)
    client.force_login(member)

    response = client.get(reverse("events:my_data"))

    data = json.loads(response.content)
    (item,) = data["registrations"]
    assert item["event"] == "Jobs for newcomers" and item["email"] == member.email
    assert item["history"][0]["to"] == "confirmed"
    assert "attachment" in response["Content-Disposition"]
    client.logout()
    assert client.get(reverse("events:my_data")).status_code == 302


def test_a_practice_page_lists_the_events_it_was_presented_at(client, home_page, events_index):
    practice = add_practice(make_library(home_page), make_city(), title="Job coaches")
    event = add_event(events_index, title="Exchange on jobs")
    EventPractice.objects.create(event=event, practice=practice)
    add_event(events_index, 2, title="Unrelated")

    page = client.get(practice.url).content.decode()

    assert "Presented at" in page
    assert "Exchange on jobs" in page and event.url in page
    assert "Unrelated" not in page


def test_the_home_page_shows_the_next_events_and_the_latest_reports(client, events_index):
    soon = add_event(events_index, 1, title="Coming exchange")
    past = add_event(
        events_index,
        2,
        title="Past exchange",
        start_date=timezone.localdate() - datetime.timedelta(days=9),
    )
    report = OutcomeReportPage(title="What came out", slug="report", summary="Three lessons.")
    past.add_child(instance=report)
    report.save_revision().publish()

    html = client.get("/").content.decode()

    assert "Coming up" in html and "Coming exchange" in html and soon.url in html
    assert "Past exchange" not in html.split("Latest outcome reports")[0].split("Coming up")[1]
    assert "Latest outcome reports" in html and "What came out" in html


def test_the_home_page_says_nothing_about_events_when_there_are_none(client, home_page):
    html = client.get("/").content.decode()
    assert "Coming up" not in html and "Latest outcome reports" not in html

"""An edition is an event: it is listed, fed, registered for and reported on by the events app."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from events.models import EventKind, OutcomeReportPage, Registration, RegistrationState
from tests.factories import add_event, make_event_index

pytestmark = pytest.mark.django_db


def test_the_event_list_and_feed_show_editions_with_their_kind(client, home_page, edition):
    index = make_event_index(home_page)
    add_event(index, title="Virtual exchange on jobs")
    page = client.get(index.url).content.decode()
    assert edition.title in page and "Virtual exchange on jobs" in page
    only_academy = client.get(index.url, {"kind": EventKind.URBAN_ACADEMY}).content.decode()
    assert edition.title in only_academy and "Virtual exchange on jobs" not in only_academy

    feed = Calendar.from_ical(client.get("/events/feed.ics").content)
    titles = {str(item["SUMMARY"]) for item in feed.walk("VEVENT")}
    assert edition.title in titles


def test_a_member_registers_for_an_edition_on_its_page(
    client, edition, city_member, django_capture_on_commit_callbacks
):
    client.force_login(city_member)
    page = client.get(edition.url)
    assert page.status_code == 200
    assert "register/" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edition.url + "register/", {"consent": "on", **_profile(city_member)}
        )
    assert response.status_code in (200, 302)
    registration = Registration.objects.get(event=edition, user=city_member)
    assert registration.state == RegistrationState.CONFIRMED
    assert not registration.reserved_place


def _profile(user):
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": user.organisation,
        "organisation_type": user.organisation_type,
        "country": user.country,
    }


def test_an_outcome_report_goes_under_an_edition(client, edition, editor):
    assert OutcomeReportPage.can_create_at(edition)
    admin = editor
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[edition.pk]))
    # One page type allowed: Wagtail goes straight to its form.
    assert response.status_code == 302
    assert "outcomereportpage" in response["Location"]


def test_the_api_gives_the_calls_public_fields_and_nothing_private(client, edition, city_member):
    from tests.factories import submitted_dilemma

    submitted_dilemma(edition, city_member, title="A private dilemma")
    response = client.get(
        "/api/v2/pages/",
        {"type": "academy.AcademyEditionPage", "fields": "*"},
    )
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["theme"] and item["call_closes_at"]
    assert [c["name"] for c in item["criteria"]] == ["Relevance for other cities", "Clarity"]
    body = response.content.decode()
    assert "joining_link" not in body and "meet.example.org" not in body
    assert "A private dilemma" not in body and "Mechelen" not in body

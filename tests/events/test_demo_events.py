"""The demo events: what the work plan describes, and something to register for."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import OutgoingEmail
from events import charts, services
from events.models import EventPage, EventPractice, OutcomeReportPage, RegistrationState

State = RegistrationState


@pytest.fixture
def demo(db):
    call_command("load_demo", "--quiet")


def test_the_first_virtual_exchange_is_past_with_its_report_and_attendance(client, demo):
    event = EventPage.objects.get(slug="virtual-exchange-first-arrival-measures")
    assert event.is_past and event.partnership.slug == "inclusion-of-migrants-and-refugees"
    report = OutcomeReportPage.objects.child_of(event).live().get()
    figures = charts.attendance(event)
    assert figures.attended > 0 and figures.registered > figures.attended
    page = client.get(report.url).content.decode()
    assert "Attendance by country" in page and "@example.test" not in page
    practice = EventPractice.objects.filter(event=event).first().practice
    assert event.title in client.get(practice.url).content.decode()


def test_an_upcoming_exchange_is_open_and_a_plenary_is_full(demo):
    upcoming = EventPage.objects.get(slug="virtual-exchange-capacity-building")
    assert upcoming.starts_at > timezone.now()
    assert upcoming.registration_window() == "open"
    assert services.seats_left(upcoming) > 0
    plenary = EventPage.objects.get(slug="partnership-plenary-meeting")
    assert services.seats_left(plenary) == 0
    assert plenary.registrations.filter(state=State.WAITING).count() == 2


def test_the_demo_sends_no_event_email(demo):
    assert not OutgoingEmail.objects.filter(subject__icontains="registered").exists()

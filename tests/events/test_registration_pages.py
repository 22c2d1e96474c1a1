"""Registering from the event page, and the person's own pages reached from the e-mails."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Registration, RegistrationQuestion, RegistrationState
from tests.factories import add_event, make_member

State = RegistrationState
JOINING = "secret-room-42"


@pytest.fixture
def event(events_index):
    return add_event(events_index, capacity=2)


def visitor_data(**extra):
    return {
        "first_name": "Vera",
        "last_name": "Visitor",
        "email": "vera@gent.test",
        "organisation": "City of Gent",
        "organisation_type": "city",
        "country": "BE",
        "consent": "on",
        **extra,
    }


def post(client, event, data, capture):
    with capture(execute=True):
        return client.post(event.url + "register/", data)


def link(body: str, name: str) -> str:
    return re.search(rf"http://testserver(/my/registrations/[^/\s]+/{name})", body).group(1)


def test_the_event_page_leads_to_the_form_and_never_shows_the_joining_link(client, event):
    response = client.get(event.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 seats left" in html
    assert "(Europe/Brussels time)" in html
    assert f'href="{event.url}register/"' in html
    assert JOINING not in html
    form_page = client.get(event.url + "register/").content.decode()
    assert 'name="first_name"' in form_page and 'name="consent"' in form_page
    assert JOINING not in form_page


def test_a_visitor_registers_and_confirms_through_the_email(
    client, event, django_capture_on_commit_callbacks
):
    response = post(client, event, visitor_data(), django_capture_on_commit_callbacks)

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.state == State.AWAITING_EMAIL
    page = client.get(response["Location"]).content.decode()
    assert "Check your inbox" in page
    assert registration.secret not in page  # the link is sent, never shown
    (message,) = mail.outbox
    confirm = link(message.body, "confirm/")

    # Opening the link (or a mail scanner opening it) does not confirm; the button does.
    assert client.get(confirm).status_code == 200
    assert Registration.objects.get().state == State.AWAITING_EMAIL
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm)
    assert response.status_code == 302
    assert Registration.objects.get().state == State.CONFIRMED
    invite = mail.outbox[-1]
    assert JOINING in invite.body
    page = client.get(response["Location"]).content.decode()
    assert "Confirmed" in page and JOINING in page


def test_a_member_is_registered_with_their_profile(
    client, member, event, django_capture_on_commit_callbacks
):
    client.force_login(member)
    page = client.get(event.url + "register/").content.decode()
    assert 'value="Anna"' in page and 'value="City of Mechelen"' in page

    data = visitor_data(first_name="Anna", last_name="Peeters", email=member.email)
    response = post(client, event, data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.state == State.CONFIRMED and registration.user == member
    page = client.get(event.url).content.decode()
    assert "Confirmed" in page
    assert reverse("events:registration", args=[registration.secret]) in page
    assert f'href="{event.url}register/"' not in page
    assert 'name="first_name"' not in client.get(event.url + "register/").content.decode()


def test_someone_typing_a_members_address_learns_nothing_and_takes_nothing(
    client, member, event, django_capture_on_commit_callbacks
):
    client.force_login(member)
    post(client, event, visitor_data(email=member.email), django_capture_on_commit_callbacks)
    client.logout()
    mail.outbox.clear()

    response = post(
        client, event, visitor_data(email=member.email.upper()), django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    registration = Registration.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert registration.secret not in page
    assert Registration.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == [registration.email]  # the link goes to its owner


def test_errors_are_shown_next_to_the_fields(client, event):
    response = client.post(
        event.url + "register/", visitor_data(email="not-an-address", consent="")
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "email" in form.errors and "consent" in form.errors
    assert not Registration.objects.exists()


def test_the_events_own_questions_are_asked_and_kept(
    client, event, django_capture_on_commit_callbacks
):
    question = RegistrationQuestion.objects.create(
        event=event, label="Which city do you represent?", kind="text", required=True
    )
    choice = RegistrationQuestion.objects.create(
        event=event, label="Lunch", kind="choice", choices="Vegetarian\nVegan", required=False
    )

    response = client.post(event.url + "register/", visitor_data())
    assert response.status_code == 400 and question.key in response.context["form"].errors

    data = visitor_data(**{question.key: "Gent", choice.key: "Vegan"})
    assert post(client, event, data, django_capture_on_commit_callbacks).status_code == 302
    answers = Registration.objects.get().answers
    assert answers[question.key] == {"question": "Which city do you represent?", "answer": "Gent"}
    assert answers[choice.key]["answer"] == "Vegan"


def test_a_bot_filling_the_honeypot_is_told_the_same_and_nothing_is_stored(client, event):
    response = client.post(event.url + "register/", visitor_data(website="http://spam.test"))

    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_registrations_are_rate_limited_per_client(
    client, event, django_capture_on_commit_callbacks
):
    for number in range(10):
        data = visitor_data(email=f"person{number}@gent.test")
        assert post(client, event, data, django_capture_on_commit_callbacks).status_code == 302

    response = client.post(event.url + "register/", visitor_data(email="eleventh@gent.test"))

    assert response.status_code == 429
    assert "Too many registrations" in response.content.decode()


def test_a_closed_registration_says_so(client, events_index):
    event = add_event(
        events_index, registration_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )

    page = client.get(event.url).content.decode()
    assert "Registration for this event has closed." in page
    response = client.post(event.url + "register/", visitor_data())
    assert response.status_code == 400
    assert "Registration for this event has closed." in response.content.decode()


def test_a_participant_cancels_from_the_link(client, member, event, run):
    registration = run(services.register, event, services.Person.from_user(member), user=member)
    manage = reverse("events:registration", args=[registration.secret])

    response = client.post(manage, {"action": "cancel"})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.state == State.CANCELLED
    assert "Your registration is cancelled." in client.get(manage).content.decode()


def test_an_unknown_or_overlong_secret_is_a_404(client, db):
    assert client.get(reverse("events:registration", args=["nope"])).status_code == 404
    assert client.get(reverse("events:registration", args=["x" * 500])).status_code == 404


def test_the_calendar_download_is_public_and_private_free(client, event):
    response = client.get(event.url + "calendar/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    assert JOINING.encode() not in response.content


def test_a_full_event_offers_the_waiting_list(
    client, events_index, django_capture_on_commit_callbacks
):
    event = add_event(events_index, capacity=1)
    first = make_member("first@gent.test")
    client.force_login(first)
    post(client, event, visitor_data(email=first.email), django_capture_on_commit_callbacks)
    client.logout()

    page = client.get(event.url).content.decode()

    assert "Join the waiting list" in page


def test_the_event_page_runs_the_same_queries_for_few_and_many_registrations(
    client, events_index, django_assert_max_num_queries
):
    event = add_event(events_index, 30, capacity=None)

    def register(count, first):
        Registration.objects.bulk_create(
            Registration(
                event=event,
                email=f"p{first + n}@x.test",
                first_name="P",
                last_name=str(n),
                state=State.CONFIRMED,
            )
            for n in range(count)
        )

    register(3, 0)
    client.get(event.url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(event.url).status_code == 200
    register(3000, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(event.url).status_code == 200


def test_members_behind_one_address_are_limited_one_by_one(
    client, events_index, members, django_capture_on_commit_callbacks
):
    events = [add_event(events_index, 40 + n) for n in range(12)]
    for person in members(12, prefix="colleague"):
        client.force_login(person)
        data = visitor_data(email=person.email)
        assert post(client, events[0], data, django_capture_on_commit_callbacks).status_code == 302
    assert Registration.objects.filter(event=events[0], state=State.CONFIRMED).count() == 12

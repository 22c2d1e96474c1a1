"""Reminders go out once, whoever runs them; old registrations lose their personal data."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from events import services
from events.models import Registration, RegistrationChange, RegistrationState
from events.services import Person
from tests.factories import add_event, make_event_index, make_home_page, make_member

State = RegistrationState


def tomorrow_morning(events_index, **fields):
    start = timezone.localtime() + datetime.timedelta(hours=20)
    return add_event(
        events_index,
        start_date=start.date(),
        start_time=datetime.time(start.hour, 0),
        end_time=datetime.time(23, 59),
        **fields,
    )


def test_a_reminder_goes_to_confirmed_participants_once(events_index, members, run):
    event = tomorrow_morning(events_index, capacity=1)
    first, second = members(2)
    run(services.register, event, Person.from_user(first), user=first)
    run(services.register, event, Person.from_user(second), user=second)  # waiting
    mail.outbox.clear()

    assert run(services.send_reminders) == 1
    assert run(services.send_reminders) == 0

    (message,) = mail.outbox
    assert message.to == [first.email]
    assert "starts soon" in message.subject
    assert "secret-room-42" in message.body  # the joining link, for the one who may join


def test_no_reminder_for_an_event_further_away(events_index, member, run):
    event = add_event(events_index)  # a month from now
    run(services.register, event, Person.from_user(member), user=member)
    mail.outbox.clear()

    assert run(services.send_reminders) == 0


def test_the_command_sends_reminders_and_lapses_unconfirmed(events_index, member, run):
    event = tomorrow_morning(events_index)
    run(services.register, event, Person.from_user(member), user=member)
    visitor = run(
        services.register, event, Person(email="v@gent.test", first_name="V", last_name="W")
    )
    Registration.objects.filter(pk=visitor.pk).update(expires_at=timezone.now())

    run(call_command, "send_event_reminders", verbosity=0)

    assert Registration.objects.get(pk=visitor.pk).state == State.CANCELLED
    assert Registration.objects.get(user=member).reminded_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_machines_running_reminders_at_once_send_each_once():
    event = tomorrow_morning(make_event_index(make_home_page()))
    for i in range(20):
        user = make_member(f"p{i}@remind.test")
        services.register(event, Person.from_user(user), user=user)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    counts = []

    def machine():
        barrier.wait()
        try:
            counts.append(services.send_reminders())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=machine) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(counts) == 20
    assert len(mail.outbox) == 20
    assert len({m.to[0] for m in mail.outbox}) == 20


def test_old_registrations_lose_their_personal_data_and_keep_their_counts(
    events_index, member, run
):
    past = add_event(
        events_index, 2, start_date=timezone.localdate() - datetime.timedelta(days=500)
    )
    recent = add_event(events_index, 3)
    old = Registration.objects.create(
        event=past,
        email="anna@mechelen.test",
        first_name="Anna",
        last_name="Peeters",
        organisation="City of Mechelen",
        organisation_type="city",
        country="BE",
        state=State.ATTENDED,
        user=member,
        answers={"q1": {"question": "Diet", "answer": "vegan"}},
    )
    RegistrationChange.objects.create(registration=old, to_state=State.ATTENDED, note="Anna came")
    kept = run(services.register, recent, Person.from_user(member), user=member)

    call_command("purge_registrations", verbosity=0)

    old.refresh_from_db()
    assert old.first_name == old.last_name == old.organisation == ""
    assert old.email.endswith("@invalid") and "anna" not in old.email
    assert old.answers == {} and old.user is None and old.anonymised_at is not None
    assert (old.state, old.country, old.organisation_type) == (State.ATTENDED, "BE", "city")
    assert not RegistrationChange.objects.filter(note__contains="Anna").exists()
    kept.refresh_from_db()
    assert kept.first_name == "Anna"

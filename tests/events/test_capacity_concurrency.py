"""Seats hold under a rush: many people registering for the last seats at the same moment.

Each thread has its own database connection, as gunicorn's workers do. The suite runs this on
SQLite (IMMEDIATE transactions serialise the writers) and on PostgreSQL (the event's row is
locked with SELECT ... FOR UPDATE and the seats are counted after the lock).
"""

import threading

import pytest
from django.db import connection, connections

from events import services
from events.models import Registration, RegistrationChange, RegistrationState
from events.services import Person
from tests.factories import add_event, make_event_index, make_home_page, make_member

State = RegistrationState
PEOPLE = 50
SEATS = 10


def rush(function, arguments):
    """Call `function` with each of `arguments` in its own thread, all released at once."""
    barrier = threading.Barrier(len(arguments))
    errors: list[BaseException] = []
    results = []

    def worker(argument):
        try:
            barrier.wait()
            results.append(function(argument))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_fifty_people_rushing_ten_seats_get_ten_seats_and_a_waiting_list():
    event = add_event(make_event_index(make_home_page()), capacity=SEATS)
    people = [make_member(f"officer{i}@rush.test", first_name=f"O{i}") for i in range(PEOPLE)]

    results, errors = rush(
        lambda user: services.register(event, Person.from_user(user), user=user), people
    )

    assert errors == []
    assert len(results) == PEOPLE
    states = list(Registration.objects.values_list("state", flat=True))
    assert states.count(State.CONFIRMED) == SEATS
    assert states.count(State.WAITING) == PEOPLE - SEATS
    # Everyone has a distinct place on the waiting list, and one recorded change each.
    waiting = Registration.objects.filter(state=State.WAITING)
    positions = sorted(services.waiting_position(r) for r in waiting)
    assert positions == list(range(1, PEOPLE - SEATS + 1))
    assert RegistrationChange.objects.count() == PEOPLE
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db(transaction=True)
def test_cancellations_racing_each_other_promote_exactly_one_each():
    event = add_event(make_event_index(make_home_page()), capacity=SEATS)
    people = [make_member(f"officer{i}@race.test") for i in range(SEATS + 20)]
    for user in people:
        services.register(event, Person.from_user(user), user=user)
    seated = list(Registration.objects.filter(state=State.CONFIRMED))

    results, errors = rush(lambda registration: services.cancel(registration), seated[:5])

    assert errors == []
    assert Registration.objects.filter(state=State.CONFIRMED).count() == SEATS
    assert Registration.objects.filter(state=State.CANCELLED).count() == 5
    assert Registration.objects.filter(state=State.WAITING).count() == 15

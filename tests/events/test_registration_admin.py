"""Editors and organisers manage registrations in the Wagtail admin; nobody else sees them."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page

from core import roles
from events import services
from events.models import Registration, RegistrationState
from events.services import Person
from tests.factories import add_event, make_member

State = RegistrationState


@pytest.fixture
def staff_editor(db):
    return make_member("eva@urbanexchange.test", first_name="Eva", groups=[roles.EDITORS])


@pytest.fixture
def event(events_index):
    return add_event(events_index, capacity=1, requires_approval=True)


@pytest.fixture
def pending(event, member, run):
    return run(services.register, event, Person.from_user(member), user=member)


def test_an_editor_lists_filters_and_exports_registrations(client, staff_editor, pending):
    client.force_login(staff_editor)

    listing = client.get(reverse("events_registration:index"), {"state": State.AWAITING_APPROVAL})
    assert listing.status_code == 200
    assert "Anna Peeters" in listing.content.decode()

    csv = client.get(reverse("events_registration:index") + "?export=csv")
    assert csv.status_code == 200
    assert b"anna" in csv.getvalue().lower() or b"Anna" in b"".join(csv.streaming_content)
    xlsx = client.get(reverse("events_registration:index") + "?export=xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_editor_approves_with_a_message_and_the_history_shows_it(
    client, staff_editor, pending, django_capture_on_commit_callbacks
):
    client.force_login(staff_editor)
    inspect = reverse("events_registration:inspect", args=[pending.pk])
    assert "Approve" in client.get(inspect).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events_registration:decide", args=[pending.pk]),
            {"decision": "approve", "message": "See you in Brussels."},
        )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == State.CONFIRMED
    page = client.get(inspect).content.decode()
    assert "See you in Brussels." in page and "Eva" in page
    assert "See you in Brussels." in mail.outbox[-1].body
    assert "You are registered" in mail.outbox[-1].subject


def test_a_decision_that_does_not_apply_is_refused_with_a_message(client, staff_editor, pending):
    client.force_login(staff_editor)

    response = client.post(
        reverse("events_registration:decide", args=[pending.pk]), {"decision": "move"}, follow=True
    )

    assert "Only someone on the waiting list" in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == State.AWAITING_APPROVAL


def test_staff_who_are_not_editors_see_no_registration(client, pending):
    moderator = make_member("mod@urbanexchange.test", groups=[roles.MODERATORS])
    client.force_login(moderator)

    assert client.get(reverse("events_registration:index")).status_code in (302, 403)
    inspect = client.get(reverse("events_registration:inspect", args=[pending.pk]))
    assert inspect.status_code in (302, 403)
    decide = client.post(
        reverse("events_registration:decide", args=[pending.pk]), {"decision": "approve"}
    )
    assert decide.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.state == State.AWAITING_APPROVAL


def test_an_organiser_sees_only_their_own_events_registrations(
    client, events_index, event, pending, run
):
    other = add_event(events_index, 2, organiser_email="someone@else.test")
    outsider = make_member("out@gent.test", first_name="Otto")
    run(services.register, other, Person.from_user(outsider), user=outsider)
    organiser = make_member(
        "organiser@urbanexchange.test", first_name="Olga", groups=[roles.MODERATORS]
    )
    client.force_login(organiser)

    listing = client.get(reverse("events_registration:index")).content.decode()

    assert "Anna Peeters" in listing
    assert "Otto" not in listing
    foreign = Registration.objects.get(event=other)
    response = client.get(reverse("events_registration:inspect", args=[foreign.pk]), follow=True)
    assert "Otto" not in response.content.decode()
    assert response.redirect_chain  # sent back to the dashboard with "no permission"


def test_check_in_from_the_qr_code(client, staff_editor, events_index, member, run):
    event = add_event(events_index, 3)
    registration = run(services.register, event, Person.from_user(member), user=member)
    url = reverse("events_registration:check_in", args=[registration.check_in_secret])

    # A visitor meets the admin's login; a signed-in member who is not staff learns nothing.
    assert client.get(url).status_code == 302
    client.force_login(member)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "Anna" not in response.content.decode()

    client.force_login(staff_editor)
    page = client.get(url).content.decode()
    assert "Anna Peeters" in page and "Check in" in page
    client.post(url)
    registration.refresh_from_db()
    assert registration.state == State.ATTENDED


def test_an_editor_emails_everyone_in_a_state(
    client, staff_editor, events_index, members, run, django_capture_on_commit_callbacks
):
    event = add_event(events_index, 4, capacity=2)
    people = members(3)
    for person in people:
        run(services.register, event, Person.from_user(person), user=person)
    mail.outbox.clear()
    client.force_login(staff_editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events_registration:email"),
            {
                "event": event.pk,
                "state": State.CONFIRMED,
                "subject": "Practical details",
                "message": "Bring your badge.",
            },
        )

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[:2])
    assert all("Bring your badge." in m.body for m in mail.outbox)
    assert all(m.reply_to == ["organiser@urbanexchange.test"] for m in mail.outbox)


def test_editors_may_publish_events_and_reports_but_nothing_else(
    staff_editor, events_index, home_page
):
    event = add_event(events_index, 9)
    assert event.permissions_for_user(staff_editor).can_publish()
    assert events_index.permissions_for_user(staff_editor).can_publish()
    about = Page.objects.get(pk=home_page.pk)
    assert not about.permissions_for_user(staff_editor).can_publish()


def test_an_editor_cancels_an_event_from_the_page_editor(
    client, staff_editor, events_index, member, run, django_capture_on_commit_callbacks
):
    event = add_event(events_index, 11)
    run(services.register, event, Person.from_user(member), user=member)
    mail.outbox.clear()
    client.force_login(staff_editor)

    editor_page = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert reverse("events_registration:cancel_event", args=[event.pk]) in editor_page
    assert f"/admin/events_registration/?event={event.pk}" in editor_page
    url = reverse("events_registration:cancel_event", args=[event.pk])
    assert "1 person holds a seat." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "The speakers cannot travel."})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None
    (message,) = mail.outbox
    assert "The speakers cannot travel." in message.body
    assert "This event has been cancelled." in client.get(event.url).content.decode()


def test_someone_who_cannot_publish_the_event_cannot_cancel_it(client, events_index):
    event = add_event(events_index, 12)
    moderator = make_member("mod2@urbanexchange.test", groups=[roles.MODERATORS])
    client.force_login(moderator)

    response = client.post(reverse("events_registration:cancel_event", args=[event.pk]))

    assert response.status_code in (302, 403)
    event.refresh_from_db()
    assert event.cancelled_at is None

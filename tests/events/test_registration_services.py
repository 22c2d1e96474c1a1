"""The rules of registration (events.services): every state change, its record and its e-mail."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from core.mail import resend_failed
from core.models import OutgoingEmail
from events import notifications, services
from events.models import Registration, RegistrationChange, RegistrationState
from events.services import Person, RegistrationError
from tests.factories import add_event

State = RegistrationState

VISITOR = Person(
    email="Visitor@Gent.test", first_name="Vera", last_name="Visitor", organisation="City of Gent"
)


def calendar_part(message):
    """The text/calendar alternative of a sent message, parsed back."""
    for content, mimetype in message.alternatives:
        if mimetype.startswith("text/calendar"):
            return Calendar.from_ical(content), mimetype
    return None, None


def history(registration):
    return list(
        RegistrationChange.objects.filter(registration=registration).values_list(
            "from_state", "to_state"
        )
    )


def test_a_verified_member_is_confirmed_at_once_with_an_invite(events_index, member, run):
    event = add_event(events_index, capacity=10)

    registration = run(services.register, event, Person.from_user(member), user=member)

    assert registration.state == State.CONFIRMED
    assert registration.first_name == "Anna" and registration.organisation == "City of Mechelen"
    assert history(registration) == [("", State.CONFIRMED)]
    (message,) = mail.outbox
    assert message.to == [member.email]
    calendar, mimetype = calendar_part(message)
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    assert calendar["METHOD"] == "REQUEST"
    assert [attachment[0] for attachment in message.attachments] == ["invite.ics"]
    assert "secret-room-42" in message.body
    assert registration.secret in message.body


def test_a_visitor_holds_no_seat_until_the_address_is_confirmed(events_index, run):
    event = add_event(events_index, capacity=1)

    registration = run(services.register, event, VISITOR)

    assert registration.state == State.AWAITING_EMAIL
    assert services.seats_taken(event) == 0
    (message,) = mail.outbox
    assert f"/my/registrations/{registration.secret}/confirm/" in message.body
    assert "secret-room-42" not in message.body  # the joining link only once confirmed
    assert calendar_part(message) == (None, None)

    run(services.confirm_email, registration)

    registration.refresh_from_db()
    assert registration.state == State.CONFIRMED
    assert registration.expires_at is None
    assert history(registration) == [
        ("", State.AWAITING_EMAIL),
        (State.AWAITING_EMAIL, State.CONFIRMED),
    ]
    assert calendar_part(mail.outbox[-1])[0]["METHOD"] == "REQUEST"


def test_a_second_click_on_the_confirmation_link_changes_nothing(events_index, run):
    event = add_event(events_index)
    registration = run(services.register, event, VISITOR)
    run(services.confirm_email, registration)
    sent = len(mail.outbox)

    run(services.confirm_email, registration)

    assert len(mail.outbox) == sent
    assert Registration.objects.get().state == State.CONFIRMED


def test_an_unconfirmed_registration_expires(events_index, run):
    event = add_event(events_index)
    registration = run(services.register, event, VISITOR)
    later = timezone.now() + services.confirmation_window() + datetime.timedelta(minutes=1)

    with pytest.raises(RegistrationError) as error:
        run(services.confirm_email, registration, now=later)
    assert error.value.code == "expired"

    assert run(services.expire_unconfirmed, now=later) == 1
    registration.refresh_from_db()
    assert registration.state == State.CANCELLED
    # Registering again starts over on the same record.
    again = run(services.register, event, VISITOR, now=later)
    assert again.pk == registration.pk and again.state == State.AWAITING_EMAIL


def test_the_same_address_gets_its_registration_back(events_index, member, run):
    event = add_event(events_index)
    first = run(services.register, event, Person.from_user(member), user=member)

    again = run(
        services.register,
        event,
        Person(email=member.email.upper(), first_name="X", last_name="Y"),
        user=None,
    )

    assert again.pk == first.pk
    assert Registration.objects.count() == 1
    assert Registration.objects.get().first_name == "Anna"


def test_a_full_event_puts_people_on_the_waiting_list_in_order(events_index, members, run):
    event = add_event(events_index, capacity=1)
    first, second, third = members(3)

    seated = run(services.register, event, Person.from_user(first), user=first)
    waiting_a = run(services.register, event, Person.from_user(second), user=second)
    waiting_b = run(services.register, event, Person.from_user(third), user=third)

    assert seated.state == State.CONFIRMED
    assert waiting_a.state == waiting_b.state == State.WAITING
    assert services.waiting_position(waiting_a) == 1
    assert services.waiting_position(waiting_b) == 2
    assert "waiting list" in mail.outbox[-1].subject


def test_a_cancellation_promotes_the_first_on_the_waiting_list(events_index, members, run):
    event = add_event(events_index, capacity=1)
    first, second, third = members(3)
    seated = run(services.register, event, Person.from_user(first), user=first)
    waiting_a = run(services.register, event, Person.from_user(second), user=second)
    waiting_b = run(services.register, event, Person.from_user(third), user=third)
    mail.outbox.clear()

    run(services.cancel, seated, actor=first)

    waiting_a.refresh_from_db()
    waiting_b.refresh_from_db()
    assert waiting_a.state == State.CONFIRMED
    assert waiting_b.state == State.WAITING and services.waiting_position(waiting_b) == 1
    cancel_mail, promoted_mail = mail.outbox
    assert cancel_mail.to == [first.email]
    assert calendar_part(cancel_mail)[0]["METHOD"] == "CANCEL"
    assert promoted_mail.to == [second.email]
    assert calendar_part(promoted_mail)[0]["METHOD"] == "REQUEST"


def test_leaving_the_waiting_list_sends_no_calendar_cancel(events_index, members, run):
    event = add_event(events_index, capacity=1)
    first, second = members(2)
    run(services.register, event, Person.from_user(first), user=first)
    waiting = run(services.register, event, Person.from_user(second), user=second)
    mail.outbox.clear()

    run(services.cancel, waiting, actor=second)

    (message,) = mail.outbox
    assert calendar_part(message) == (None, None)
    assert Registration.objects.filter(state=State.CONFIRMED).count() == 1


def test_raising_the_capacity_promotes_the_waiting_list(events_index, members, run):
    event = add_event(events_index, capacity=1)
    people = members(4)
    for person in people:
        run(services.register, event, Person.from_user(person), user=person)
    event.capacity = 3
    event.save()

    promoted = run(services.promote_from_waiting_list, event)

    assert [r.user for r in promoted] == people[1:3]
    assert Registration.objects.filter(state=State.CONFIRMED).count() == 3
    assert Registration.objects.filter(state=State.WAITING).count() == 1


def test_approval_holds_the_registration_until_an_editor_decides(
    events_index, members, editor, run
):
    event = add_event(events_index, capacity=1, requires_approval=True)
    first, second = members(2)
    a = run(services.register, event, Person.from_user(first), user=first)
    b = run(services.register, event, Person.from_user(second), user=second)
    assert a.state == b.state == State.AWAITING_APPROVAL
    assert services.seats_taken(event) == 0

    run(services.approve, a, actor=editor, message="Welcome")
    run(services.approve, b, actor=editor)

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == State.CONFIRMED
    assert b.state == State.WAITING
    change = a.changes.last()
    assert change.actor == editor and change.note == "Welcome"


def test_declining_tells_the_person_with_the_editors_message(events_index, member, editor, run):
    event = add_event(events_index, requires_approval=True)
    registration = run(services.register, event, Person.from_user(member), user=member)

    run(services.decline, registration, actor=editor, message="The exchange is for city officers.")

    registration.refresh_from_db()
    assert registration.state == State.DECLINED
    assert "The exchange is for city officers." in mail.outbox[-1].body
    # A declined person registering again gets the decision back, not a new registration.
    assert (
        run(services.register, event, Person.from_user(member), user=member).state == State.DECLINED
    )


def test_only_waiting_registrations_are_moved_up(events_index, members, editor, run):
    event = add_event(events_index, capacity=1)
    first, second = members(2)
    seated = run(services.register, event, Person.from_user(first), user=first)
    waiting = run(services.register, event, Person.from_user(second), user=second)

    run(services.move_from_waiting_list, waiting, actor=editor)

    waiting.refresh_from_db()
    assert waiting.state == State.CONFIRMED
    with pytest.raises(RegistrationError):
        run(services.move_from_waiting_list, seated, actor=editor)


def test_check_in_marks_a_confirmed_participant_as_attended(events_index, member, editor, run):
    event = add_event(events_index)
    registration = run(services.register, event, Person.from_user(member), user=member)

    run(services.check_in, registration, actor=editor)
    run(services.check_in, registration, actor=editor)  # a second scan changes nothing

    registration.refresh_from_db()
    assert registration.state == State.ATTENDED
    assert registration.checked_in_at is not None
    assert history(registration)[-1] == (State.CONFIRMED, State.ATTENDED)
    assert len(history(registration)) == 2
    with pytest.raises(RegistrationError):
        run(services.cancel, registration, actor=member)


def test_check_in_refuses_someone_without_a_seat(events_index, members, editor, run):
    event = add_event(events_index, capacity=1)
    first, second = members(2)
    run(services.register, event, Person.from_user(first), user=first)
    waiting = run(services.register, event, Person.from_user(second), user=second)

    with pytest.raises(RegistrationError):
        run(services.check_in, waiting, actor=editor)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"registration_opens_at": timezone.now() + datetime.timedelta(days=1)}, "not_yet"),
        ({"registration_closes_at": timezone.now() - datetime.timedelta(minutes=1)}, "closed"),
    ],
)
def test_registration_outside_its_window_says_why(events_index, member, fields, code, run):
    event = add_event(events_index, **fields)

    with pytest.raises(RegistrationError) as error:
        run(services.register, event, Person.from_user(member), user=member)

    assert error.value.code == code
    assert not Registration.objects.exists()


def test_a_full_event_without_a_waiting_list_says_so(events_index, members, run):
    event = add_event(events_index, capacity=1, has_waiting_list=False)
    first, second = members(2)
    run(services.register, event, Person.from_user(first), user=first)

    with pytest.raises(RegistrationError) as error:
        run(services.register, event, Person.from_user(second), user=second)

    assert error.value.code == "full"
    assert Registration.objects.count() == 1


def test_an_unverified_member_confirms_the_address_first(events_index, unverified_member, run):
    event = add_event(events_index)

    registration = run(
        services.register,
        event,
        Person(email=unverified_member.email, first_name="New", last_name="Member"),
        user=unverified_member,
    )

    assert registration.state == State.AWAITING_EMAIL
    assert registration.user == unverified_member


def test_a_member_registering_another_address_confirms_it(events_index, member, run):
    event = add_event(events_index)

    registration = run(
        services.register,
        event,
        Person(email="colleague@mechelen.test", first_name="C", last_name="D"),
        user=member,
    )

    assert registration.state == State.AWAITING_EMAIL


def test_a_failing_mail_server_loses_no_registration(events_index, member, settings, run):
    settings.EMAIL_DELIVERY_BACKEND = "tests.factories.FailingMailServer"
    event = add_event(events_index)

    registration = run(services.register, event, Person.from_user(member), user=member)

    assert Registration.objects.get(pk=registration.pk).state == State.CONFIRMED
    email = OutgoingEmail.objects.get()
    assert email.state == OutgoingEmail.State.FAILED
    assert not mail.outbox

    # The server is back: the invite goes out when the failed e-mails are sent again.
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(resend_failed) == 1
    (message,) = mail.outbox
    assert calendar_part(message)[0]["METHOD"] == "REQUEST"


def test_a_change_of_time_sends_every_participant_the_updated_invite(events_index, members, run):
    event = add_event(events_index, capacity=1)
    first, second = members(2)
    seated = run(services.register, event, Person.from_user(first), user=first)
    run(services.register, event, Person.from_user(second), user=second)
    first_invite = calendar_part(mail.outbox[0])[0].walk("VEVENT")[0]
    mail.outbox.clear()

    event.start_time = datetime.time(14, 0)
    event.end_time = datetime.time(16, 0)
    run(event.save_revision().publish)

    (message,) = mail.outbox  # the confirmed participant only, not the waiting list
    assert message.to == [seated.email]
    vevent = calendar_part(message)[0].walk("VEVENT")[0]
    assert str(vevent["UID"]) == str(first_invite["UID"])
    assert vevent["SEQUENCE"] == first_invite["SEQUENCE"] + 1 == 1
    assert vevent.decoded("DTSTART").hour == 14


def test_publishing_without_a_change_of_time_or_place_sends_nothing(events_index, member, run):
    event = add_event(events_index)
    run(services.register, event, Person.from_user(member), user=member)
    mail.outbox.clear()

    event.summary = "A better summary."
    run(event.save_revision().publish)

    assert not mail.outbox
    event.refresh_from_db()
    assert event.calendar_sequence == 0


def test_raising_the_capacity_in_the_editor_promotes_the_waiting_list(events_index, members, run):
    event = add_event(events_index, capacity=1)
    first, second = members(2)
    run(services.register, event, Person.from_user(first), user=first)
    waiting = run(services.register, event, Person.from_user(second), user=second)

    event.capacity = 2
    run(event.save_revision().publish)

    waiting.refresh_from_db()
    assert waiting.state == State.CONFIRMED
    assert "A seat is free" in mail.outbox[-1].subject


def test_cancelling_the_event_tells_everyone(events_index, members, editor, run):
    event = add_event(events_index, capacity=1)
    first, second = members(2)
    run(services.register, event, Person.from_user(first), user=first)
    run(services.register, event, Person.from_user(second), user=second)
    mail.outbox.clear()

    assert run(services.cancel_event, event, actor=editor, message="The room flooded.") == 2

    invite_holder, waiting = mail.outbox
    calendar, _mimetype = calendar_part(invite_holder)
    assert calendar["METHOD"] == "CANCEL"
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == "CANCELLED" and vevent["SEQUENCE"] == 1
    assert "The room flooded." in invite_holder.body
    assert calendar_part(waiting) == (None, None)
    assert set(Registration.objects.values_list("state", flat=True)) == {State.CANCELLED}
    with pytest.raises(RegistrationError):
        run(services.register, event, Person.from_user(first), user=first)


def test_the_confirmation_of_an_event_with_a_door_carries_a_check_in_qr_code(
    events_index, member, run
):
    event = add_event(events_index, format="in_person", venue="Stadhuis")

    registration = run(services.register, event, Person.from_user(member), user=member)

    (message,) = mail.outbox
    names = [attachment[0] for attachment in message.attachments]
    assert names == ["invite.ics", "check-in.png"]
    png = message.attachments[1][1]
    assert png.startswith(b"\x89PNG")
    assert "QR code" in message.body
    # The code holds the check-in address, which only editors can use.
    assert notifications.check_in_url(registration).endswith(
        f"/check-in/{registration.check_in_secret}/"
    )


def test_an_online_event_sends_no_qr_code(events_index, member, run):
    event = add_event(events_index, format="online")

    run(services.register, event, Person.from_user(member), user=member)

    assert [attachment[0] for attachment in mail.outbox[0].attachments] == ["invite.ics"]


def test_the_invite_email_has_the_mime_structure_calendar_clients_expect(events_index, member, run):
    event = add_event(events_index)
    run(services.register, event, Person.from_user(member), user=member)

    mime = mail.outbox[0].message()

    assert mime.get_content_type() == "multipart/mixed"
    alternative, attachment = mime.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in alternative.get_payload()]
    assert parts == ["text/plain", "text/html", "text/calendar"]
    calendar_part = alternative.get_payload()[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset() == "utf-8"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert Calendar.from_ical(attachment.get_payload(decode=True))["METHOD"] == "REQUEST"

"""The rules of registration: every change of a registration's state is a function here.

Views, forms, the admin and the management commands call these functions and hold no rules of
their own. Each change is recorded (`RegistrationChange`: when, by whom, from what to what) and
its e-mail is queued in the same transaction (`events.notifications`, through core's mail
module), so that a failing mail server never loses a registration and a rolled-back change
sends nothing.

Seats are a limited resource. Every function that may take or free one runs in one transaction
that first locks the event's row and only then counts the seats taken: two people registering
for the last seat at the same moment are served one after the other, and the second one sees
the first one's seat. On PostgreSQL the lock is `SELECT ... FOR UPDATE`; SQLite has no row
locks, but the site opens its transactions IMMEDIATE (`SQLITE_OPTIONS`), which serialises
writers for the whole database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import notifications
from .models import (
    EventPage,
    OutcomeReportPage,
    Registration,
    RegistrationChange,
    RegistrationState,
)
from .models.registration import SEATED

State = RegistrationState


#: The states from which the person may cancel (or leave the waiting list).
CANCELLABLE = (
    State.AWAITING_EMAIL,
    State.AWAITING_APPROVAL,
    State.CONFIRMED,
    State.WAITING,
)


class RegistrationError(Exception):
    """A registration that cannot be made or changed, with a message for the person."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Person:
    """Who registers, as the form (or the member's profile) gives it."""

    email: str
    first_name: str
    last_name: str
    organisation: str = ""
    organisation_type: str = ""
    country: str = ""

    @classmethod
    def from_user(cls, user) -> Person:
        return cls(
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            organisation=user.organisation,
            organisation_type=user.organisation_type,
            country=user.country,
        )


def confirmation_window() -> timedelta:
    """How long a visitor has to follow the link in the confirmation e-mail."""
    return timedelta(hours=getattr(settings, "EVENT_EMAIL_CONFIRMATION_HOURS", 48))


# --- Registering ------------------------------------------------------------------------------


def register(
    event: EventPage,
    person: Person,
    *,
    user=None,
    answers: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Registration:
    """Register `person` for `event` and return the registration.

    A member whose address is verified is placed at once; anyone else first confirms the
    address through the link in an e-mail (double opt-in) and holds no seat until then. The
    same address registering again gets its registration back, as it is (a cancelled or
    lapsed one starts again).
    """
    now = now or timezone.now()
    email = person.email.strip()
    with transaction.atomic():
        event = _lock(event)
        existing = (
            Registration.objects.select_for_update()
            .filter(event=event, email__iexact=email)
            .first()
        )
        lapsed = (
            existing is not None
            and existing.state == State.AWAITING_EMAIL
            and existing.expires_at <= now
        )
        if existing is not None and existing.state != State.CANCELLED and not lapsed:
            if not _address_is_verified(user, email):
                # Whoever typed the address may not be its owner: the registration's link
                # goes to the address, never to the page.
                notifications.already_registered(existing)
            return existing
        _check_window(event, now)
        if not event.has_waiting_list and not event.requires_approval and _is_full(event):
            raise RegistrationError(_("This event is full."), code="full")

        registration = existing or Registration(event=event, email=email)
        registration.user = user if user is not None else registration.user
        registration.first_name = person.first_name
        registration.last_name = person.last_name
        registration.organisation = person.organisation
        registration.organisation_type = person.organisation_type
        registration.country = person.country
        registration.answers = dict(answers or {})
        registration.waiting_since = None
        registration.checked_in_at = None

        if _address_is_verified(user, email):
            registration.expires_at = None
            registration.state = ""
            _place(event, registration, actor=user, now=now)
        else:
            registration.expires_at = now + confirmation_window()
            _change(registration, State.AWAITING_EMAIL, actor=user)
            notifications.confirm_address(registration)
    return registration


def confirm_email(registration: Registration, *, now: datetime | None = None) -> Registration:
    """The visitor followed the link in the confirmation e-mail: the registration now counts."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(registration.event)
        registration = _reload(registration)
        if registration.state != State.AWAITING_EMAIL:
            return registration  # a second click on the link changes nothing
        if registration.expires_at and registration.expires_at <= now:
            raise RegistrationError(
                _("This confirmation link has expired. Please register again."), code="expired"
            )
        if event.registration_window(now) == "cancelled":
            raise RegistrationError(_("This event has been cancelled."), code="cancelled")
        registration.expires_at = None
        _place(event, registration, actor=None, now=now, note=_("E-mail address confirmed"))
    return registration


def _place(
    event: EventPage, registration: Registration, *, actor, now: datetime, note: str = ""
) -> None:
    """Give a registration whose address is confirmed its place: approval, a seat or the list.

    Runs inside the transaction that holds the event's lock.
    """
    if event.requires_approval:
        _change(registration, State.AWAITING_APPROVAL, actor=actor, note=note)
        notifications.awaiting_approval(registration)
    else:
        _seat_or_wait(event, registration, actor=actor, now=now, note=note)


def _seat_or_wait(
    event: EventPage,
    registration: Registration,
    *,
    actor,
    now: datetime,
    note: str = "",
    message: str = "",
) -> None:
    # The seats are counted here, after the lock: a count taken before it could be stale.
    if not _is_full(event):
        registration.waiting_since = None
        _change(registration, State.CONFIRMED, actor=actor, note=note)
        notifications.confirmed(registration, message)
    elif event.has_waiting_list:
        registration.waiting_since = now
        _change(registration, State.WAITING, actor=actor, note=note)
        notifications.waiting(registration, message)
    else:
        _change(registration, State.CANCELLED, actor=actor, note=_("The event was full."))
        raise RegistrationError(_("This event is full."), code="full")


def give_place(
    event: EventPage,
    person: Person,
    *,
    user=None,
    actor=None,
    reserved: bool = True,
    note: str = "",
) -> Registration:
    """The organisers give `person` a confirmed place, with the invite, whatever the capacity.

    A reserved place (`reserved=True`) is on top of the capacity and takes no seat from
    general participants; otherwise the place counts as one of the seats (the capacity is
    then full sooner, and nobody already confirmed loses their seat). A registration the
    person already has (waiting, awaiting approval) becomes the place.
    """
    email = person.email.strip()
    with transaction.atomic():
        event = _lock(event)
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, email__iexact=email)
            .first()
        )
        if registration is not None and registration.holds_seat:
            if registration.reserved_place != reserved:
                registration.reserved_place = reserved
                registration.save(update_fields=["reserved_place", "updated_at"])
            return registration
        registration = registration or Registration(event=event, email=email)
        registration.user = user if user is not None else registration.user
        registration.first_name = person.first_name
        registration.last_name = person.last_name
        registration.organisation = person.organisation
        registration.organisation_type = person.organisation_type
        registration.country = person.country
        registration.reserved_place = reserved
        registration.expires_at = None
        registration.waiting_since = None
        _change(registration, State.CONFIRMED, actor=actor, note=note)
        notifications.confirmed(registration, "")
    return registration


# --- Editors' decisions -----------------------------------------------------------------------


def approve(registration: Registration, *, actor, message: str = "") -> Registration:
    """An editor approves a registration: it gets a seat, or a place on the waiting list."""
    with transaction.atomic():
        event = _lock(registration.event)
        registration = _reload(registration)
        if registration.state != State.AWAITING_APPROVAL:
            raise RegistrationError(_("Only a registration awaiting approval can be approved."))
        if not event.has_waiting_list and _is_full(event):
            raise RegistrationError(
                _("The event is full: raise its capacity or free a seat first."), code="full"
            )
        _seat_or_wait(
            event, registration, actor=actor, now=timezone.now(), note=message, message=message
        )
    return registration


def decline(registration: Registration, *, actor, message: str = "") -> Registration:
    """An editor declines a registration, with an optional message to the person."""
    with transaction.atomic():
        event = _lock(registration.event)
        registration = _reload(registration)
        if registration.state not in (State.AWAITING_APPROVAL, State.WAITING, State.CONFIRMED):
            raise RegistrationError(_("This registration cannot be declined."))
        freed = registration.holds_seat
        registration.waiting_since = None
        _change(registration, State.DECLINED, actor=actor, note=message)
        notifications.declined(registration, message)
        if freed:
            _promote(event, actor=actor)
    return registration


def cancel(registration: Registration, *, actor=None, note: str = "") -> Registration:
    """The person cancels (or leaves the waiting list), or an editor removes them.

    A seat it frees goes to the first on the waiting list.
    """
    with transaction.atomic():
        event = _lock(registration.event)
        registration = _reload(registration)
        if registration.state in (State.CANCELLED, State.DECLINED):
            return registration
        if registration.state == State.ATTENDED:
            raise RegistrationError(_("An attendance cannot be cancelled."))
        freed = registration.holds_seat
        had_invite = freed
        registration.waiting_since = None
        registration.expires_at = None
        _change(registration, State.CANCELLED, actor=actor, note=note)
        notifications.cancelled(registration, with_calendar_cancel=had_invite)
        if freed:
            _promote(event, actor=None)
    return registration


def move_from_waiting_list(registration: Registration, *, actor) -> Registration:
    """An editor gives a waiting participant a seat, even if it is not their turn.

    The editor may take them over the capacity: that is a decision an editor can make, and the
    count of confirmed participants says so on the registrations list.
    """
    with transaction.atomic():
        _lock(registration.event)
        registration = _reload(registration)
        if registration.state != State.WAITING:
            raise RegistrationError(_("Only someone on the waiting list can be moved up."))
        registration.waiting_since = None
        _change(registration, State.CONFIRMED, actor=actor, note=_("Moved from the waiting list"))
        notifications.promoted(registration)
    return registration


def promote_from_waiting_list(event: EventPage, *, actor=None) -> list[Registration]:
    """Fill the free seats from the waiting list, first come first served (after a capacity
    change, for instance). Returns the registrations promoted."""
    with transaction.atomic():
        event = _lock(event)
        return _promote(event, actor=actor)


def _promote(event: EventPage, *, actor) -> list[Registration]:
    """Inside the lock: the first on the waiting list take the free seats."""
    promoted = []
    free = _free_seats(event)
    if free is not None and free <= 0:
        return promoted
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, state=State.WAITING)
        .order_by("waiting_since", "pk")
    )
    if free is not None:
        waiting = waiting[:free]
    for registration in waiting:
        registration.event = event
        registration.waiting_since = None
        _change(
            registration, State.CONFIRMED, actor=actor, note=_("Promoted from the waiting list")
        )
        notifications.promoted(registration)
        promoted.append(registration)
    return promoted


def check_in(registration: Registration, *, actor) -> Registration:
    """An editor at the door marks a confirmed participant as attended."""
    with transaction.atomic():
        _lock(registration.event)
        registration = _reload(registration)
        if registration.state == State.ATTENDED:
            return registration
        if registration.state != State.CONFIRMED:
            raise RegistrationError(
                _("Only a confirmed participant can be checked in: this one is “%(state)s”.")
                % {"state": registration.get_state_display()}
            )
        registration.checked_in_at = timezone.now()
        _change(registration, State.ATTENDED, actor=actor, note=_("Checked in"))
    return registration


def expire_unconfirmed(*, now: datetime | None = None) -> int:
    """Lapse the registrations whose address was not confirmed in time. Returns how many."""
    now = now or timezone.now()
    count = 0
    for registration in Registration.objects.filter(
        state=State.AWAITING_EMAIL, expires_at__lte=now
    ).select_related("event"):
        with transaction.atomic():
            _lock(registration.event)
            registration = _reload(registration)
            if registration.state == State.AWAITING_EMAIL and registration.expires_at <= now:
                _change(registration, State.CANCELLED, note=_("Not confirmed in time"))
                count += 1
    return count


# --- The event itself ------------------------------------------------------------------------


def event_published(event: EventPage) -> None:
    """An editor published the event: keep the participants' calendars and seats in step.

    When the time, place or joining link changed, SEQUENCE goes up by one and every confirmed
    participant gets the updated invite (one e-mail each, sent after the commit and retried);
    the first publication only records what the invites say. A capacity raised gives the
    free seats to the waiting list.
    """
    with transaction.atomic():
        event = _lock(event)
        details = event.calendar_details()
        if event.calendar_fingerprint and details != event.calendar_fingerprint:
            event.calendar_sequence += 1
            event.calendar_fingerprint = details
            EventPage.objects.filter(pk=event.pk).update(
                calendar_sequence=event.calendar_sequence, calendar_fingerprint=details
            )
            for registration in Registration.objects.filter(event=event, state__in=SEATED):
                registration.event = event
                notifications.updated(registration)
        elif not event.calendar_fingerprint:
            EventPage.objects.filter(pk=event.pk).update(calendar_fingerprint=details)
        _promote(event, actor=None)


def cancel_event(event: EventPage, *, actor, message: str = "") -> int:
    """Cancel the whole event: everyone still registered is told, with a calendar CANCEL for
    those holding an invite. Returns how many people were told."""
    told = 0
    with transaction.atomic():
        event = _lock(event)
        if event.cancelled_at:
            raise RegistrationError(_("This event is already cancelled."))
        event.cancelled_at = timezone.now()
        event.calendar_sequence += 1
        EventPage.objects.filter(pk=event.pk).update(
            cancelled_at=event.cancelled_at, calendar_sequence=event.calendar_sequence
        )
        for registration in Registration.objects.select_for_update().filter(
            event=event, state__in=CANCELLABLE
        ):
            registration.event = event
            had_invite = registration.holds_seat
            registration.waiting_since = None
            _change(registration, State.CANCELLED, actor=actor, note=_("The event was cancelled"))
            if had_invite:
                notifications.event_cancelled(registration, message)
            else:
                notifications.cancelled(registration, with_calendar_cancel=False)
            told += 1
    return told


def report_published(report: OutcomeReportPage) -> int:
    """The first publication of an outcome report tells the event's participants (those who
    held a seat), once. Returns how many were told."""
    with transaction.atomic():
        claimed = OutcomeReportPage.objects.filter(
            pk=report.pk, participants_told_at__isnull=True
        ).update(participants_told_at=timezone.now())
        if not claimed:
            return 0
        event = report.get_parent().specific
        # Members who turned these e-mails off in their profile are not told; visitors
        # without an account agreed to hear about the event when they registered.
        participants = (
            Registration.objects.filter(event=event, state__in=SEATED, anonymised_at__isnull=True)
            .exclude(user__notify_outcome_reports=False)
            .select_related("user")
        )
        told = 0
        for registration in participants:
            registration.event = event
            notifications.report_published(registration, report)
            told += 1
    return told


# --- Reminders and retention ------------------------------------------------------------------


def reminder_lead_time() -> timedelta:
    return timedelta(hours=getattr(settings, "EVENT_REMINDER_HOURS", 24))


def send_reminders(*, now: datetime | None = None) -> int:
    """E-mail the confirmed participants of events that start within the lead time, once.

    Safe to run every minute and on two machines at once: each reminder is claimed by one
    conditional UPDATE (`reminded_at` still empty), which only one run can win, and the e-mail
    is queued in the same transaction as the claim.
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        state=State.CONFIRMED,
        reminded_at__isnull=True,
        event__live=True,
        event__cancelled_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + reminder_lead_time(),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=pk, reminded_at__isnull=True, state=State.CONFIRMED
            ).update(reminded_at=now)
            if claimed:
                notifications.reminder(Registration.objects.select_related("event").get(pk=pk))
                sent += 1
    return sent


def retention() -> timedelta:
    """How long after an event its registrations keep their personal data."""
    months = getattr(settings, "EVENT_REGISTRATION_RETENTION_MONTHS", 12)
    return timedelta(days=round(months * 30.44))


def purge_registrations(*, now: datetime | None = None) -> int:
    """Remove the personal data of registrations whose event ended longer ago than the
    retention period. The state, country and type of organisation stay: outcome reports count
    them, and nobody can be told from them."""
    now = now or timezone.now()
    old = Registration.objects.filter(
        event__ends_at__lt=now - retention(), anonymised_at__isnull=True
    )
    pks = list(old.values_list("pk", flat=True))
    with transaction.atomic():
        Registration.objects.filter(pk__in=pks).update(
            # One placeholder per row: the address is unique per event.
            email=Concat(Value("removed-"), Cast("pk", CharField()), Value("@invalid")),
            first_name="",
            last_name="",
            organisation="",
            answers={},
            user=None,
            anonymised_at=now,
        )
        RegistrationChange.objects.filter(registration__in=pks).update(note="")
    return len(pks)


# --- What a page shows ------------------------------------------------------------------------


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when the registration is not waiting."""
    if registration.state != State.WAITING:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        state=State.WAITING,
        waiting_since__lt=registration.waiting_since,
    ).count()
    return ahead + 1


def seats_taken(event: EventPage) -> int:
    """The general seats taken: reserved places (`give_place`) are on top of the capacity."""
    return Registration.objects.filter(event=event, state__in=SEATED, reserved_place=False).count()


def seats_left(event: EventPage) -> int | None:
    """None for an event without a limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - seats_taken(event))


# --- Inside the lock --------------------------------------------------------------------------


def _lock(event: EventPage) -> EventPage:
    """The event's row, locked until the transaction ends (see the module's docstring)."""
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _reload(registration: Registration) -> Registration:
    return Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)


def _free_seats(event: EventPage) -> int | None:
    if event.capacity is None:
        return None
    return event.capacity - seats_taken(event)


def _is_full(event: EventPage) -> bool:
    free = _free_seats(event)
    return free is not None and free <= 0


def _check_window(event: EventPage, now: datetime) -> None:
    window = event.registration_window(now)
    if window == "cancelled":
        raise RegistrationError(_("This event has been cancelled."), code="cancelled")
    if window == "not_yet":
        raise RegistrationError(
            _("Registration opens on %(date)s.")
            % {
                "date": formats.date_format(
                    timezone.localtime(event.registration_opens_at), "DATETIME_FORMAT"
                )
            },
            code="not_yet",
        )
    if window == "closed":
        raise RegistrationError(_("Registration for this event has closed."), code="closed")


def _address_is_verified(user, email: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _change(registration: Registration, state: str, *, actor=None, note: str = "") -> None:
    """Set the state and record the change: the one place a state is written."""
    previous = registration.state
    registration.state = state
    registration.save()
    RegistrationChange.objects.create(
        registration=registration,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        from_state=previous or "",
        to_state=state,
        note=note[:500],
    )

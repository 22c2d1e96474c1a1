"""The e-mails of registration, one function per occasion, queued through core's mail module.

`events.services` calls these inside its transactions: the message is recorded with the change
and sent by a task after the commit, so a failing mail server never loses a registration and
the invite still goes out once the server is back. Every e-mail carries the person's own link
(`manage_url`), from which they see and cancel their registration without signing in.
"""

from __future__ import annotations

import io

import segno
from django.urls import reverse

from core.mail import absolute_url, send_templated

from . import ical
from .models import EventFormat, Registration, RegistrationState

PREFIX = "events/emails/"


def manage_url(registration: Registration) -> str:
    return absolute_url(reverse("events:registration", args=[registration.secret]))


def confirm_url(registration: Registration) -> str:
    return absolute_url(reverse("events:confirm", args=[registration.secret]))


def check_in_url(registration: Registration) -> str:
    return absolute_url(
        reverse("events_registration:check_in", args=[registration.check_in_secret])
    )


def check_in_code(registration: Registration) -> bytes:
    """The QR code of the check-in link, as a PNG: the organisers scan it at the door."""
    buffer = io.BytesIO()
    segno.make(check_in_url(registration), error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _send(
    kind: str, registration: Registration, *, calendar=None, qr_code=False, **context
) -> None:
    event = registration.event
    alternatives, attachments = [], []
    if calendar is not None:
        content, mimetype = calendar
        content = content.decode("utf-8")
        # RFC 6047: the calendar as an alternative part with the same method, and as an .ics
        # attachment for the clients that only look at attachments.
        alternatives = [(content, mimetype)]
        attachments = [("invite.ics", content, mimetype)]
    # Only where there is a door: an online event has nobody to scan the code.
    qr_code = qr_code and event.format != EventFormat.ONLINE
    if qr_code:
        attachments.append(("check-in.png", check_in_code(registration), "image/png"))
    context["qr_code"] = qr_code
    language = getattr(registration.user, "preferred_language", "") or None
    send_templated(
        PREFIX + kind,
        registration,
        {
            "registration": registration,
            "event": event,
            "event_url": absolute_url(event.url or ""),
            "manage_url": manage_url(registration),
            **context,
        },
        language=language,
        reply_to=[event.organiser_email] if event.organiser_email else None,
        alternatives=alternatives,
        attachments=attachments,
    )


def _invite(registration: Registration):
    return ical.invite(registration.event, registration), ical.INVITE_MIMETYPE


def confirm_address(registration: Registration) -> None:
    _send("confirm_address", registration, confirm_url=confirm_url(registration))


def already_registered(registration: Registration) -> None:
    """Someone registered an address that already has a registration: its link, again."""
    if registration.state == RegistrationState.AWAITING_EMAIL:
        confirm_address(registration)
    else:
        _send("already_registered", registration)


def awaiting_approval(registration: Registration) -> None:
    _send("awaiting_approval", registration)


def confirmed(registration: Registration, message: str = "") -> None:
    _send("confirmed", registration, calendar=_invite(registration), qr_code=True, message=message)


def promoted(registration: Registration) -> None:
    _send("promoted", registration, calendar=_invite(registration), qr_code=True)


def waiting(registration: Registration, message: str = "") -> None:
    _send("waiting", registration, message=message)


def declined(registration: Registration, message: str = "") -> None:
    _send("declined", registration, message=message)


def cancelled(registration: Registration, *, with_calendar_cancel: bool) -> None:
    calendar = None
    if with_calendar_cancel:
        calendar = (ical.cancellation(registration.event, registration), ical.CANCEL_MIMETYPE)
    _send("cancelled", registration, calendar=calendar)


def updated(registration: Registration) -> None:
    """The time, place or joining link changed: the same invite, SEQUENCE one higher."""
    _send("updated", registration, calendar=_invite(registration))


def event_cancelled(registration: Registration, message: str = "") -> None:
    calendar = (ical.cancellation(registration.event, registration), ical.CANCEL_MIMETYPE)
    _send("event_cancelled", registration, calendar=calendar, message=message)


def reminder(registration: Registration) -> None:
    _send("reminder", registration, calendar=_invite(registration))


def message(registration: Registration, subject: str, text: str) -> None:
    """An editor's message to everyone of an event in one state; each gets their own copy."""
    _send("message", registration, subject=subject, message=text)


def report_published(registration: Registration, report) -> None:
    _send(
        "report_published",
        registration,
        report=report,
        report_url=absolute_url(report.url or ""),
    )

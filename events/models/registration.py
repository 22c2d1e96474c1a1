"""Registrations: who asked to come to an event, where they stand, and every change to that.

A registration is a private record (a plain model, not a page): editors see it in the admin,
the person sees it on their dashboard or through the secret link in every e-mail, nobody else.
Its state only changes through `events.services`, which records each change with its time and
actor in `RegistrationChange`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.countries import EUROPEAN_COUNTRIES
from accounts.models import OrganisationType

from .event import EventPage


def new_secret() -> str:
    """The registration's link secret: 32 random bytes, unguessable and unique to it."""
    return secrets.token_urlsafe(32)


class RegistrationState(models.TextChoices):
    AWAITING_EMAIL = "awaiting_email", _("Awaiting e-mail confirmation")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Declined")
    ATTENDED = "attended", _("Attended")


#: The states that hold a seat.
SEATED = (RegistrationState.CONFIRMED, RegistrationState.ATTENDED)
#: The states of someone still expecting to come (or who came).
ACTIVE = (
    RegistrationState.AWAITING_EMAIL,
    RegistrationState.AWAITING_APPROVAL,
    RegistrationState.CONFIRMED,
    RegistrationState.WAITING,
    RegistrationState.ATTENDED,
)


class Registration(models.Model):
    """One person's registration for one event.

    One per e-mail address and event (in any letter case): registering again returns the same
    registration. The person's name and organisation are copied from the form (or the member's
    profile) so that the record says who registered, even if the profile changes later.
    """

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=32, choices=OrganisationType.choices, blank=True
    )
    country = models.CharField(_("country"), max_length=2, choices=EUROPEAN_COUNTRIES, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    state = models.CharField(
        _("state"), max_length=32, choices=RegistrationState.choices, db_index=True
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    #: When an unconfirmed registration lapses (double opt-in); None once confirmed.
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    #: Where the person stands on the waiting list: the time they joined it.
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    #: When the reminder was sent: claimed by one conditional UPDATE, so it is sent once.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    #: The secret of the person's own links (manage, cancel, confirm); never shown to others.
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    #: The secret of the check-in link in the QR code; only editors can use it.
    check_in_secret = models.CharField(
        max_length=64, unique=True, default=new_secret, editable=False
    )
    #: A place the organisers gave outside the capacity (a selected Urban Academy city, a
    #: speaker): it holds no seat meant for general participants.
    reserved_place = models.BooleanField(_("reserved place"), default=False)
    #: Personal data removed by `purge_registrations`; the state and country stay for counts.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                "event", Lower("email"), name="one_registration_per_address_and_event"
            )
        ]
        indexes = [models.Index(fields=["event", "state", "waiting_since"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.event})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def holds_seat(self) -> bool:
        return self.state in SEATED

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE


class RegistrationChange(models.Model):
    """One change of a registration's state: when, by whom, from what to what, and why."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_state = models.CharField(
        _("from"), max_length=32, choices=RegistrationState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=32, choices=RegistrationState.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("registration change")
        verbose_name_plural = _("registration history")

    def __str__(self) -> str:
        return f"{self.from_state or '–'} → {self.to_state}"


class CalendarFeed(models.Model):
    """A member's personal calendar feed of their own registrations, at a secret address.

    The address is the only key (calendar clients cannot sign in), so the member can renew it:
    the old address then stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

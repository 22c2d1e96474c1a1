"""Thin views over `events.services`: the person's registration page and the e-mail confirmation.

Both are reached through the registration's secret, so nobody signs in and nobody else can see
or change the registration. A confirmation is a button, not the bare link: mail scanners open
links before the person does, and a GET must not confirm on their behalf.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .models import Registration, RegistrationState

MAX_SECRET = 64


def _registration(secret: str) -> Registration:
    if len(secret) > MAX_SECRET:
        raise Http404
    try:
        return Registration.objects.select_related("event").get(
            secret=secret, anonymised_at__isnull=True
        )
    except Registration.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def registration(request, secret: str):
    registration = _registration(secret)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        leaving_list = registration.state == RegistrationState.WAITING
        try:
            services.cancel(
                registration, actor=request.user, note=_("Cancelled by the participant")
            )
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You have left the waiting list.")
                if leaving_list
                else _("Your registration is cancelled."),
            )
        return redirect("events:registration", secret=secret)
    return TemplateResponse(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": services.waiting_position(registration),
            "can_cancel": registration.state in services.CANCELLABLE,
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request, secret: str):
    registration = _registration(secret)
    if request.method == "POST":
        try:
            services.confirm_email(registration)
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: your e-mail address is confirmed."))
        return redirect("events:registration", secret=secret)
    if registration.state != RegistrationState.AWAITING_EMAIL:
        return redirect("events:registration", secret=secret)
    return TemplateResponse(
        request, "events/confirm.html", {"registration": registration, "event": registration.event}
    )

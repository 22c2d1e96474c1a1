"""Thin views over `events.services`: the event page and its registration form, the calendar
download, and the person's own registration page and e-mail confirmation.

The person's pages are reached through the registration's secret, so nobody signs in and
nobody else can see or change the registration. The secret is only ever sent by e-mail: the
registration form never shows it, or anyone could type a colleague's address and take over
their registration. A confirmation is a button, not the bare link: mail scanners open links
before the person does, and a GET must not confirm on their behalf.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit
from core.ratelimit import HOUR
from practices.models import Action

from . import calendar_links, feeds, ical, listing, services
from .forms import RegistrationForm
from .models import EventFormat, EventKind, EventPage, Registration, RegistrationState

# Enough for a colleague registering a few people, few enough that nobody can flood strangers'
# inboxes with confirmation e-mails through us.
REGISTRATIONS_PER_CLIENT_PER_HOUR = 10


# --- The event page ---------------------------------------------------------------------------


def _own_registration(request, event: EventPage) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=request.user)
        .exclude(state=RegistrationState.CANCELLED)
        .first()
    )


def _status(request, event: EventPage) -> dict:
    """Where registration stands for this person: their own registration, or whether anyone
    may register now and how many seats are left."""
    own = _own_registration(request, event)
    window = event.registration_window()
    seats_left = services.seats_left(event)
    # Full, and nothing to join instead: neither a waiting list nor an approval queue.
    full_for_good = seats_left == 0 and not event.has_waiting_list and not event.requires_approval
    return {
        "event": event,
        "own_registration": own,
        "own_position": services.waiting_position(own) if own else None,
        "window": window,
        "seats_left": seats_left,
        "can_register": own is None and window == "open" and not full_for_good,
        "full_for_good": full_for_good,
    }


@require_GET
def event_page(request, event: EventPage):
    # The form has a page of its own (register/): the event page, which most visitors only
    # read, stays light.
    if event.action_id and event.partnership_id:
        # The action and its partnership in one query, not one each.
        action = Action.objects.select_related("partnership").filter(pk=event.action_id).first()
        if action is not None and action.partnership_id == event.partnership_id:
            event.action, event.partnership = action, action.partnership
    context = {
        **event.get_context(request),
        **_status(request, event),
        # A report is a child page: no query for an event without children.
        "report": event.report if event.numchild else None,
        "google_calendar_url": calendar_links.google(event),
        "outlook_calendar_url": calendar_links.outlook(event),
    }
    # The page type's template: a page type extending EventPage extends its template too.
    return TemplateResponse(request, event.get_template(request), context)


def _render_form(request, event: EventPage, form: RegistrationForm | None, *, status: int = 200):
    context = {**event.get_context(request), **_status(request, event)}
    if form is None and context["can_register"]:
        form = RegistrationForm(event=event, user=request.user)
    context["form"] = form
    return TemplateResponse(request, "events/register.html", context, status=status)


@csrf_protect
@require_http_methods(["GET", "POST"])
def register(request, event: EventPage):
    if request.method != "POST":
        return _render_form(request, event, None)
    form = RegistrationForm(request.POST, event=event, user=request.user)
    if not form.is_valid():
        return _render_form(request, event, form, status=400)
    if form.is_from_bot:
        # A bot is shown what a visitor is shown, and nothing is stored or sent.
        messages.success(request, _("Check your inbox: we have sent you an e-mail about it."))
        return redirect(event.get_url(request))
    # Signed-in members are counted one by one (a city's officers share one office address);
    # everyone else by their address on the internet.
    client = (
        f"member:{request.user.pk}"
        if request.user.is_authenticated
        else f"ip:{ratelimit.client_ip(request)}"
    )
    if not ratelimit.take(
        f"events:register:{client}", limit=REGISTRATIONS_PER_CLIENT_PER_HOUR, window=HOUR
    ):
        form.add_error(None, _("Too many registrations from your connection. Try again later."))
        response = _render_form(request, event, form, status=429)
        response["Retry-After"] = str(HOUR)
        return response
    user = request.user if request.user.is_authenticated else None
    try:
        registration = services.register(event, form.person, user=user, answers=form.answers)
    except services.RegistrationError as error:
        form.add_error(None, error.message)
        return _render_form(request, event, form, status=400)
    if registration.user_id and user is not None and registration.user_id == user.pk:
        # A seat is a success; a place on the list or awaiting a decision is news.
        tell = messages.success if registration.holds_seat else messages.info
        tell(request, _registered_message(registration))
        return redirect(event.get_url(request))
    # Someone who is not signed in as the registration's owner learns nothing about it here.
    messages.success(request, _("Check your inbox: we have sent you an e-mail about it."))
    return redirect(event.get_url(request))


def _registered_message(registration: Registration) -> str:
    State = RegistrationState
    return {
        State.CONFIRMED: _("You are registered. Your invite is on its way by e-mail."),
        State.WAITING: _("The event is full: you are on the waiting list."),
        State.AWAITING_APPROVAL: _("Thank you. The organisers will confirm your registration."),
        State.AWAITING_EMAIL: _("Check your inbox: confirm your address to complete it."),
    }.get(registration.state, registration.get_state_display())


@require_GET
def calendar(request, event: EventPage):
    response = HttpResponse(ical.download(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug[:80]}.ics"'
    return response


# --- The person's own pages -------------------------------------------------------------------

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


# --- Calendar subscriptions ---------------------------------------------------------------


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def public_feed(request):
    return _calendar_response(feeds.public_feed(request.GET), "urban-exchange-events.ics")


@require_GET
def personal_feed(request, secret: str):
    content = feeds.personal_feed(secret)
    if content is None:
        raise Http404
    response = _calendar_response(content, "my-urban-exchange-events.ics")
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
def renew_personal_feed(request):
    if not request.user.is_authenticated:
        raise Http404
    feeds.renew(request.user)
    messages.success(
        request, _("Your calendar has a new address. Subscribe to it again; the old one stopped.")
    )
    return redirect("accounts:dashboard")


@require_GET
def my_data(request):
    """A member's own registrations as JSON (their right of access): everything stored."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    registrations = (
        Registration.objects.filter(user=request.user)
        .select_related("event")
        .prefetch_related("changes")
        .order_by("created_at")
    )
    data = [
        {
            "event": registration.event.title,
            "event_starts_at": registration.event.starts_at.isoformat(),
            "state": registration.state,
            "email": registration.email,
            "first_name": registration.first_name,
            "last_name": registration.last_name,
            "organisation": registration.organisation,
            "organisation_type": registration.organisation_type,
            "country": registration.country,
            "answers": registration.answers,
            "registered_at": registration.created_at.isoformat(),
            "checked_in_at": registration.checked_in_at.isoformat()
            if registration.checked_in_at
            else None,
            "history": [
                {"at": change.at.isoformat(), "from": change.from_state, "to": change.to_state}
                for change in registration.changes.all()
            ],
        }
        for registration in registrations
    ]
    response = JsonResponse({"registrations": data}, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-registrations.json"'
    return response


# --- The event list -----------------------------------------------------------------------


@require_GET
def event_index(request, index):
    query = listing.EventQuery.from_querydict(request.GET)
    result = listing.event_list(index, query)
    context = {
        **index.get_context(request),
        "result": result,
        "query": query,
        "when_choices": listing.WHEN,
        "kinds": EventKind.choices,
        "formats": EventFormat.choices,
    }
    return TemplateResponse(request, "events/event_index_page.html", context)

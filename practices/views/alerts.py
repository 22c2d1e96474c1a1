"""Alerts for a saved library search: saving one from the library page, confirming a visitor's
address, unsubscribing (from the link in every digest, or one click in the mail client), and the
member's list on "My Urban Exchange". The rules are in `practices.alerts`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit
from core.forms import CleanFormMixin
from core.ratelimit import HOUR
from core.sections import Section

from .. import alerts
from ..models import AlertFrequency, PracticeAlert, PracticeIndexPage

ALERTS_PER_CLIENT_PER_HOUR = 10


class AlertForm(CleanFormMixin, forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=AlertFrequency.choices,
        initial=AlertFrequency.WEEKLY,
        widget=forms.RadioSelect,
    )


def _library_url(request, query_text: str) -> str:
    library = PracticeIndexPage.objects.first()
    base = library.get_url(request) if library else "/"
    return base + ("?" + query_text if query_text else "")


@require_POST
def save(request):
    """Save the library search in the form's hidden fields as an alert."""
    query = alerts.alert_query(request.POST)
    back = _library_url(request, alerts.stored_query(query))
    user = request.user if request.user.is_authenticated else None
    data = request.POST.copy()
    if user is not None and not data.get("email"):
        data["email"] = user.email
    form = AlertForm(data)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "practices/alerts/save.html",
            {"form": form, "query": query, "back_url": back},
            status=400,
        )
    client = f"member:{user.pk}" if user else f"ip:{ratelimit.client_ip(request)}"
    if not ratelimit.take(f"alerts:save:{client}", limit=ALERTS_PER_CLIENT_PER_HOUR, window=HOUR):
        form.add_error(None, _("Too many alerts from your connection. Try again later."))
        return TemplateResponse(
            request,
            "practices/alerts/save.html",
            {"form": form, "query": query, "back_url": back},
            status=429,
        )
    try:
        alert = alerts.save_alert(
            query,
            email=form.cleaned_data["email"],
            user=user,
            frequency=form.cleaned_data["frequency"],
        )
    except alerts.AlertError as error:
        form.add_error(None, error.message)
        return TemplateResponse(
            request,
            "practices/alerts/save.html",
            {"form": form, "query": query, "back_url": back},
            status=400,
        )
    if alert.confirmed_at:
        messages.success(
            request, _("Alert saved: we e-mail you when new practices match this search.")
        )
    else:
        # The same answer whether or not the address had an alert: it reveals nothing.
        messages.success(
            request,
            _("Check your inbox: follow the link in the e-mail to start the alert."),
        )
    return redirect(back)


@require_http_methods(["GET", "POST"])
def confirm(request, secret: str):
    alert = PracticeAlert.objects.filter(secret=secret).first()
    if alert is None:
        raise Http404
    if request.method == "POST":
        alerts.confirm_alert(alert)
        messages.success(request, _("Your alert is on: the first digest comes with new practices."))
        return redirect(_library_url(request, alert.query))
    # A button, not the bare link: mail scanners open links before the person does.
    return TemplateResponse(request, "practices/alerts/confirm.html", {"alert": alert})


@csrf_exempt  # RFC 8058: mail clients POST the one-click unsubscribe without a form's token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    alert = alerts.alert_from_token(token)
    if request.method == "POST":
        if alert is not None:
            alerts.unsubscribe(alert)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=204)
        return TemplateResponse(request, "practices/alerts/unsubscribed.html", {})
    if alert is None:
        return TemplateResponse(request, "practices/alerts/unsubscribed.html", {}, status=404)
    return TemplateResponse(request, "practices/alerts/unsubscribe.html", {"alert": alert})


@require_POST
@login_required
def remove(request, alert_id: int):
    try:
        alerts.remove_own(request.user, alert_id)
    except alerts.AlertError as error:
        raise Http404 from error
    messages.success(request, _("The alert has been removed."))
    return redirect("accounts:dashboard")


def my_alerts(request) -> Section | None:
    """The member's alerts on "My Urban Exchange"."""
    items = [
        (alert, _library_url(request, alert.query)) for alert in alerts.alerts_of(request.user)
    ]
    return Section("practices/alerts/dashboard_section.html", {"alerts": items})

"""Events in the Wagtail admin: the registrations of every event, for editors and organisers."""

from urllib.parse import urlencode

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from .admin_views import (
    POLICY,
    CancelEventView,
    CheckInView,
    DecideView,
    EmailParticipantsView,
    RegistrationIndexView,
    RegistrationInspectView,
)
from .models import EventPage, Registration

register_permission_policy(Registration, POLICY)


class RegistrationViewSet(ModelViewSet):
    """Registrations: filter by event and state, decide, export CSV or XLSX (Wagtail's list
    export), e-mail everyone in a state, and check people in from the QR code."""

    model = Registration
    icon = "group"
    menu_label = _("Registrations")
    menu_order = 250
    add_to_admin_menu = True
    permission_policy = POLICY
    index_view_class = RegistrationIndexView
    inspect_view_class = RegistrationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # Nobody writes a registration here (the policy has no "add" or "change"); Wagtail still
    # builds the form of its create and edit views.
    form_fields = []
    list_display = [
        "full_name",
        "email",
        "organisation",
        Column("event", label=_("Event")),
        Column("state", label=_("State"), accessor="get_state_display"),
        DateColumn("created_at", label=_("Registered")),
    ]
    list_filter = ["event", "state", "country"]
    search_fields = ["first_name", "last_name", "email", "organisation"]
    list_export = [
        "event",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "organisation_type",
        "country",
        "state",
        "reserved_place",
        "created_at",
        "checked_in_at",
        "answers",
    ]
    export_filename = "registrations"
    inspect_view_fields = [
        "event",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "organisation_type",
        "country",
        "state",
        "reserved_place",
        "created_at",
        "waiting_since",
        "checked_in_at",
        "answers",
    ]

    def get_permissions_to_register(self):
        # The policy decides (editors and organisers): nothing to grant in the groups editor.
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<id:pk>/decide/", DecideView.as_view(), name="decide"),
            path("email/", EmailParticipantsView.as_view(), name="email"),
            path("check-in/<str:secret>/", CheckInView.as_view(), name="check_in"),
            path("cancel-event/<id:pk>/", CancelEventView.as_view(), name="cancel_event"),
        ]


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return RegistrationViewSet("events_registration")


@hooks.register("register_page_header_buttons")
def event_page_buttons(page, user, view_name=None, next_url=None):
    """On an event in the page editor: its registrations, and cancelling it."""
    if not isinstance(page.specific_deferred, EventPage):
        return
    if POLICY.user_has_permission(user, "view"):
        yield Button(
            _("Registrations"),
            url=reverse("events_registration:index") + "?" + urlencode({"event": page.pk}),
            icon_name="group",
            priority=40,
        )
    if page.live and page.permissions_for_user(user).can_publish():
        yield Button(
            _("Cancel this event"),
            url=reverse("events_registration:cancel_event", args=[page.pk]),
            icon_name="warning",
            priority=45,
        )

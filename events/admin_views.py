"""Editors' views of registrations in the Wagtail admin: the list, one registration with its
history and decisions, e-mailing everyone in a state, and check-in at the door.

Who may see what is the permission policy's business (`RegistrationPolicy`): editors see every
registration, an event's organiser only their own event's. The decisions themselves are
`events.services` functions; these views only call them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy

from core import roles
from core.forms import CleanFormMixin

from . import notifications, services
from .models import EventPage, Registration, RegistrationState

State = RegistrationState
MESSAGE_MAX_LENGTH = 5000


class RegistrationPolicy(BasePermissionPolicy):
    """Editors see and decide on every registration; an event's organiser (the staff member
    whose address is the event's organiser address) on that event's registrations only.

    Registrations hold personal data, so nobody else sees them, and nobody creates or edits
    them here: they change state through the decisions, which `events.services` records.
    """

    actions = {"view", "decide"}

    def __init__(self):
        super().__init__(Registration)

    @staticmethod
    def is_editor(user) -> bool:
        return user.is_active and (
            user.is_superuser or user.groups.filter(name=roles.EDITORS).exists()
        )

    def user_has_permission(self, user, action):
        if action not in self.actions or not user.is_active:
            return False
        return self.is_editor(user) or (
            bool(user.email)
            and EventPage.objects.filter(organiser_email__iexact=user.email).exists()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if action not in self.actions or not user.is_active:
            return False
        return self.is_editor(user) or (
            bool(user.email) and instance.event.organiser_email.lower() == user.email.lower()
        )

    def instances_user_has_permission_for(self, user, action):
        registrations = Registration.objects.all()
        if action not in self.actions or not user.is_active:
            return registrations.none()
        if self.is_editor(user):
            return registrations
        if not user.email:
            return registrations.none()
        return registrations.filter(event__organiser_email__iexact=user.email)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.actions.intersection(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=roles.EDITORS)).distinct()


POLICY = RegistrationPolicy()


def _check(user, registration: Registration, action: str = "decide") -> None:
    if not POLICY.user_has_permission_for_instance(user, action, registration):
        raise PermissionDenied


class RegistrationIndexView(IndexView):
    def get_base_queryset(self):
        return (
            POLICY.instances_user_has_permission_for(self.request.user, "view")
            .select_related("event")
            .order_by("-created_at", "-pk")
        )

    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        if POLICY.user_has_permission(self.request.user, "decide"):
            buttons.append(
                HeaderButton(
                    _("E-mail participants"),
                    url=reverse("events_registration:email"),
                    icon_name="mail",
                )
            )
        return buttons


class RegistrationInspectView(InspectView):
    template_name = "events/admin/registration_inspect.html"

    def get_object(self, queryset=None):
        registration = super().get_object(queryset)
        _check(self.request.user, registration, "view")
        return registration

    def get_context_data(self, **kwargs):
        registration = self.object
        return super().get_context_data(
            history=registration.changes.select_related("actor"),
            decisions=available_decisions(registration),
            decide_url=reverse("events_registration:decide", args=[registration.pk]),
            position=services.waiting_position(registration),
            **kwargs,
        )


#: The decisions an editor may take, by state, with their button labels.
DECISIONS = {
    "approve": (_("Approve"), (State.AWAITING_APPROVAL,)),
    "decline": (_("Decline"), (State.AWAITING_APPROVAL, State.WAITING, State.CONFIRMED)),
    "move": (_("Move from the waiting list"), (State.WAITING,)),
    "check_in": (_("Mark as attended"), (State.CONFIRMED,)),
    "cancel": (_("Cancel the registration"), services.CANCELLABLE),
}


def available_decisions(registration: Registration) -> list[tuple[str, str]]:
    return [
        (name, label) for name, (label, states) in DECISIONS.items() if registration.state in states
    ]


class DecisionForm(CleanFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[(name, label) for name, (label, _s) in DECISIONS.items()])
    message = forms.CharField(
        label=_("Message to the participant (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideView(PermissionCheckedMixin, TemplateView):
    """Carries out one decision on one registration (POST only) and goes back to it."""

    permission_policy = POLICY
    permission_required = "decide"
    http_method_names = ["post"]

    def post(self, request, pk):
        registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
        _check(request.user, registration)
        form = DecisionForm(request.POST)
        back = reverse("events_registration:inspect", args=[pk])
        if not form.is_valid():
            messages.error(
                request, _("Choose a decision; a message may not hold control characters.")
            )
            return redirect(back)
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        actor = request.user
        try:
            if decision == "approve":
                services.approve(registration, actor=actor, message=message)
            elif decision == "decline":
                services.decline(registration, actor=actor, message=message)
            elif decision == "move":
                services.move_from_waiting_list(registration, actor=actor)
            elif decision == "check_in":
                services.check_in(registration, actor=actor)
            else:
                services.cancel(registration, actor=actor, note=message)
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            registration.refresh_from_db()
            messages.success(
                request,
                _("%(name)s: %(state)s.")
                % {"name": registration.full_name, "state": registration.get_state_display()},
            )
        return redirect(back)


class EmailParticipantsForm(CleanFormMixin, forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=EventPage.objects.none())
    state = forms.ChoiceField(label=_("Everyone who is"), choices=State.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["state"].initial = State.CONFIRMED


class EmailParticipantsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """One e-mail to everyone of an event in one state (each receives their own copy)."""

    permission_policy = POLICY
    permission_required = "decide"
    form_class = EmailParticipantsForm
    template_name = "events/admin/email_participants.html"
    page_title = _("E-mail participants")
    header_icon = "mail"

    def get_form_kwargs(self):
        user = self.request.user
        events = EventPage.objects.order_by("-starts_at")
        if not POLICY.is_editor(user):
            events = events.filter(organiser_email__iexact=user.email)
        return {**super().get_form_kwargs(), "events": events}

    def get_initial(self):
        return {"event": self.request.GET.get("event"), "state": self.request.GET.get("state")}

    def form_valid(self, form):
        data = form.cleaned_data
        registrations = Registration.objects.filter(
            event=data["event"], state=data["state"], anonymised_at__isnull=True
        ).select_related("event", "user")
        count = 0
        with transaction.atomic():
            for registration in registrations:
                notifications.message(registration, data["subject"], data["message"])
                count += 1
        messages.success(
            self.request,
            ngettext(
                "%(count)d e-mail is on its way.", "%(count)d e-mails are on their way.", count
            )
            % {"count": count},
        )
        return redirect("events_registration:index")


class CheckInView(WagtailAdminTemplateMixin, TemplateView):
    """The page the QR code on a confirmation opens: who this is, and one button to check
    them in. Only editors and the event's organiser see it; the admin's login stands in front
    of it for everyone else, and a signed-in stranger gets a 403, so nobody learns a name."""

    template_name = "events/admin/check_in.html"
    page_title = _("Check-in")
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        self.registration = get_object_or_404(
            Registration.objects.select_related("event"),
            check_in_secret=kwargs["secret"][:64],
            anonymised_at__isnull=True,
        )
        _check(request.user, self.registration)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(registration=self.registration, **kwargs)

    def post(self, request, secret):
        try:
            services.check_in(self.registration, actor=request.user)
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s is checked in.") % {"name": self.registration.full_name}
            )
        return redirect("events_registration:check_in", secret=secret)


class CancelEventForm(CleanFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to everyone registered (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CancelEventView(WagtailAdminTemplateMixin, FormView):
    """Asks, then cancels a whole event: everyone registered is told, with a calendar CANCEL
    for those holding an invite. A confirmation step, because it cannot be undone."""

    form_class = CancelEventForm
    template_name = "events/admin/cancel_event.html"
    page_title = _("Cancel this event")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(EventPage, pk=kwargs["pk"])
        if not self.event.permissions_for_user(request.user).can_publish():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event, told=services.seats_taken(self.event), **kwargs
        )

    def form_valid(self, form):
        try:
            count = services.cancel_event(
                self.event, actor=self.request.user, message=form.cleaned_data["message"]
            )
        except services.RegistrationError as error:
            messages.error(self.request, error.message)
        else:
            messages.success(
                self.request,
                ngettext(
                    "The event is cancelled; %(count)d person was told.",
                    "The event is cancelled; %(count)d people were told.",
                    count,
                )
                % {"count": count},
            )
        return redirect("wagtailadmin_pages:edit", self.event.pk)

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import OutgoingEmail
from .views import OutgoingEmailIndexView, OutgoingEmailInspectView, ResendEmailView


class SuperusersOnly(BasePermissionPolicy):
    """E-mails hold personal data (addresses, contact messages): only superusers read them.

    They may look, delete and re-send; nobody writes an e-mail here.
    """

    actions = {"view", "delete", "resend"}

    def user_has_permission(self, user, action):
        return action in self.actions and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if self.actions.intersection(actions) else users.none()


register_permission_policy(OutgoingEmail, SuperusersOnly(OutgoingEmail))


class OutgoingEmailViewSet(ModelViewSet):
    """Settings > Outgoing e-mails: what the site sent or failed to send, newest first."""

    model = OutgoingEmail
    icon = "mail"
    menu_label = _("Outgoing e-mails")
    add_to_settings_menu = True
    index_view_class = OutgoingEmailIndexView
    inspect_view_class = OutgoingEmailInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # Nobody writes or edits an e-mail here (the permission policy refuses "add" and
    # "change"); Wagtail still builds the form of its create and edit views.
    form_fields = []
    list_display = [
        "subject",
        Column("recipients", label=_("To")),
        Column("state", label=_("State"), accessor="get_state_display"),
        "attempts",
        Column("last_error", label=_("Last error")),
        DateColumn("created_at", label=_("Queued at")),
        DateColumn("sent_at", label=_("Sent at")),
    ]
    list_filter = ["state"]
    inspect_view_fields = [
        "subject",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "from_email",
        "to",
        "cc",
        "bcc",
        "reply_to",
        "headers",
        "alternatives",
        "attachments",
        "body",
    ]

    def get_permissions_to_register(self):
        # Superusers only: nothing to offer in the groups' permission editor.
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resend/", ResendEmailView.as_view(), name="resend_failed"),
            path("resend/<id:pk>/", ResendEmailView.as_view(), name="resend"),
        ]


@hooks.register("register_admin_viewset")
def register_outgoing_email_viewset():
    return OutgoingEmailViewSet("core_outgoingemail")

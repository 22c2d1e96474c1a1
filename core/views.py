"""Admin views of the outgoing e-mails: the listing, one e-mail, and sending failed ones again.

The viewset that puts them together is in wagtail_hooks.py.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import HeaderButton, ListingButton

from . import mail
from .models import OutgoingEmail


class ResendEmailView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks, then queues again one failed e-mail (`pk`) or, without `pk`, every failed one.

    A confirmation step, because a GET must not send mail: a link followed by a browser's
    prefetcher or a crawler would.
    """

    model = OutgoingEmail
    permission_required = "resend"
    template_name = "core/admin/resend_email.html"
    header_icon = "mail"
    index_url_name = "core_outgoingemail:index"

    def get_page_title(self):
        if "pk" in self.kwargs:
            return _("Send this e-mail again")
        return _("Send every failed e-mail again")

    def get_emails(self):
        failed = OutgoingEmail.objects.filter(state=OutgoingEmail.State.FAILED)
        if "pk" in self.kwargs:
            return [get_object_or_404(failed, pk=self.kwargs["pk"])]
        return list(failed)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": OutgoingEmail._meta.verbose_name_plural.capitalize(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            emails=self.get_emails(), index_url=reverse(self.index_url_name), **kwargs
        )

    def post(self, request, *args, **kwargs):
        count = mail.resend(self.get_emails())
        messages.success(
            request,
            ngettext(
                "%(count)d e-mail is queued again.",
                "%(count)d e-mails are queued again.",
                count,
            )
            % {"count": count},
        )
        return redirect(self.index_url_name)


def _resend_url(email: OutgoingEmail | None = None) -> str:
    if email is None:
        return reverse("core_outgoingemail:resend_failed")
    return reverse("core_outgoingemail:resend", args=[email.pk])


class OutgoingEmailIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.state == OutgoingEmail.State.FAILED and self.user_has_permission("resend"):
            buttons.insert(
                0,
                ListingButton(
                    _("Send again"), url=_resend_url(instance), icon_name="mail", priority=5
                ),
            )
        return buttons

    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        failed = OutgoingEmail.objects.filter(state=OutgoingEmail.State.FAILED)
        if self.user_has_permission("resend") and failed.exists():
            buttons.append(
                HeaderButton(
                    _("Send every failed e-mail again"), url=_resend_url(), icon_name="mail"
                )
            )
        return buttons


class OutgoingEmailInspectView(InspectView):
    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        if self.object.state == OutgoingEmail.State.FAILED and self.user_has_permission("resend"):
            buttons.append(
                HeaderButton(_("Send again"), url=_resend_url(self.object), icon_name="mail")
            )
        return buttons

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if field_name in {"to", "cc", "bcc", "reply_to"}:
            return ", ".join(value) or "-"
        if value is None:
            return "-"
        return super().get_field_display_value(field_name, field)

    def get_body_display_value(self):
        return format_html("<div>{}</div>", linebreaksbr(self.object.body, autoescape=True))

    def get_headers_display_value(self):
        return (
            format_html_join("\n", "<div><code>{}: {}</code></div>", self.object.headers.items())
            or "-"
        )

    def get_alternatives_display_value(self):
        # The parts themselves may be long (HTML) or binary: their types say enough here.
        return ", ".join(part["mimetype"] for part in self.object.alternatives) or "-"

    def get_attachments_display_value(self):
        return (
            ", ".join(
                f"{part['filename']} ({part['mimetype'] or '?'})"
                for part in self.object.attachments
            )
            or "-"
        )

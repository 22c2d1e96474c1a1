from contextlib import nullcontext
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from core.mail import absolute_url, mail_site, queue_email

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks for Urban Exchange: its mails leave through core's mail module."""

    def send_mail(self, template_prefix, email, context):
        # This replaces allauth's own send_mail, which is also where allauth puts
        # `current_site` into the context: without it its mails said "Hello from !".
        context = {
            "request": self.request,
            "email": email,
            "current_site": mail_site(self.request),
            **context,
        }
        # allauth builds links from the request's Host header; links in every e-mail come
        # from BASE_URL instead, so they are the same as in the site's other mails and a
        # forged Host cannot point a password-reset link elsewhere.
        for key, value in context.items():
            if key.endswith("_url") and isinstance(value, str) and value:
                parts = urlsplit(value)
                context[key] = absolute_url(parts._replace(scheme="", netloc="").geturl())
        # allauth renders in the request's language; a member gets their preferred one.
        person = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = getattr(person, "preferred_language", "")
        with translation.override(language) if language else nullcontext():
            message = self.render_mail(template_prefix, email, context)
        queue_email(message)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # Security notices (password changed, address added) know their recipient: pass it
        # on, so send_mail renders them in the member's language.
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email
        )

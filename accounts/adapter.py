from allauth.account.adapter import DefaultAccountAdapter

from core.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks for Urban Exchange: its mails leave through the task queue."""

    def send_mail(self, template_prefix, email, context):
        # allauth renders the message in the request (it needs the request's site and
        # language); only the sending is deferred.
        message = self.render_mail(template_prefix, email, context)
        queue_email(message)

"""Account rules: who counts as a verified member, and how mail leaves the site."""

from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from .models import User
from .tasks import send_email


def is_verified_member(user: User | AnonymousUser) -> bool:
    """A member may submit and register only once they have confirmed their e-mail address."""
    if not user.is_authenticated:
        return False
    # Imported here so that this module stays importable before allauth's app registry is ready.
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def queue_email(message: EmailMessage) -> None:
    """Send `message` from a task once the current transaction commits.

    A failed send then never rolls back or loses what the person just did, and the task
    backend can retry it.
    """
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (content for content, mime in message.alternatives if mime == "text/html"), None
        )
    kwargs = {
        "subject": str(message.subject),
        "body": message.body,
        "to": list(message.to),
        "from_email": message.from_email,
        "html": html,
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))

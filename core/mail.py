"""How e-mail leaves the site: queued as a task once the transaction commits.

A failed send then never rolls back or loses what the person just did. Links in e-mails come
from `absolute_url`, the one place that knows the site's public address.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


def absolute_url(path: str) -> str:
    """`path` on the site's public address (BASE_URL), for links in e-mails.

    Not the Wagtail Site's host name: it says "localhost" on a new site, while BASE_URL is the
    address people actually use.
    """
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def queue_email(message: EmailMessage) -> None:
    """Send `message` from a task once the current transaction commits.

    Should queueing itself fail, the person still gets their answer and the error is logged
    (`robust`).
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
        "reply_to": list(message.reply_to) or None,
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs), robust=True)


@task()
def send_email(
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str | None = None,
    reply_to: list[str] | None = None,
) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, reply_to=reply_to
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()

"""E-mail as a background task, so that a slow or failing mail server never breaks a request."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


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

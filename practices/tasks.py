"""The practice library's background tasks, run after the transaction commits."""

from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_message_to_owner(subject: str, body: str, to: list[str], reply_to: list[str]) -> None:
    """Forward a visitor's message to a practice's owner.

    Not accounts.tasks.send_email: that one cannot set Reply-To, and Reply-To is what lets the
    owner answer the visitor without us ever showing the visitor the owner's address.
    """
    EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to).send()

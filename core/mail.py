"""How e-mail leaves the site: recorded, queued as a task once the transaction commits, retried.

Every e-mail the site sends goes through this module:

- `send_templated()` renders `<prefix>_subject.txt`, `<prefix>_body.txt` and, if there is one,
  `<prefix>_body.html` in the recipient's preferred language, and queues the message;
- `queue_email()` queues a message that is already built (allauth renders its own).

Queueing stores the whole message as an `OutgoingEmail` inside the sender's transaction, and
starts the `send_email` task once that transaction commits: a failed send never rolls back or
loses what the person just did, and a rolled-back action sends nothing. The task tries once; on
failure it is tried again after `RETRY_DELAYS`, then marked failed, where admins see it (Settings
> Outgoing e-mails) and send it again (`resend()`, `manage.py resend_failed_emails`).

Retries wait on backends that can defer a task (django-tasks-db in production, through
`run_after`). The ImmediateBackend of development and tests cannot: there the attempts run one
after the other at once, without waiting, so a failing server ends in the failed state before
the request returns, after exactly `MAX_ATTEMPTS` tries, never sleeping and never looping.

Links in e-mails come from `absolute_url`, the one place that knows the site's public address,
and the site's name from `mail_site`.
"""

import base64
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.base import MIMEBase
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import (
    DNS_NAME,
    BadHeaderError,
    EmailMessage,
    EmailMultiAlternatives,
    get_connection,
)
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task
from wagtail.models import Site

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# After the first attempt fails: one minute, ten minutes, an hour. A mail server that is down
# for a restart or a short outage gets the message; one that is down for longer shows the
# message to admins as failed after about 71 minutes.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

# A queued e-mail whose next attempt is this late has lost its task (a worker that died, or
# queueing that failed after the commit): resend_failed_emails queues it again.
STALLED_AFTER = timedelta(hours=1)

State = OutgoingEmail.State


# --- Addresses and names ----------------------------------------------------------------------


def absolute_url(path: str) -> str:
    """`path` on the site's public address (BASE_URL), for links in e-mails.

    Not the Wagtail Site's host name (it says "localhost" on a new site) and not the request's
    Host header (which a visitor chooses): BASE_URL is the address people actually use.
    `make run` sets it from PORT.
    """
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class MailSite:
    """What e-mails call the site; allauth's templates read it as `current_site`."""

    name: str
    domain: str


def mail_site(request: HttpRequest | None = None) -> MailSite:
    """The Wagtail Site's name (of the request's site, else the default one) and BASE_URL's host.

    Falls back to WAGTAIL_SITE_NAME while no site has a name, so an e-mail never greets
    "from !".
    """
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).only("site_name").first()
    name = (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME
    domain = settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].rstrip("/")
    return MailSite(name=name, domain=domain)


# --- Sending ----------------------------------------------------------------------------------


def send_templated(
    template_prefix: str,
    to: Any,
    context: dict[str, Any],
    *,
    language: str | None = None,
    from_email: str | None = None,
    reply_to: Sequence[str] | None = None,
    headers: dict[str, str] | None = None,
    attachments: Iterable[tuple[str, bytes | str, str | None]] = (),
    alternatives: Iterable[tuple[str | bytes, str]] = (),
) -> OutgoingEmail | None:
    """Render the e-mail `template_prefix` for `to` and queue it; None when there is no address.

    `to` is a person (anything with `email` and, optionally, `preferred_language`) or an
    address. The templates are rendered in `language`, else the person's preferred language,
    else LANGUAGE_CODE, with `person` (None for a bare address) and `site_name` in the
    context. `alternatives` are extra parts beside the text and HTML ones, such as
    `(ics, "text/calendar; method=REQUEST; charset=utf-8")`; `attachments` are
    `(filename, content, mimetype)`.
    """
    person = None if isinstance(to, str) else to
    address = to if person is None else (getattr(person, "email", "") or "")
    if not address:
        return None
    language = language or getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
    context = {"site_name": mail_site().name, **context, "person": person}
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}_body.txt", context)
        try:
            html = render_to_string(f"{template_prefix}_body.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=[address],
        reply_to=list(reply_to) if reply_to else None,
        headers=headers,
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return queue_email(message)


class UnbuildableEmail(BadHeaderError):
    """A message that cannot be built (a line break in a header), raised to its sender."""


def queue_email(message: EmailMessage) -> OutgoingEmail:
    """Record `message` and send it from a task once the current transaction commits.

    The message is built here, in the sender's request: one that cannot be built (a line
    break in a header) raises now, where the sender sees it, instead of failing in a task.
    Should queueing the task fail after the commit, the error is logged (`robust`) and the
    record waits for `requeue_stalled()`.
    """
    email = _record(message)
    try:
        _to_message(email).message()
    except BadHeaderError as error:
        raise UnbuildableEmail(str(error)) from error
    email.next_attempt_at = timezone.now()
    email.save()
    transaction.on_commit(lambda: send_email.enqueue(email.pk), robust=True)
    return email


@task()
def send_email(email_id: int) -> None:
    """Send the recorded e-mail `email_id`, and arrange the next attempt if it fails."""
    retry_at = deliver(email_id)
    while retry_at is not None:
        if send_email.get_backend().supports_defer:
            send_email.using(run_after=retry_at).enqueue(email_id)
            return
        # The ImmediateBackend cannot wait: try again at once. deliver() counts the
        # attempts and stops at MAX_ATTEMPTS, so this ends.
        retry_at = deliver(email_id)


def deliver(email_id: int) -> datetime | None:
    """One attempt at sending `email_id`. Returns when to try again, or None when done.

    Does nothing for an e-mail that is no longer queued (sent, given up, purged).
    """
    email = OutgoingEmail.objects.filter(pk=email_id, state=State.QUEUED).first()
    if email is None:
        return None
    now = timezone.now()
    # Claim the attempt: when two tasks run for one e-mail (resend_failed_emails queued a
    # stalled one again while its first task was only late), only the one whose update
    # matches the attempt count it read sends it.
    claimed = OutgoingEmail.objects.filter(
        pk=email.pk, state=State.QUEUED, attempts=email.attempts
    ).update(attempts=email.attempts + 1, last_attempt_at=now)
    if not claimed:
        return None
    email.attempts += 1
    email.last_attempt_at = now
    try:
        _to_message(email, connection=get_connection(settings.EMAIL_DELIVERY_BACKEND)).send()
    except Exception as error:  # noqa: BLE001  (any failure of any backend is retried)
        return _record_failure(email, error)
    email.state = State.SENT
    email.sent_at = timezone.now()
    email.next_attempt_at = None
    email.last_error = ""  # the admins' list shows problems, not problems that went away
    email.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
    return None


def _record_failure(email: OutgoingEmail, error: Exception) -> datetime | None:
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= MAX_ATTEMPTS:
        email.state = State.FAILED
        email.next_attempt_at = None
        logger.error(
            "E-mail %s to %s failed %s times, given up: %s",
            email.pk,
            email.recipients,
            email.attempts,
            email.last_error,
        )
    else:
        email.next_attempt_at = timezone.now() + RETRY_DELAYS[email.attempts - 1]
        logger.warning(
            "E-mail %s failed (attempt %s), trying again at %s: %s",
            email.pk,
            email.attempts,
            email.next_attempt_at,
            email.last_error,
        )
    email.save(update_fields=["state", "last_error", "next_attempt_at"])
    return email.next_attempt_at


class QueueingBackend(BaseEmailBackend):
    """The site's EMAIL_BACKEND: what Django and Wagtail send themselves goes through the queue.

    Wagtail's workflow and comment notices, and Django's error reports to ADMINS, call
    Django's mail functions directly. With this backend they are recorded, sent after the
    commit and retried like the site's own e-mails. `deliver()` sends through
    EMAIL_DELIVERY_BACKEND (SMTP, or files in development), never through this one.
    """

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            queue_email(message)
        return len(email_messages)


# --- Admins' tools ----------------------------------------------------------------------------


def resend(emails: Iterable[OutgoingEmail]) -> int:
    """Queue failed `emails` again, with a fresh round of attempts. Returns how many."""
    ids = [email.pk for email in emails if email.state == State.FAILED]
    with transaction.atomic():
        ids = list(
            OutgoingEmail.objects.filter(pk__in=ids, state=State.FAILED).values_list(
                "pk", flat=True
            )
        )
        OutgoingEmail.objects.filter(pk__in=ids).update(
            state=State.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        for email_id in ids:
            transaction.on_commit(
                lambda email_id=email_id: send_email.enqueue(email_id), robust=True
            )
    return len(ids)


def resend_failed() -> int:
    return resend(OutgoingEmail.objects.filter(state=State.FAILED))


def requeue_stalled() -> int:
    """Queue again the e-mails whose task got lost. Returns how many."""
    ids = list(
        OutgoingEmail.objects.filter(
            state=State.QUEUED, next_attempt_at__lt=timezone.now() - STALLED_AFTER
        ).values_list("pk", flat=True)
    )
    for email_id in ids:
        send_email.enqueue(email_id)
    return len(ids)


def purge_sent(days: int | None = None) -> int:
    """Delete the e-mails sent more than `days` (EMAIL_KEEP_SENT_DAYS) ago. Returns how many."""
    if days is None:
        days = settings.EMAIL_KEEP_SENT_DAYS
    deleted, _ = OutgoingEmail.objects.filter(
        state=State.SENT, sent_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted


# --- The message and its record ---------------------------------------------------------------


def _record(message: EmailMessage) -> OutgoingEmail:
    headers = dict(message.extra_headers)
    # One Message-ID for every attempt: should a "failed" attempt have reached the server
    # after all, the copy that a resend delivers is recognisably the same message.
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            raise TypeError(
                "Attach files to queued e-mails as (filename, content, mimetype), "
                "not as MIME objects."
            )
        filename, content, mimetype = attachment
        attachments.append({"filename": filename, "mimetype": mimetype, **_pack(content)})
    return OutgoingEmail(
        # A subject is one line: whatever whitespace a title brought becomes one space.
        subject=" ".join(str(message.subject).split()),
        from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=[str(address) for address in message.to],
        cc=[str(address) for address in message.cc],
        bcc=[str(address) for address in message.bcc],
        reply_to=[str(address) for address in message.reply_to],
        headers={str(name): str(value) for name, value in headers.items()},
        body=str(message.body),
        content_subtype=message.content_subtype,
        alternatives=[
            {"mimetype": mimetype, **_pack(content)}
            for content, mimetype in getattr(message, "alternatives", ())
        ],
        attachments=attachments,
    )


def _to_message(email: OutgoingEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        connection=connection,
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email.headers,
    )
    message.content_subtype = email.content_subtype
    for part in email.alternatives:
        message.attach_alternative(_unpack(part), _django_mimetype(part["mimetype"]))
    for part in email.attachments:
        mimetype = part["mimetype"] and _django_mimetype(part["mimetype"])
        message.attach(part["filename"], _unpack(part), mimetype)
    return message


def _pack(content: str | bytes) -> dict[str, str]:
    if isinstance(content, bytes):
        return {"base64": base64.b64encode(content).decode("ascii")}
    return {"text": str(content)}


def _unpack(part: dict[str, str]) -> str | bytes:
    if "base64" in part:
        return base64.b64decode(part["base64"])
    return part["text"]


def _django_mimetype(mimetype: str) -> str:
    """`mimetype` without a charset for text parts: Django adds the message's own charset
    (UTF-8), and a second one would make `text/calendar; ...; charset=utf-8; charset=utf-8`."""
    if not mimetype.lower().startswith("text/"):
        return mimetype
    kept = [
        param for param in mimetype.split(";") if not param.strip().lower().startswith("charset=")
    ]
    return ";".join(kept).strip()

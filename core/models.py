"""Shared records: the rate-limit counters and the outgoing e-mails."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitWindow(models.Model):
    """How many times something was done under `key` in the window that started at `started`.

    Counters live in the database, not the cache: the file and database cache backends do not
    increment atomically, so behind several processes two requests could both take the last
    message. A row locked with `select_for_update` (PostgreSQL) or an IMMEDIATE transaction
    (SQLite) counts exactly, whatever cache production uses.
    """

    key = models.CharField(max_length=255, unique=True)
    started = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} since {self.started:%Y-%m-%d %H:%M}"


class OutgoingEmail(models.Model):
    """One e-mail the site sends, kept from the moment it is queued until well after it left.

    The task queue alone forgets a message that failed. This record holds the whole message
    (headers, alternative parts, attachments), so that `core.mail` can try again with back-off,
    mark it failed when it keeps failing, and let an admin send it again; nothing a person did
    is lost with it. It holds personal data: only superusers see it, and sent messages are
    deleted after `EMAIL_KEEP_SENT_DAYS` (`manage.py purge_sent_emails`).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("Attempts since the e-mail was last queued.")
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    # The message, as Django's EmailMessage has it.
    subject = models.TextField(_("subject"))
    from_email = models.TextField(_("from"))
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    body = models.TextField(_("body"), blank=True)
    content_subtype = models.CharField(max_length=20, default="plain")
    # [{"mimetype": ..., "text": ...} or {"mimetype": ..., "base64": ...}]
    alternatives = models.JSONField(_("alternative parts"), default=list, blank=True)
    # [{"filename": ..., "mimetype": ..., "text" or "base64": ...}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # What resend_failed_emails and purge_sent_emails look for.
            models.Index(fields=["state", "next_attempt_at"], name="core_email_state_next"),
            models.Index(fields=["state", "sent_at"], name="core_email_state_sent"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipients(self) -> str:
        return ", ".join(self.to + self.cc + self.bcc)

"""Alerts: a library search that someone saved, and the digests it has been sent.

An alert is the library's own query (`practices.library.query.LibraryQuery`, stored as the
query string of the library's URL, without page or sort), an address and a frequency. A
member's alert counts at once; a visitor's counts once they have followed the link in the
confirmation e-mail (double opt-in). A digest is claimed by inserting its row (one per alert
and period, a unique constraint) in the transaction that queues its e-mail: a crash before the
commit leaves neither, so the next run sends it; two runners at once insert one row, so it is
sent once.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class AlertFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class PracticeAlert(models.Model):
    """A saved search of the library, e-mailed as a digest of the new practices it finds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practice_alerts",
    )
    email = models.EmailField(_("e-mail address"))
    query = models.CharField(_("search"), max_length=2000, blank=True)
    description = models.CharField(_("what it looks for"), max_length=500, blank=True)
    frequency = models.CharField(
        _("how often"),
        max_length=16,
        choices=AlertFrequency.choices,
        default=AlertFrequency.WEEKLY,
    )
    #: None until the address is confirmed (visitors); members' alerts are confirmed at once.
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    #: The end of the window of the last digest sent: the next one lists what came after.
    covered_until = models.DateTimeField(_("covered until"), null=True, blank=True)
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("practice alert")
        verbose_name_plural = _("practice alerts")
        indexes = [models.Index(fields=["frequency", "confirmed_at"])]

    def __str__(self) -> str:
        return self.description or self.query or str(_("Every new practice"))


class AlertDigest(models.Model):
    """One digest of one alert for one period (a day, or an ISO week): claimed once."""

    alert = models.ForeignKey(PracticeAlert, on_delete=models.CASCADE, related_name="digests")
    period = models.CharField(max_length=16)
    practice_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alert digest")
        verbose_name_plural = _("alert digests")
        constraints = [
            models.UniqueConstraint(fields=["alert", "period"], name="one_digest_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.period}"

"""Shared records: the rate-limit counters."""

from django.db import models


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

"""Alerts for a saved library search: saving, confirming, unsubscribing, and the digests.

An alert finds what its search finds in the library (`practices.library`: the same query, the
same in-memory index, the same search engine), limited to the practices first published since
its last digest. `send_digests` is what `manage.py send_practice_alerts` runs from cron; each
digest is claimed by its row (`AlertDigest`, unique per alert and period) in the transaction that
queues its e-mail through core's mail module, so it is sent once, whatever happens: a crash
half-way leaves the unsent ones for the next run, and a second runner at the same time finds
them claimed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import absolute_url, send_templated

from .library.facets import FACETS, get_vocabulary
from .library.index import library_index
from .library.query import LibraryQuery
from .library.search import ranked_ids
from .library.version import library_version
from .models import (
    AlertDigest,
    AlertFrequency,
    ExpertOpinion,
    PracticeAlert,
    PracticeIndexPage,
    PracticePage,
)

#: A visitor has this long to confirm an alert; unconfirmed ones are then deleted.
CONFIRMATION_DAYS = 7
#: Enough for anyone; a flood of alerts for strangers' addresses is what the limit stops.
MAX_ALERTS_PER_ADDRESS = 20
UNSUBSCRIBE_SALT = "practices.alerts.unsubscribe"
#: Digests claimed and queued per transaction.
BATCH_SIZE = 200
PREFIX = "practices/emails/alert_"


class AlertError(Exception):
    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


def alert_query(data) -> LibraryQuery:
    """The saved part of a library query: the words and filters, not the page or the sort."""
    query = LibraryQuery.from_querydict(data)
    return LibraryQuery(q=query.q, filters=query.filters)


def stored_query(query: LibraryQuery) -> str:
    return query.querystring(with_sort=False).lstrip("?")


def query_of(alert: PracticeAlert) -> LibraryQuery:
    return alert_query(QueryDict(alert.query))


def describe(query: LibraryQuery) -> str:
    """The search in words, as the alert's name: "“housing” · Theme: Housing, Fund: ESF+"."""
    vocabulary = get_vocabulary()
    parts = [f"“{query.q}”"] if query.q else []
    for facet in FACETS:
        values = query.selected(facet.key)
        if not values:
            continue
        terms = vocabulary.get(facet.key) or {}
        labels = [terms[v].label if v in terms else str(v) for v in values]
        parts.append(f"{facet.label}: {', '.join(labels)}")
    return " · ".join(parts) or _("Every new practice")


# --- Saving ------------------------------------------------------------------------------------


def save_alert(
    query: LibraryQuery,
    *,
    email: str,
    user=None,
    frequency: str = AlertFrequency.WEEKLY,
) -> PracticeAlert:
    """Save `query` as an alert. A member's alert (to their own verified address) counts at
    once; anyone else's waits for the confirmation link sent to the address. Saving the same
    search for the same address again returns the alert already there."""
    if frequency not in AlertFrequency.values:
        raise AlertError(_("Choose daily or weekly."), code="frequency")
    email = email.strip()
    text = stored_query(query)
    with transaction.atomic():
        existing = PracticeAlert.objects.filter(email__iexact=email, query=text).first()
        if existing is not None:
            if existing.frequency != frequency:
                existing.frequency = frequency
                existing.save(update_fields=["frequency"])
            if existing.confirmed_at is None:
                _confirmation(existing)
            return existing
        if PracticeAlert.objects.filter(email__iexact=email).count() >= MAX_ALERTS_PER_ADDRESS:
            raise AlertError(
                _("This address has %(count)d alerts already: remove one first.")
                % {"count": MAX_ALERTS_PER_ADDRESS},
                code="too_many",
            )
        member = user if user is not None and user.is_authenticated else None
        own_address = member is not None and member.email.lower() == email.lower()
        alert = PracticeAlert.objects.create(
            user=member if own_address else None,
            email=email,
            query=text,
            description=describe(query)[:500],
            frequency=frequency,
            confirmed_at=timezone.now() if own_address else None,
            covered_until=timezone.now(),
        )
        if not own_address:
            _confirmation(alert)
    return alert


def confirm_alert(alert: PracticeAlert) -> PracticeAlert:
    if alert.confirmed_at is None:
        now = timezone.now()
        PracticeAlert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, covered_until=now
        )
        alert.refresh_from_db()
    return alert


def unsubscribe(alert: PracticeAlert) -> None:
    """The alert goes, with its address: nothing of it is kept."""
    PracticeAlert.objects.filter(pk=alert.pk).delete()


def unsubscribe_token(alert: PracticeAlert) -> str:
    return signing.dumps(alert.secret, salt=UNSUBSCRIBE_SALT)


def alert_from_token(token: str) -> PracticeAlert | None:
    """The alert an unsubscribe link names, or None for a link that was tampered with or whose
    alert is gone."""
    try:
        secret = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return PracticeAlert.objects.filter(secret=str(secret)).first()


def unsubscribe_url(alert: PracticeAlert) -> str:
    return absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(alert)]))


def _confirmation(alert: PracticeAlert) -> None:
    send_templated(
        PREFIX + "confirm",
        alert.email,
        {
            "alert": alert,
            "confirm_url": absolute_url(reverse("alerts:confirm", args=[alert.secret])),
            "search_url": _search_url(alert),
        },
    )


def purge_unconfirmed(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=CONFIRMATION_DAYS)
    deleted, _details = PracticeAlert.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


# --- Digests -----------------------------------------------------------------------------------


def period_of(frequency: str, now: datetime.datetime) -> str:
    """The day or the ISO week a digest belongs to: one digest per alert and period."""
    local = timezone.localtime(now)
    if frequency == AlertFrequency.DAILY:
        return local.date().isoformat()
    year, week, _weekday = local.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class DigestRun:
    sent: int = 0
    already_sent: int = 0
    empty: int = 0


def send_digests(*, now: datetime.datetime | None = None, frequencies: Iterable[str] | None = None):
    """Send every confirmed alert its digest of what happened since its last one to the
    practices its search finds: new practices, new expert opinions on them, and their reuse by
    another city.

    The events are looked up once for the whole run; each alert's search is the library's
    own matching in this worker's index (one search-engine query per distinct set of words), so
    the queries per alert stay constant: the claim, and the e-mail.
    """
    now = now or timezone.now()
    frequencies = list(frequencies or AlertFrequency.values)
    library = PracticeIndexPage.objects.first()
    run = DigestRun()
    if library is None:
        return run
    alerts = PracticeAlert.objects.filter(
        confirmed_at__isnull=False, frequency__in=frequencies
    ).order_by("pk")
    oldest = min((a.covered_until or a.confirmed_at for a in alerts), default=None)
    if oldest is None:
        return run
    window = {"first_published_at__gt": oldest, "first_published_at__lte": now}
    live = PracticePage.objects.live().public().child_of(library)
    # What happened in the widest window of any alert: practices first published; expert
    # opinions published on a practice; practices reused by a newly published one.
    published = dict(live.filter(**window).values_list("pk", "first_published_at"))
    opinions: dict[int, datetime.datetime] = {}
    for practice_id, when in (
        ExpertOpinion.objects.published()
        .filter(published_at__gt=oldest, published_at__lte=now)
        .values_list("practice_id", "published_at")
    ):
        opinions[practice_id] = max(when, opinions.get(practice_id, when))
    reused: dict[int, datetime.datetime] = {}
    for original_id, when in live.filter(**window, adapted_from__isnull=False).values_list(
        "adapted_from_id", "first_published_at"
    ):
        reused[original_id] = max(when, reused.get(original_id, when))
    if not (published or opinions or reused):
        return run
    index = library_index(library, library_version())
    library_url = absolute_url(library.url or "/")
    hits_by_terms: dict[tuple[str, ...], list[int]] = {}
    pages: dict[int, tuple[PracticePage, str]] = {}
    batch: list[tuple[PracticeAlert, Digest]] = []
    for alert in alerts.iterator(chunk_size=500):
        since = alert.covered_until or alert.confirmed_at
        fresh = {
            kind: _since(events, since)
            for kind, events in (("new", published), ("opinions", opinions), ("reused", reused))
        }
        if not any(fresh.values()):
            run.empty += 1
            continue
        query = query_of(alert).resolve(index.vocabulary)
        hits = None
        if query.is_searching:
            if query.terms not in hits_by_terms:
                hits_by_terms[query.terms] = ranked_ids(query.terms)
            hits = hits_by_terms[query.terms]
        anything = fresh["new"] | fresh["opinions"] | fresh["reused"]
        found = [int(pk) for pk in index.match_ids(query, hits) if int(pk) in anything]
        if not found:
            run.empty += 1
            continue
        missing = [pk for pk in found if pk not in pages]
        if missing:
            for page in PracticePage.objects.filter(pk__in=missing).select_related("city"):
                # Each practice's address is worked out once for the whole run.
                pages[page.pk] = (page, absolute_url(page.url or ""))
        digest = Digest(
            *(
                [pages[pk] for pk in found if pk in fresh[kind] and pk in pages]
                for kind in ("new", "opinions", "reused")
            )
        )
        batch.append((alert, digest))
        if len(batch) >= BATCH_SIZE:
            _send_batch(batch, now, library_url, run)
            batch = []
    if batch:
        _send_batch(batch, now, library_url, run)
    return run


@dataclass
class Digest:
    """One alert's digest: the matching practices that are new, that got an expert opinion,
    and that another city reused, each as (page, address). A new practice is listed once, as
    new."""

    new: list[tuple[PracticePage, str]]
    opinions: list[tuple[PracticePage, str]]
    reused: list[tuple[PracticePage, str]]

    def __post_init__(self):
        first = {page.pk for page, _url in self.new}
        self.opinions = [item for item in self.opinions if item[0].pk not in first]
        self.reused = [item for item in self.reused if item[0].pk not in first]

    @property
    def practice_ids(self) -> list[int]:
        return [page.pk for page, _url in (*self.new, *self.opinions, *self.reused)]

    def __len__(self) -> int:
        """How many practices the digest tells of (one with an opinion and a reuse is one)."""
        return len(set(self.practice_ids))


def _since(events: dict[int, datetime.datetime], since: datetime.datetime) -> set[int]:
    return {pk for pk, when in events.items() if when > since}


def _send_batch(batch, now, library_url: str, run: DigestRun) -> None:
    """Claim and queue a batch of digests in one transaction, each in a savepoint of its own.

    One commit for the batch rather than one per digest: on PostgreSQL each commit waits for
    the disk. A crash rolls the whole batch back, claims and e-mails together, so the next run
    sends it; a digest another runner claimed meanwhile fails its savepoint alone.
    """
    with transaction.atomic():
        for alert, digest in batch:
            if _send(alert, digest, now, library_url):
                run.sent += 1
            else:
                run.already_sent += 1


def _send(
    alert: PracticeAlert,
    digest: Digest,
    now: datetime.datetime,
    library_url: str,
) -> bool:
    """Claim this period's digest of `alert` and queue its e-mail, in one savepoint."""
    period = period_of(alert.frequency, now)
    try:
        with transaction.atomic():
            AlertDigest.objects.create(alert=alert, period=period, practice_ids=digest.practice_ids)
            PracticeAlert.objects.filter(pk=alert.pk).update(covered_until=now)
            url = unsubscribe_url(alert)
            send_templated(
                PREFIX + "digest",
                alert.email,
                {
                    "alert": alert,
                    "practices": digest.new,
                    "with_opinions": digest.opinions,
                    "reused": digest.reused,
                    "count": len(digest),
                    "search_url": _search_url(alert, library_url),
                    "unsubscribe_url": url,
                },
                headers={
                    # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that
                    # POSTs "List-Unsubscribe=One-Click" to the link.
                    "List-Unsubscribe": f"<{url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
    except IntegrityError:
        return False  # another runner claimed it first
    return True


def _library_url() -> str:
    library = PracticeIndexPage.objects.first()
    return absolute_url(library.url or "/") if library else absolute_url("/")


def _search_url(alert: PracticeAlert, library_url: str | None = None) -> str:
    base = library_url or _library_url()
    return base + ("?" + alert.query if alert.query else "")


def alerts_of(user) -> list[PracticeAlert]:
    return list(PracticeAlert.objects.filter(user=user).order_by("-created_at"))


def remove_own(user, alert_id: int) -> None:
    deleted, _details = PracticeAlert.objects.filter(pk=alert_id, user=user).delete()
    if not deleted:
        raise AlertError(_("This alert is not yours."), code="not_yours")

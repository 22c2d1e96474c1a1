"""/events/: what a visitor asked the event list for (GET parameters, checked), and the answer.

Upcoming events come first (soonest first); "past" lists past events newest first, each with
its outcome report; "reports" lists only the past events that have one. Filters: kind, format,
theme, partnership and month (YYYY-MM). Whatever is malformed is left out, never an error. A
page runs the same few queries whatever the number of events: the page of events, their reports
(one query), the count, and the choices of the filter form.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practices.models import Partnership, Theme

from .models import EventFormat, EventKind, EventPage, OutcomeReportPage

PAGE_SIZE = 20
#: A child's tree path is its parent's plus this many characters (treebeard's step length).
STEPLEN = OutcomeReportPage.steplen
MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
SLUG_RE = re.compile(r"[-\w]{1,100}")
WHEN = {
    "upcoming": _("Upcoming"),
    "past": _("Past events"),
    "reports": _("Outcome reports"),
}
CARD_FIELDS = (
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "summary",
    "kind",
    "format",
    "time_zone",
    "starts_at",
    "ends_at",
    "cancelled_at",
    "venue",
)


@dataclass(frozen=True)
class EventQuery:
    when: str = "upcoming"
    kind: str = ""
    format: str = ""
    theme: str = ""
    partnership: str = ""
    month: str = ""
    page: int = 1

    @classmethod
    def from_querydict(cls, data) -> EventQuery:
        def pick(name, allowed=None, pattern=SLUG_RE):
            value = str(data.get(name, ""))[:100].strip()
            if allowed is not None:
                return value if value in allowed else ""
            return value if pattern.fullmatch(value) else ""

        month = str(data.get("month", ""))[:7]
        match = MONTH_RE.fullmatch(month)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 < int(match.group(1)) < 3000:
            month = ""
        try:
            page = max(1, min(int(str(data.get("page", "1"))[:6]), 10_000))
        except ValueError:
            page = 1
        return cls(
            when=pick("when", WHEN) or "upcoming",
            kind=pick("kind", EventKind.values),
            format=pick("format", EventFormat.values),
            theme=pick("theme"),
            partnership=pick("partnership"),
            month=month,
            page=page,
        )

    def params(self, **changes) -> str:
        values = {**self.__dict__, **changes}
        params = [(k, v) for k, v in values.items() if v and not (k == "page" and v == 1)]
        params = [(k, v) for k, v in params if not (k == "when" and v == "upcoming")]
        return "?" + urlencode(params) if params else "?"

    @property
    def has_filters(self) -> bool:
        return any((self.kind, self.format, self.theme, self.partnership, self.month))


@dataclass
class EventList:
    query: EventQuery
    page: Page
    reports: dict[int, OutcomeReportPage]
    themes: list
    partnerships: list

    @property
    def events(self):
        return [(event, self.reports.get(event.pk)) for event in self.page.object_list]


def filtered(index, query: EventQuery) -> QuerySet:
    now = timezone.now()
    # Every event of the site, not only the index's children: page types that extend
    # EventPage live elsewhere in the tree (the Urban Academy's editions under /academy/).
    site_root = index.path[:-STEPLEN]
    events = EventPage.objects.live().public().filter(path__startswith=site_root).only(*CARD_FIELDS)
    if query.when == "upcoming":
        events = events.filter(ends_at__gt=now).order_by("starts_at", "pk")
    else:
        events = events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    if query.when == "reports":
        reports = (
            OutcomeReportPage.objects.live()
            .public()
            .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        )
        events = events.filter(Exists(reports))
    if query.kind:
        events = events.filter(kind=query.kind)
    if query.format:
        events = events.filter(format=query.format)
    if query.theme:
        events = events.filter(themes__slug=query.theme)
    if query.partnership:
        events = events.filter(partnership__slug=query.partnership)
    if query.month:
        year, month = map(int, query.month.split("-"))
        start = datetime.datetime(year, month, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=datetime.UTC)
        events = events.filter(starts_at__gte=start, starts_at__lt=end)
    return events.distinct()


def event_list(index, query: EventQuery) -> EventList:
    page = Paginator(filtered(index, query), PAGE_SIZE).get_page(query.page)
    events = list(page.object_list)
    page.object_list = events
    reports = {}
    if events and query.when != "upcoming":
        by_path = {event.path: event.pk for event in events}
        candidates = (
            OutcomeReportPage.objects.live()
            .public()
            .filter(
                reduce(or_, (Q(path__startswith=path) for path in by_path)),
                depth__in={event.depth + 1 for event in events},
            )
            .only("title", "slug", "url_path", "path", "depth", "summary")
        )
        for report in candidates:
            parent = by_path.get(report.path[:-STEPLEN])
            if parent is not None:
                reports[parent] = report
    return EventList(
        query=query,
        page=page,
        reports=reports,
        themes=list(Theme.objects.order_by("name").values_list("slug", "name")),
        partnerships=list(Partnership.objects.order_by("name").values_list("slug", "name")),
    )

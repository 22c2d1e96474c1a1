"""Attendance of an event, counted from its registrations and drawn as an accessible chart.

The figures are counts by country and by type of organisation of the people who registered
(a seat held, or attended) and of those who attended; nobody is named. The chart is SVG drawn
on the server (no JavaScript, no outside service), with a title and a description for screen
readers, and the same figures are in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.countries import EUROPEAN_COUNTRIES
from accounts.models import OrganisationType

from .models import EventPage, Registration, RegistrationState

State = RegistrationState
COUNTRY_NAMES = dict(EUROPEAN_COUNTRIES)
ORGANISATION_TYPES = dict(OrganisationType.choices)

BAR_HEIGHT = 18
GAP = 10
LABEL_WIDTH = 190
CHART_WIDTH = 560
REGISTERED_COLOUR = "#9bb7d4"  # light blue; the bars' values are also written beside them
ATTENDED_COLOUR = "#1d4f91"  # dark blue: 8.6:1 on white


@dataclass(frozen=True)
class Row:
    label: str
    registered: int
    attended: int


@dataclass(frozen=True)
class Attendance:
    registered: int
    attended: int
    by_country: list[Row]
    by_organisation_type: list[Row]

    @property
    def is_empty(self) -> bool:
        return self.registered == 0


def attendance(event: EventPage) -> Attendance:
    """The counts of one event, in two queries whatever the number of registrations."""
    registered = Q(state__in=(State.CONFIRMED, State.ATTENDED))
    attended = Q(state=State.ATTENDED)
    registrations = Registration.objects.filter(event=event)

    def grouped(field: str, names: dict) -> list[Row]:
        rows = (
            registrations.values(field)
            .annotate(
                registered=Count("pk", filter=registered), attended=Count("pk", filter=attended)
            )
            .filter(registered__gt=0)
            .order_by("-registered", field)
        )
        return [
            Row(names.get(row[field]) or _("Not given"), row["registered"], row["attended"])
            for row in rows
        ]

    by_country = grouped("country", COUNTRY_NAMES)
    return Attendance(
        registered=sum(row.registered for row in by_country),
        attended=sum(row.attended for row in by_country),
        by_country=by_country,
        by_organisation_type=grouped("organisation_type", ORGANISATION_TYPES),
    )


def bar_chart(rows: list[Row], *, title: str, chart_id: str) -> SafeString:
    """A horizontal bar chart, registered and attended per row, as an SVG string."""
    top = 30
    height = top + len(rows) * (2 * BAR_HEIGHT + GAP) + GAP
    largest = max((row.registered for row in rows), default=0) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 60) / largest
    description = "; ".join(
        _("%(label)s: %(registered)d registered, %(attended)d attended")
        % {"label": row.label, "registered": row.registered, "attended": row.attended}
        for row in rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="attendance-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect x="{LABEL_WIDTH}" y="6" width="12" height="12" fill="{REGISTERED_COLOUR}"/>',
        f'<text x="{LABEL_WIDTH + 18}" y="16" font-size="13">{escape(_("Registered"))}</text>',
        f'<rect x="{LABEL_WIDTH + 120}" y="6" width="12" height="12" fill="{ATTENDED_COLOUR}"/>',
        f'<text x="{LABEL_WIDTH + 138}" y="16" font-size="13">{escape(_("Attended"))}</text>',
    ]
    y = top
    for row in rows:
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT + 4}" font-size="13" '
            f'text-anchor="end">{escape(row.label[:28])}</text>'
        )
        for value, colour, offset in (
            (row.registered, REGISTERED_COLOUR, 0),
            (row.attended, ATTENDED_COLOUR, BAR_HEIGHT),
        ):
            width = max(1, round(value * scale)) if value else 0
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + offset}" width="{width}" '
                f'height="{BAR_HEIGHT - 2}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 6}" y="{y + offset + BAR_HEIGHT - 5}" '
                f'font-size="12">{value}</text>'
            )
        y += 2 * BAR_HEIGHT + GAP
    parts.append("</svg>")
    # Every text in it went through escape(); the rest are numbers and our own markup.
    return mark_safe("".join(parts))  # noqa: S308

"""What anyone may read of an Urban Academy edition through the API: the event's public fields
(`events.public`) and the call's. Dilemmas, reviews, assignments and feedback are private
records and have no API; the summaries a city agreed to publish appear on the outcome report.
"""

from wagtail.api import APIField

from events import public as events

#: The edition's own fields that anyone may read, after the event's.
PUBLIC_FIELDS: tuple[str, ...] = (
    "theme",
    "call_opens_at",
    "call_closes_at",
    "dilemmas_to_select",
    "anonymous_review",
    "decisions_published_at",
    "criteria",
)


def api_fields() -> list[APIField]:
    return [*events.api_fields(), *(APIField(name) for name in PUBLIC_FIELDS)]

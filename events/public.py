"""What anyone may read of an event: one list, used by the API and the calendar feeds.

The joining link of an online event is for confirmed participants alone (their invite, their
registration page, their personal feed); registrations are for editors alone. So the API's
fields are these (`EventPage.api_fields`), and the public feed loads nothing else
(`events.feeds.FEED_FIELDS` is checked against this list by the tests). A field added to
EventPage is private until it is listed here.
"""

from wagtail.api import APIField

#: The event's own fields that anyone may read, in the order the API shows them.
PUBLIC_FIELDS: tuple[str, ...] = (
    "summary",
    "kind",
    "format",
    "description",
    "time_zone",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "organiser_name",
    "themes",
    "partnership",
    "action",
    "cancelled_at",
)

#: Never shown on a public page, in the API or in a public feed.
PRIVATE_FIELDS: tuple[str, ...] = ("joining_link",)


def api_fields() -> list[APIField]:
    return [APIField(name) for name in PUBLIC_FIELDS]

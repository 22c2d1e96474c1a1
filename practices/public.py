"""What anyone may read of a practice: one list, used by the API, the exports and the feeds.

The contact person and address are for the site alone: visitors write to the owner through the
form on the practice page, and Urban Exchange forwards the message. So everything that leaves
the site reads a practice through this list: the API's fields are these
(`PracticePage.api_fields`), and the feeds and exports load nothing else from the database
(`only_public()`), so that a private field cannot slip out with a column or an item added in
passing. A field added to PracticePage is private until it is listed here.

Expert opinions (`ExpertOpinion`) travel with their practice the same way: only published ones,
and only the fields of `OPINION_FIELDS` (`opinion_record()`); never the expert's e-mail, the
moderator's comment or an opinion that is a draft, submitted, sent back or declined.
"""

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from wagtail.api import APIField


class OriginalField(serializers.Field):
    """The practice's original in the library: its id and title while it is published, and
    nothing once it is not (an unpublished practice's title is not public)."""

    def to_representation(self, value):
        if not value.live:
            return None
        return {"id": value.pk, "title": value.title}


#: Transfer lineage: the original (a published practice only, see `OriginalField`), or the page
#: outside the library, and what the city says about the transfer.
LINEAGE_FIELDS: tuple[str, ...] = (
    "adapted_from",
    "original_url",
    "original_title",
    "original_city",
    "transfer_taken_over",
    "transfer_changed",
    "transfer_help",
)

#: The practice's own fields that anyone may read, in the order the API shows them.
PUBLIC_FIELDS: tuple[str, ...] = (
    "summary",
    "city",
    "lead_organisation",
    "partners",
    "start_date",
    "end_date",
    "status",
    "year",
    "themes",
    "governance_levels",
    "target_groups",
    "practice_funds",
    "partnership",
    "action",
    "problem",
    "approach",
    "results",
    "resources",
    "difficulties",
    "transferability",
    "links",
    *LINEAGE_FIELDS,
)

#: Never shown, exported or sent anywhere: who to write to, and their address.
PRIVATE_FIELDS: tuple[str, ...] = ("contact_name", "contact_email")

#: What every published page shows anyway (title, address, dates) and what its URL needs.
PAGE_FIELDS: tuple[str, ...] = (
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "first_published_at",
    "last_published_at",
)


#: What anyone may read of a published expert opinion, in the order the API shows it.
OPINION_FIELDS: tuple[str, ...] = (
    "expert_name",
    "expert_organisation",
    "recommendation",
    "recommendation_label",
    "strengths",
    "evidence",
    "conditions",
    "published_at",
    "owner_reply",
    "owner_reply_at",
)


def opinion_record(opinion: Any) -> dict[str, Any]:
    """The public fields of one published opinion (the texts are clean HTML)."""
    return {
        "expert_name": opinion.expert_name,
        "expert_organisation": opinion.expert_organisation,
        "recommendation": opinion.recommendation,
        "recommendation_label": str(opinion.get_recommendation_display()),
        "strengths": opinion.strengths,
        "evidence": opinion.evidence,
        "conditions": opinion.conditions,
        "published_at": opinion.published_at,
        "owner_reply": opinion.owner_reply,
        "owner_reply_at": opinion.owner_reply_at,
    }


class PublishedOpinionsField(serializers.Field):
    """The API's list of a practice's published opinions (`PracticePage.published_opinions`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "published_opinions")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [
            {
                key: item.isoformat() if hasattr(item, "isoformat") else item
                for key, item in opinion_record(opinion).items()
            }
            for opinion in value
        ]


def api_fields() -> list[APIField]:
    """The fields of a practice in Wagtail's API (its title and dates are the page's meta)."""
    return [
        *(
            APIField(name, serializer=OriginalField()) if name == "adapted_from" else APIField(name)
            for name in PUBLIC_FIELDS
        ),
        APIField("opinions", serializer=PublishedOpinionsField()),
    ]


def only_public(queryset: QuerySet, *fields: str) -> QuerySet:
    """`queryset` loading the page fields and `fields` only; each of `fields` must be public."""
    refused = [name for name in fields if name not in PUBLIC_FIELDS and name not in PAGE_FIELDS]
    if refused:
        raise ValueError(f"Not public fields of a practice: {', '.join(refused)}")
    return queryset.only(*PAGE_FIELDS, *fields)

"""The facets of the library and their vocabulary: the ways to narrow it, and every term in them.

A `Facet` says what a visitor filters by (its GET parameter, its heading) and where a
practice's values are; how the values are matched and counted is `practices.library.matching`'s
business. The vocabulary is every taxonomy term a visitor may filter by, read in one query and
kept in the cache once per library version.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import CharField, DecimalField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from ..models import (
    City,
    Country,
    Fund,
    GovernanceLevel,
    Partnership,
    PracticeStatus,
    TargetGroup,
    Theme,
)
from .version import CACHE_TIMEOUT, library_version


class Term(NamedTuple):
    """One value of a facet as the library shows it. Cities carry their place for the map."""

    id: Any
    slug: str
    label: str
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Facet:
    """A way to narrow the library: its GET parameter, its heading, and where its values are.

    `kind` says where a practice's values are:
    - "m2m": a many-to-many field of PracticePage (`field`),
    - "fund": the PracticeFund rows,
    - "fk": a foreign key or plain field of PracticePage (`field`), possibly through a
      relation (`city__country_id`);
    - "reuse": worked out by the index from the other practices' `adapted_from` (transfer
      lineage): the one value `REUSED` holds the practices that a readable practice was
      adapted from.
    """

    key: str
    label: Any
    kind: str
    field: str
    #: Values checked against the taxonomy (slugs); False for years and statuses.
    has_vocabulary: bool = True


FACETS: tuple[Facet, ...] = (
    Facet("theme", _("Theme"), "m2m", "themes"),
    Facet("level", _("Governance level"), "m2m", "governance_levels"),
    Facet("fund", _("Fund"), "fund", "fund"),
    Facet("country", _("Country"), "fk", "city__country_id"),
    Facet("city", _("City"), "fk", "city_id"),
    Facet("group", _("Target group"), "m2m", "target_groups"),
    Facet("partnership", _("Urban Agenda partnership"), "fk", "partnership_id"),
    Facet("year", _("Year started"), "fk", "year", has_vocabulary=False),
    Facet("status", _("Status"), "fk", "status", has_vocabulary=False),
    Facet("reused", _("Transfer"), "reuse", "adapted_from", has_vocabulary=False),
    # A flag rather than a field: whether a published expert opinion is on the practice.
    Facet("opinion", _("Expert opinion"), "fk", "has_opinion", has_vocabulary=False),
)
#: The one value of the "reused" facet: `?reused=yes`.
REUSED = "yes"
FACETS_BY_KEY = {facet.key: facet for facet in FACETS}


# --- The vocabulary: every term a visitor may filter by ------------------------------------

Vocabulary = dict[str, dict[Any, Term]]


def _terms(queryset, facet: str, slug="slug", label="name", order=None, **extra) -> QuerySet:
    """One part of the vocabulary UNION: the same eight columns from each taxonomy table."""
    decimal = DecimalField(max_digits=8, decimal_places=5)
    return (
        queryset.order_by()
        .annotate(
            v_facet=Value(facet, output_field=CharField()),
            v_slug=F(slug),
            v_label=F(label),
            v_order=order if order is not None else Value(0, output_field=IntegerField()),
            v_country=extra.get("country", Value("", output_field=CharField())),
            # Typed NULLs: PostgreSQL cannot match an untyped NULL with the cities' numbers.
            v_latitude=extra.get("latitude", Cast(Value(None), output_field=decimal)),
            v_longitude=extra.get("longitude", Cast(Value(None), output_field=decimal)),
        )
        .values_list(
            "v_facet",
            "pk",
            "v_slug",
            "v_label",
            "v_order",
            "v_country",
            "v_latitude",
            "v_longitude",
        )
    )


def load_vocabulary() -> Vocabulary:
    """Every taxonomy term by facet and slug, read in one query (a UNION of the tables)."""
    parts = [
        _terms(Theme.objects.all(), "theme"),
        _terms(GovernanceLevel.objects.all(), "level", order=F("sort_order")),
        _terms(Fund.objects.all(), "fund"),
        _terms(Country.objects.all(), "country", slug="code"),
        _terms(
            City.objects.all(),
            "city",
            country=F("country__name"),
            latitude=F("latitude"),
            longitude=F("longitude"),
        ),
        _terms(TargetGroup.objects.all(), "group"),
        _terms(Partnership.objects.all(), "partnership"),
    ]
    rows = parts[0].union(*parts[1:], all=True)
    ordered = sorted(rows, key=lambda row: (row[0], row[4], row[3].casefold(), row[2]))
    vocabulary: Vocabulary = {facet.key: {} for facet in FACETS if facet.has_vocabulary}
    for facet, pk, slug, label, _order, country, latitude, longitude in ordered:
        vocabulary[facet][slug] = Term(
            pk, slug, label, country or "", _float(latitude), _float(longitude)
        )
    return vocabulary


def _float(value) -> float | None:
    return float(value) if isinstance(value, (Decimal, float, int)) else None


def get_vocabulary(version: str | None = None) -> Vocabulary:
    """The vocabulary from the cache, read from the database once per library version."""
    version = version or library_version()
    key = f"practices:library:{version}:vocabulary"
    vocabulary = cache.get(key)
    if vocabulary is None:
        vocabulary = load_vocabulary()
        cache.set(key, vocabulary, CACHE_TIMEOUT)
    return vocabulary


#: The one value of the "opinion" facet, as in the URL (`?opinion=yes`).
WITH_OPINION = "yes"


def opinion_terms() -> dict[str, Term]:
    return {WITH_OPINION: Term(WITH_OPINION, WITH_OPINION, _("With an expert opinion"))}


def status_terms() -> dict[str, Term]:
    return {value: Term(value, value, label) for value, label in PracticeStatus.choices}


def reused_terms() -> dict[str, Term]:
    return {REUSED: Term(REUSED, REUSED, _("Reused in another city"))}

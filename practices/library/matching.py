"""Which practices match a library query, in its order, and how many each facet value would show.

`match()` is the whole interface: a library page, a resolved query and the vocabulary in,
`Matches` out. Nothing else in the library knows how the matching is done, so that it can be
done differently (per-facet id sets, say) without touching the query, the results or the views.

Facets combine with AND between them and OR within one (`?theme=a&theme=b&fund=c` is
"(a or b) and c"). A facet's counts are taken with every filter except its own, so that a
visitor sees how many practices each other value of that facet would add. A cold query costs
one query for the readable ids, one for the order and one GROUP BY per facet, whatever the
library's size; `practices.library.results` keeps the answer in the cache.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TypedDict

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from ..models import PracticeFund, PracticePage
from .facets import FACETS, FACETS_BY_KEY, Facet, Vocabulary
from .query import SORT_NEWEST, SORT_RELEVANCE, SORT_TITLE, LibraryQuery
from .search import SQLiteHits, search_queryset


class Matches(TypedDict):
    """What a query matches: kept in the cache as it is, so plain data only."""

    #: Every matching practice id, in the query's order.
    ids: list[int]
    #: {facet key: {value (a term id, a year, a status): number of practices}}.
    counts: dict[str, dict]


def library_base(library) -> Q:
    """The practices of `library` that anyone may read: live, below it, not in a private part."""
    queryset = PracticePage.objects.all()
    return queryset.child_of_q(library) & queryset.live_q() & ~queryset.private_q()


def m2m_columns(field_name: str):
    """The through model of a PracticePage many-to-many field, and its two column names."""
    m2m = PracticePage._meta.get_field(field_name)
    return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


def pk_in_list(ids: list[int]) -> Q:
    """`pk IN ids`, with the whole list sent as one parameter.

    Django would send one parameter per id, and both databases cap the parameters of a query
    (SQLite at 32,766, PostgreSQL's protocol at 65,535): a library of 100,000 practices would
    fail. An array (PostgreSQL) or a JSON list (SQLite) is one parameter of any length.
    """
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))  # noqa: S611
    if connection.vendor == "sqlite":
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))  # noqa: S611
    return Q(pk__in=ids)


def facet_filter(facet: Facet, values: Iterable) -> Q:
    """Practices with any of `values` of `facet` (taxonomy ids, years or statuses)."""
    values = list(values)
    if facet.kind == "m2m":
        through, page_column, term_column = m2m_columns(facet.field)
        pages = through.objects.filter(**{f"{term_column}__in": values}).values(page_column)
        return Q(pk__in=pages)
    if facet.kind == "fund":
        return Q(pk__in=PracticeFund.objects.filter(fund_id__in=values).values("page_id"))
    return Q(**{f"{facet.field}__in": values})


def facet_counts(facet: Facet, matching: QuerySet) -> dict:
    """{value: number of practices} of `facet` over `matching`, in one GROUP BY query."""
    pages = matching.order_by().values("pk")
    if facet.kind == "m2m":
        through, page_column, term_column = m2m_columns(facet.field)
        rows = (
            through.objects.filter(**{f"{page_column}__in": pages})
            .values_list(term_column)
            .annotate(n=Count(page_column))
            .order_by()
        )
    elif facet.kind == "fund":
        rows = (
            PracticeFund.objects.filter(page_id__in=pages)
            .values_list("fund_id")
            .annotate(n=Count("page_id", distinct=True))
            .order_by()
        )
    else:
        rows = (
            PracticePage.objects.filter(pk__in=pages)
            .values_list(facet.field)
            .annotate(n=Count("pk"))
            .order_by()
        )
    return {value: n for value, n in rows if value is not None}


class Matcher:
    """Builds the querysets of one library query: the results, and each facet's count set."""

    def __init__(self, library, query: LibraryQuery, vocabulary: Vocabulary):
        self.query = query
        self.vocabulary = vocabulary
        self.base = library_base(library)
        self.sqlite_hits = (
            SQLiteHits(query.terms) if query.is_searching and SQLiteHits.available() else None
        )
        self._readable_ids: list[int] | None = None

    def readable_ids(self) -> list[int]:
        """The practices anyone may read that contain the search words, in one query.

        The ordering and the nine facet counts then filter this list instead of repeating the
        tree, privacy and full-text conditions each time: on PostgreSQL that made a cold search
        for a common word three times faster.
        """
        if self._readable_ids is None:
            self._readable_ids = list(
                self._source().filter(self.base).order_by().values_list("pk", flat=True)
            )
        return self._readable_ids

    def _readable(self) -> QuerySet:
        return PracticePage.objects.filter(pk_in_list(self.readable_ids()))

    def _filtered(
        self, queryset: QuerySet, *, without: str | None = None, readable: bool = False
    ) -> QuerySet:
        """`queryset` narrowed by the active filters, except `without`'s; `readable` says that
        it holds only readable practices already."""
        if not readable:
            queryset = queryset.filter(self.base)
        for key, values in self.query.filters.items():
            if key == without:
                continue
            facet = FACETS_BY_KEY[key]
            if facet.has_vocabulary:
                values = [self.vocabulary[key][slug].id for slug in values]
            queryset = queryset.filter(facet_filter(facet, values))
        return queryset

    def _source(self, *, relevance: bool = False) -> QuerySet:
        if not self.query.is_searching:
            return PracticePage.objects.all()
        if self.sqlite_hits is not None:
            return PracticePage.objects.filter(self.sqlite_hits.q())
        return search_queryset(self.query.terms, relevance=relevance)

    def ordered_ids(self) -> list[int]:
        sort = self.query.effective_sort
        if sort == SORT_RELEVANCE and self.sqlite_hits is not None:
            allowed = set(self._filtered(self._source()).values_list("pk", flat=True))
            return [pk for pk in self.sqlite_hits.ranked_ids() if pk in allowed]
        if sort == SORT_RELEVANCE:
            queryset = self._filtered(self._source(relevance=True))
        else:
            queryset = self._filtered(self._readable(), readable=True)
        if sort == SORT_TITLE:
            queryset = queryset.order_by(Lower("title"), "pk")
        elif sort == SORT_NEWEST:
            queryset = queryset.order_by(F("first_published_at").desc(nulls_last=True), "-pk")
        return list(queryset.values_list("pk", flat=True))

    def counts(self) -> dict[str, dict]:
        readable = self._readable()
        return {
            facet.key: facet_counts(
                facet, self._filtered(readable, without=facet.key, readable=True)
            )
            for facet in FACETS
        }


def match(library, query: LibraryQuery, vocabulary: Vocabulary) -> Matches:
    """The practices of `library` that `query` (resolved against `vocabulary`) matches."""
    matcher = Matcher(library, query, vocabulary)
    return {"ids": matcher.ordered_ids(), "counts": matcher.counts()}

"""The public practice library: what a visitor asked for, and which practices match it.

`LibraryQuery` is the request's GET parameters, checked: unknown slugs and bad values are
dropped, never an error. `search_library()` answers it with one page of practices, the total,
and a count for each value of each facet.

Facets combine with AND between them and OR within one (`?theme=a&theme=b&fund=c` is
"(a or b) and c"). A facet's counts are taken with every filter except its own, so that a
visitor sees how many practices each other value of that facet would add.

Speed: the matching ids and the facet counts are kept in Django's cache under the library
version and the normalised query (the library template also keeps its rendered HTML under
`LibraryResult.fragment_key`); `practices.signals` starts a new version whenever a practice or
a taxonomy term changes, so nothing has to be deleted. A cold request costs one GROUP BY query
per facet, one for the ids and two for the page of practices, whatever the library's size; a
warm one reads the cache only. Nothing here writes to the database: search hits are not
recorded.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, Count, DecimalField, F, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Lower
from django.utils.translation import gettext_lazy as _
from wagtail.search.backends import get_search_backend

from .models import (
    City,
    Country,
    Fund,
    GovernanceLevel,
    Partnership,
    PracticeFund,
    PracticePage,
    PracticeStatus,
    TargetGroup,
    Theme,
)

PAGE_SIZE = 20
#: The version is kept without expiry; the data under it expires so that old versions go away.
CACHE_TIMEOUT = 60 * 60
VERSION_KEY = "practices:library:version"

MAX_VALUES_PER_FACET = 30
MAX_QUERY_LENGTH = 200
MAX_SEARCH_TERMS = 12

SLUG_RE = re.compile(r"[-\w]{1,200}")
COUNTRY_RE = re.compile(r"[A-Za-z]{2}")
YEAR_RE = re.compile(r"[0-9]{4}")
WORD_RE = re.compile(r"\w+")

SORT_NEWEST = "newest"
SORT_TITLE = "title"
SORT_RELEVANCE = "relevance"
SORT_LABELS = {
    SORT_NEWEST: _("Newest first"),
    SORT_TITLE: _("Title (A to Z)"),
    SORT_RELEVANCE: _("Best match"),
}


# --- The library version -------------------------------------------------------------------


def library_version() -> str:
    """The token that every cached part of the library is filed under."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # First request, or the cache lost the key: a new token is as good as a bump.
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_library_version() -> None:
    """Make every cached list, count and related-practice list stale at once."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


# --- Facets --------------------------------------------------------------------------------


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
    """A way to narrow the library: its GET parameter, its heading, and how it filters and counts.

    `kind` says where a practice's values are:
    - "m2m": a many-to-many field of PracticePage (`field`),
    - "fund": the PracticeFund rows,
    - "fk": a foreign key or plain field of PracticePage (`field`), possibly through a
      relation (`city__country_id`).
    """

    key: str
    label: Any
    kind: str
    field: str
    #: Values checked against the taxonomy (slugs); False for years and statuses.
    has_vocabulary: bool = True

    def parse(self, raw: Iterable[str]) -> tuple:
        """The well-formed values of one GET parameter, de-duplicated and in a stable order."""
        values: set = set()
        for value in raw:
            value = value.strip()
            if self.key == "country":
                if COUNTRY_RE.fullmatch(value):
                    values.add(value.upper())
            elif self.key == "year":
                if YEAR_RE.fullmatch(value):
                    values.add(int(value))
            elif self.key == "status":
                if value in PracticeStatus.values:
                    values.add(value)
            elif SLUG_RE.fullmatch(value):
                values.add(value)
            if len(values) >= MAX_VALUES_PER_FACET:
                break
        return tuple(sorted(values))

    def filter_q(self, values: Iterable) -> Q:
        """Practices with any of `values` (taxonomy ids, years or statuses)."""
        values = list(values)
        if self.kind == "m2m":
            through, page_column, term_column = m2m_columns(self.field)
            pages = through.objects.filter(**{f"{term_column}__in": values}).values(page_column)
            return Q(pk__in=pages)
        if self.kind == "fund":
            return Q(pk__in=PracticeFund.objects.filter(fund_id__in=values).values("page_id"))
        return Q(**{f"{self.field}__in": values})

    def count(self, matching: QuerySet) -> dict:
        """{value: number of practices} over `matching`, in one GROUP BY query."""
        pages = matching.order_by().values("pk")
        if self.kind == "m2m":
            through, page_column, term_column = m2m_columns(self.field)
            rows = (
                through.objects.filter(**{f"{page_column}__in": pages})
                .values_list(term_column)
                .annotate(n=Count(page_column))
                .order_by()
            )
        elif self.kind == "fund":
            rows = (
                PracticeFund.objects.filter(page_id__in=pages)
                .values_list("fund_id")
                .annotate(n=Count("page_id", distinct=True))
                .order_by()
            )
        else:
            rows = (
                PracticePage.objects.filter(pk__in=pages)
                .values_list(self.field)
                .annotate(n=Count("pk"))
                .order_by()
            )
        return {value: n for value, n in rows if value is not None}


def m2m_columns(field_name: str):
    """The through model of a PracticePage many-to-many field, and its two column names."""
    m2m = PracticePage._meta.get_field(field_name)
    return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


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
)
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


def status_terms() -> dict[str, Term]:
    return {value: Term(value, value, label) for value, label in PracticeStatus.choices}


# --- The query -----------------------------------------------------------------------------


def search_terms(text: str) -> tuple[str, ...]:
    """The words of a search, without the punctuation that full-text engines read as syntax."""
    return tuple(WORD_RE.findall(text.casefold()))[:MAX_SEARCH_TERMS]


@dataclass(frozen=True)
class LibraryQuery:
    """What a visitor asked the library for, as it appears in a shareable URL."""

    q: str = ""
    filters: Mapping[str, tuple] = field(default_factory=dict)
    sort: str = ""
    page: int = 1

    @classmethod
    def from_querydict(cls, data) -> LibraryQuery:
        """Read GET parameters; whatever is malformed is left out, nothing raises."""
        q = " ".join(str(data.get("q", ""))[: MAX_QUERY_LENGTH * 2].split())[:MAX_QUERY_LENGTH]
        filters = {}
        for facet in FACETS:
            values = facet.parse(data.getlist(facet.key)[: MAX_VALUES_PER_FACET * 2])
            if values:
                filters[facet.key] = values
        sort = str(data.get("sort", ""))
        if sort not in SORT_LABELS:
            sort = ""
        try:
            page = max(1, int(str(data.get("page", "1"))[:12]))
        except ValueError:
            page = 1
        return cls(q=q, filters=filters, sort=sort, page=page)

    def resolve(self, vocabulary: Vocabulary) -> LibraryQuery:
        """The same query without the slugs that name no term (a deleted theme, a typo)."""
        filters = {}
        for key, values in self.filters.items():
            terms = vocabulary.get(key)
            kept = tuple(v for v in values if v in terms) if terms is not None else values
            if kept:
                filters[key] = kept
        return replace(self, filters=filters)

    # What the query means

    @property
    def terms(self) -> tuple[str, ...]:
        return search_terms(self.q)

    @property
    def is_searching(self) -> bool:
        return bool(self.terms)

    @property
    def effective_sort(self) -> str:
        if self.sort == SORT_RELEVANCE and not self.is_searching:
            return SORT_NEWEST
        if self.sort:
            return self.sort
        return SORT_RELEVANCE if self.is_searching else SORT_NEWEST

    @property
    def sort_options(self) -> list[tuple[str, Any]]:
        """Relevance means something only when there are words to match."""
        return [
            (value, label)
            for value, label in SORT_LABELS.items()
            if value != SORT_RELEVANCE or self.is_searching
        ]

    @property
    def has_filters(self) -> bool:
        return bool(self.filters)

    def selected(self, key: str) -> tuple:
        return self.filters.get(key, ())

    def cache_key(self) -> str:
        """The normalised query (without the page): equal for URLs that mean the same."""
        parts = [" ".join(self.terms), self.effective_sort]
        parts += [f"{key}={','.join(map(str, self.selected(key)))}" for key in FACETS_BY_KEY]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]

    # URLs that keep the rest of the query

    def params(self, *, page: int | None = None, with_sort: bool = True) -> list[tuple[str, Any]]:
        params: list[tuple[str, Any]] = []
        if self.q:
            params.append(("q", self.q))
        for facet in FACETS:
            params += [(facet.key, value) for value in self.selected(facet.key)]
        if with_sort and self.sort:
            params.append(("sort", self.sort))
        if page and page > 1:
            params.append(("page", page))
        return params

    def querystring(self, **kwargs) -> str:
        params = self.params(**kwargs)
        return "?" + urlencode(params) if params else "?"

    def page_querystring(self, page: int) -> str:
        return self.querystring(page=page)

    def without(self, key: str, value=None) -> LibraryQuery:
        """This query without one value of a facet (or the whole facet), back on page one."""
        filters = dict(self.filters)
        if value is None:
            filters.pop(key, None)
        else:
            kept = tuple(v for v in filters.get(key, ()) if v != value)
            if kept:
                filters[key] = kept
            else:
                filters.pop(key, None)
        return replace(self, filters=filters, page=1)

    def adding(self, key: str, value) -> LibraryQuery:
        """This query with one more value of a facet, back on page one."""
        values = tuple(sorted({*self.selected(key), value}))
        return replace(self, filters={**self.filters, key: values}, page=1)

    def with_only(self, key: str, value) -> LibraryQuery:
        """This query with one facet set to exactly `value`: the map's links to a city."""
        return replace(self, filters={**self.filters, key: (value,)}, page=1)


# --- Searching -----------------------------------------------------------------------------


@dataclass
class FacetValue:
    slug: Any
    label: str
    count: int
    active: bool
    #: The same list with this value added (or removed, when it is selected).
    toggle_querystring: str = ""


@dataclass
class FacetGroup:
    key: str
    label: Any
    values: list[FacetValue]

    @property
    def active_values(self) -> list[FacetValue]:
        return [value for value in self.values if value.active]


@dataclass
class ActiveFilter:
    facet_label: Any
    label: str
    remove_querystring: str


@dataclass
class CityCount:
    """A city with practices that match, for the map and its list."""

    term: Term
    count: int
    querystring: str
    active: bool


@dataclass
class PageLink:
    number: int | None  # None for the gap between page numbers
    querystring: str = ""
    current: bool = False


class LibraryResult:
    """One page of the library: the practices, the total, the facets and the cities.

    Everything but the total is worked out when a template first asks for it, so that a page
    whose HTML is already in the cache reads nothing more.
    """

    def __init__(
        self,
        query: LibraryQuery,
        ids: list[int],
        counts: dict[str, dict],
        vocabulary: Vocabulary,
        version: str,
        page_size: int = PAGE_SIZE,
    ):
        self.query = query
        self.ids = ids
        self.counts = counts
        self.vocabulary = vocabulary
        self.version = version
        self.page = Paginator(ids, page_size).get_page(query.page)

    @property
    def total(self) -> int:
        return len(self.ids)

    @cached_property
    def practices(self) -> list[PracticePage]:
        """The practices of this page, in order, with what a card shows."""
        return fetch_cards(list(self.page.object_list))

    @cached_property
    def facets(self) -> list[FacetGroup]:
        return _facet_groups(self.query, self.vocabulary, self.counts)

    @cached_property
    def active_filters(self) -> list[ActiveFilter]:
        return _active_filters(self.query, self.vocabulary)

    @cached_property
    def cities(self) -> list[CityCount]:
        return _cities(self.query, self.vocabulary, self.counts["city"])

    @cached_property
    def map(self):
        """The cities of `cities` placed on the map of Europe (`practices.map`)."""
        from .map import build_map

        return build_map(self.cities)

    @property
    def active_themes(self) -> list[Term]:
        return [self.vocabulary["theme"][slug] for slug in self.query.selected("theme")]

    @property
    def export_querystring(self) -> str:
        """The filters, search and order of this list (all pages): for the exports and the map."""
        params = self.query.params()
        return "?" + urlencode(params) if params else ""

    @property
    def clear_querystring(self) -> str:
        """No filters, but the same search."""
        return replace(self.query, filters={}, page=1).querystring()

    @cached_property
    def fragment_key(self) -> str:
        """What the rendered list depends on: the library version and the exact query."""
        params = urlencode(self.query.params(page=self.page.number))
        return f"{self.version}:{hashlib.sha256(params.encode()).hexdigest()[:40]}"

    @cached_property
    def page_links(self) -> list[PageLink]:
        """First, last, and two pages either side of the current one, with gaps between."""
        current, last = self.page.number, self.page.paginator.num_pages
        if last <= 1:
            return []
        numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        links: list[PageLink] = []
        for number in numbers:
            if links and links[-1].number is not None and number - links[-1].number > 1:
                links.append(PageLink(None))
            links.append(PageLink(number, self.query.page_querystring(number), number == current))
        return links

    @property
    def previous_querystring(self) -> str:
        if not self.page.has_previous():
            return ""
        return self.query.page_querystring(self.page.previous_page_number())

    @property
    def next_querystring(self) -> str:
        if not self.page.has_next():
            return ""
        return self.query.page_querystring(self.page.next_page_number())


def library_base(library) -> Q:
    """The practices of `library` that anyone may read: live, below it, not in a private part."""
    queryset = PracticePage.objects.all()
    return queryset.child_of_q(library) & queryset.live_q() & ~queryset.private_q()


def search_queryset(terms: tuple[str, ...], *, relevance: bool) -> QuerySet:
    """Practices matching every word, as a plain queryset that takes further filters.

    Wagtail's `.search()` only accepts filters on indexed fields, so the search runs first on
    all practices and the library's own filters are applied to the queryset it builds.
    """
    results = PracticePage.objects.all().search(
        " ".join(terms), operator="and", order_by_relevance=relevance
    )
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return get_queryset()
    # A backend that returns results rather than a queryset (Elasticsearch, or nothing left
    # to search): filter by the ids it found.
    return PracticePage.objects.filter(pk__in=[page.pk for page in results])


class SQLiteHits:
    """The practices matching a search in Wagtail's SQLite FTS5 index, read straight from it.

    Wagtail's own queryset asks SQLite to look each practice up in the index in turn, and ranks
    by a subquery per result: seconds, not milliseconds, for a word that most of 10,000
    practices contain. Reading the FTS table first (CROSS JOIN fixes the order) answers in a few
    milliseconds. The words come from `search_terms`, so they hold no FTS5 syntax.
    """

    def __init__(self, terms: tuple[str, ...]):
        from wagtail.search.backends.database.sqlite.sqlite import IndexEntry, SQLiteFTSIndexEntry
        from wagtail.search.utils import get_descendants_content_types_pks

        fts = connection.ops.quote_name(SQLiteFTSIndexEntry._meta.db_table)
        entries = connection.ops.quote_name(IndexEntry._meta.db_table)
        content_types = get_descendants_content_types_pks(PracticePage)
        match = "{title body} : (" + " AND ".join(f'"{term}"' for term in terms) + ")"
        self.params = [match, *content_types]
        self.from_where = (
            f"FROM {fts} CROSS JOIN {entries} AS entry ON entry.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s "
            f"AND entry.content_type_id IN ({', '.join(['%s'] * len(content_types))})"
        )
        # The same score as Wagtail's: BM25 weighted by the title's length norm; lower is better.
        self.score = f"bm25({fts}) * (entry.title_norm + 1)"

    @staticmethod
    def available() -> bool:
        return type(get_search_backend()).__name__ == "SQLiteSearchBackend"

    def q(self) -> Q:
        """A filter for the matching practices, as one subquery."""
        sql = f"SELECT CAST(entry.object_id AS INTEGER) {self.from_where}"
        # Table names come from the models; the visitor's words are parameters.
        return Q(pk__in=RawSQL(sql, self.params))  # noqa: S611

    def ranked_ids(self) -> list[int]:
        """Every matching practice id, best match first."""
        sql = (
            f"SELECT CAST(entry.object_id AS INTEGER) AS pk, {self.score} AS score "
            f"{self.from_where} ORDER BY score, pk DESC"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return [row[0] for row in cursor.fetchall()]


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


class _Matcher:
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
            queryset = queryset.filter(facet.filter_q(values))
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
            facet.key: facet.count(self._filtered(readable, without=facet.key, readable=True))
            for facet in FACETS
        }


def _compute(library, query: LibraryQuery, vocabulary: Vocabulary) -> dict:
    matcher = _Matcher(library, query, vocabulary)
    return {"ids": matcher.ordered_ids(), "counts": matcher.counts()}


def matching_ids(library, query: LibraryQuery) -> list[int]:
    """Every matching practice id in the query's order (the exports use all of them)."""
    return _cached_results(library, query)[0]["ids"]


def _cached_results(library, query: LibraryQuery) -> tuple[dict, LibraryQuery, Vocabulary, str]:
    version = library_version()
    vocabulary = get_vocabulary(version)
    query = query.resolve(vocabulary)
    key = f"practices:library:{version}:{library.pk}:{query.cache_key()}"
    data = cache.get(key)
    if data is None:
        data = _compute(library, query, vocabulary)
        cache.set(key, data, CACHE_TIMEOUT)
    return data, query, vocabulary, version


def search_library(library, query: LibraryQuery, *, page_size: int = PAGE_SIZE) -> LibraryResult:
    """One page of practices matching `query`, the total, and the counts of every facet."""
    data, query, vocabulary, version = _cached_results(library, query)
    return LibraryResult(query, data["ids"], data["counts"], vocabulary, version, page_size)


def fetch_cards(ids: list[int]) -> list[PracticePage]:
    """The practices with `ids`, in that order, with what a card shows (two queries)."""
    practices = (
        PracticePage.objects.filter(pk__in=ids)
        .select_related("city__country")
        .prefetch_related("themes")
        .only(
            "title",
            "slug",
            "url_path",
            "summary",
            "city",
            "year",
            "status",
            "first_published_at",
            "path",
            "depth",
        )
    )
    by_id = {practice.pk: practice for practice in practices}
    return [by_id[pk] for pk in ids if pk in by_id]


def _terms_of(key: str, vocabulary: Vocabulary, counts: dict) -> list[tuple[Any, Term]]:
    """(value as in the URL, term) in display order for one facet."""
    if key == "year":
        return [(year, Term(year, str(year), str(year))) for year in sorted(counts, reverse=True)]
    if key == "status":
        return [(value, term) for value, term in status_terms().items()]
    return list(vocabulary[key].items())


def _facet_groups(query: LibraryQuery, vocabulary: Vocabulary, counts: dict) -> list[FacetGroup]:
    groups = []
    for facet in FACETS:
        facet_counts = counts.get(facet.key, {})
        selected = set(query.selected(facet.key))
        terms = _terms_of(facet.key, vocabulary, facet_counts)
        if facet.key == "year":
            # A year asked for that no practice has still shows, so that it can be removed.
            known = {value for value, _term in terms}
            terms += [(year, Term(year, str(year), str(year))) for year in selected - known]
            terms.sort(key=lambda item: -item[0])
        values = []
        for value, term in terms:
            count = facet_counts.get(term.id, 0)
            active = value in selected
            if count or active:
                values.append(
                    FacetValue(
                        slug=value,
                        label=term.label,
                        count=count,
                        active=active,
                        toggle_querystring=(
                            query.without(facet.key, value)
                            if active
                            else query.adding(facet.key, value)
                        ).querystring(),
                    )
                )
        groups.append(FacetGroup(facet.key, facet.label, values))
    return groups


def _active_filters(query: LibraryQuery, vocabulary: Vocabulary) -> list[ActiveFilter]:
    active = []
    statuses = status_terms()
    for facet in FACETS:
        for value in query.selected(facet.key):
            if facet.key == "year":
                label = str(value)
            elif facet.key == "status":
                label = statuses[value].label
            else:
                label = vocabulary[facet.key][value].label
            active.append(
                ActiveFilter(facet.label, label, query.without(facet.key, value).querystring())
            )
    return active


def _cities(query: LibraryQuery, vocabulary: Vocabulary, counts: dict) -> list[CityCount]:
    """Cities with matching practices (under every filter but the city's own), by name."""
    selected = set(query.selected("city"))
    return [
        CityCount(
            term=term,
            count=counts[term.id],
            querystring=query.with_only("city", slug).querystring(),
            active=slug in selected,
        )
        for slug, term in vocabulary["city"].items()
        if counts.get(term.id)
    ]

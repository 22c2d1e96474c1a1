"""What the library shows for one query: a page of practices, the total, facets and cities.

`search_library()` answers a `LibraryQuery` with a `LibraryResult`. The matching ids and facet
counts come from this worker's in-memory index (`practices.library.index`), which costs no
query once built, and the search engine's hits (one query, `practices.library.search`); the
library template keeps its rendered HTML in the cache under `LibraryResult.fragment_key`.
Everything but the total is worked out when a template first asks for it, so that a page whose
HTML is cached reads nothing more. Nothing here writes to the database: search hits are not
recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator

from ..models import PracticePage, Theme
from .facets import FACETS, Term, Vocabulary, opinion_terms, reused_terms, status_terms
from .index import LibraryIndex, library_index
from .query import LibraryQuery
from .search import ranked_ids
from .version import library_version

PAGE_SIZE = 20


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
        ids: Sequence[int],
        counts: dict[str, dict],
        vocabulary: Vocabulary,
        version: str,
        page_size: int = PAGE_SIZE,
        index: LibraryIndex | None = None,
    ):
        self.index = index
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
        ids = [int(pk) for pk in self.page.object_list]
        if self.index is None:
            return fetch_cards(ids)
        return fetch_cards(ids, themes=self._themes(ids))

    def _themes(self, ids: list[int]) -> dict[int, list[Theme]]:
        """The themes of each card from the index, which has them: one query fewer, and the
        slowest of a page (Wagtail's many-to-many prefetch)."""
        terms = {term.id: term for term in self.vocabulary["theme"].values()}
        themes = {}
        for pk, theme_ids in self.index.values_of("theme", ids).items():
            cards = [Theme(id=i, name=terms[i].label, slug=terms[i].slug) for i in theme_ids]
            # As the database orders them (Theme.Meta.ordering).
            themes[pk] = sorted(cards, key=lambda theme: theme.name)
        return themes

    @cached_property
    def facets(self) -> list[FacetGroup]:
        return _facet_groups(self.query, self.vocabulary, self.counts)

    @cached_property
    def active_filters(self) -> list[ActiveFilter]:
        return _active_filters(self.query, self.vocabulary)

    @cached_property
    def cities(self) -> list[CityCount]:
        return _cities(self.query, self.vocabulary, self.counts["city"])

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


def _matches(library, query: LibraryQuery):
    """The ids and counts of `query` from this worker's index, and the query resolved."""
    version = library_version()
    index = library_index(library, version)
    query = query.resolve(index.vocabulary)
    hits = ranked_ids(query.terms) if query.is_searching else None
    ids, counts = index.match(query, hits)
    return ids, counts, query, index, version


def search_library(library, query: LibraryQuery, *, page_size: int = PAGE_SIZE) -> LibraryResult:
    """One page of practices matching `query`, the total, and the counts of every facet."""
    ids, counts, query, index, version = _matches(library, query)
    vocabulary = index.vocabulary
    return LibraryResult(query, ids, counts, vocabulary, version, page_size, index=index)


def matching_ids(library, query: LibraryQuery) -> list[int]:
    """Every matching practice id in the query's order (the exports use all of them)."""
    return _matches(library, query)[0].tolist()


def fetch_cards(
    ids: list[int], *, themes: dict[int, list[Theme]] | None = None
) -> list[PracticePage]:
    """The practices with `ids`, in that order, with what a card shows (two queries; one when
    the `themes` of each are given, which the cards then show as they are)."""
    practices = PracticePage.objects.filter(pk__in=ids).select_related("city__country")
    if themes is None:
        practices = practices.prefetch_related("themes")
    practices = practices.only(
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
    by_id = {practice.pk: practice for practice in practices}
    if themes is not None:
        for pk, practice in by_id.items():
            # An in-memory relation (django-modelcluster's): the card reads it, nothing saves it.
            practice.themes = themes.get(pk, [])
    return [by_id[pk] for pk in ids if pk in by_id]


def _terms_of(key: str, vocabulary: Vocabulary, counts: dict) -> list[tuple[Any, Term]]:
    """(value as in the URL, term) in display order for one facet."""
    if key == "year":
        return [(year, Term(year, str(year), str(year))) for year in sorted(counts, reverse=True)]
    if key == "status":
        return [(value, term) for value, term in status_terms().items()]
    if key == "reused":
        return list(reused_terms().items())
    if key == "opinion":
        return list(opinion_terms().items())
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
            elif facet.key == "reused":
                label = reused_terms()[value].label
            elif facet.key == "opinion":
                label = opinion_terms()[value].label
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

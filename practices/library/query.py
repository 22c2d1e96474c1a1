"""What a visitor asked the library for: the GET parameters of a library URL, checked.

`LibraryQuery.from_querydict()` reads them; whatever is malformed is left out, never an error:
unknown slugs (a deleted theme, a typo) are dropped later by `LibraryQuery.resolve()`, against
the vocabulary. The query also writes the URLs that keep the rest of itself (a facet value
added or removed, another page), so that every list a visitor sees is a shareable address.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from ..models import PracticeStatus
from .facets import FACETS, FACETS_BY_KEY, REUSED, WITH_OPINION, Facet, Vocabulary

MAX_VALUES_PER_FACET = 30
MAX_QUERY_LENGTH = 200
MAX_SEARCH_TERMS = 12

SLUG_RE = re.compile(r"[-\w]{1,200}")
COUNTRY_RE = re.compile(r"[A-Za-z]{2}")
YEAR_RE = re.compile(r"[0-9]{4}")
WORD_RE = re.compile(r"\w+")
#: A quoted phrase, or whatever lies outside quotes (an unclosed quote runs to the end).
PHRASE_RE = re.compile(r'"([^"]*)"?|([^"]+)')

SORT_NEWEST = "newest"
SORT_TITLE = "title"
SORT_RELEVANCE = "relevance"
SORT_REUSED = "reused"
SORT_LABELS = {
    SORT_NEWEST: _("Newest first"),
    SORT_TITLE: _("Title (A to Z)"),
    SORT_REUSED: _("Most reused"),
    SORT_RELEVANCE: _("Best match"),
}


@functools.lru_cache(maxsize=8192)
def _encoded(key: str, value: str) -> str:
    """One `key=value` of a URL, as `urlencode` writes it, remembered: a library page writes
    a link per facet value, each repeating most of the same parameters."""
    return urlencode([(key, value)])


def search_terms(text: str) -> tuple[str, ...]:
    """The words and quoted phrases of a search, without the punctuation that full-text
    engines read as syntax.

    A term is a word, or the words of a phrase in quotes joined by single spaces: `urban
    poverty` is two terms that may stand anywhere, `"urban poverty"` one term that matches
    those words side by side only. The search engine (`practices.library.search`) writes each
    term in its own syntax.
    """
    terms: list[str] = []
    for phrase, loose in PHRASE_RE.findall(text.casefold()):
        words = WORD_RE.findall(phrase or loose)
        if phrase and len(words) > 1:
            terms.append(" ".join(words))
        else:
            terms += words
    return tuple(dict.fromkeys(terms))[:MAX_SEARCH_TERMS]


def parse_values(facet: Facet, raw: Iterable[str]) -> tuple:
    """The well-formed values of one facet's GET parameter, de-duplicated, in a stable order."""
    values: set = set()
    for value in raw:
        value = value.strip()
        if facet.key == "country":
            if COUNTRY_RE.fullmatch(value):
                values.add(value.upper())
        elif facet.key == "year":
            if YEAR_RE.fullmatch(value):
                values.add(int(value))
        elif facet.key == "status":
            if value in PracticeStatus.values:
                values.add(value)
        elif facet.key == "reused":
            if value == REUSED:
                values.add(value)
        elif facet.key == "opinion":
            if value == WITH_OPINION:
                values.add(value)
        elif SLUG_RE.fullmatch(value):
            values.add(value)
        if len(values) >= MAX_VALUES_PER_FACET:
            break
    return tuple(sorted(values))


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
            values = parse_values(facet, data.getlist(facet.key)[: MAX_VALUES_PER_FACET * 2])
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
        # A unit separator between terms: "urban poverty" quoted is not the two words.
        parts = ["\x1f".join(self.terms), self.effective_sort]
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
        return "?" + "&".join(_encoded(key, str(value)) for key, value in params) if params else "?"

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

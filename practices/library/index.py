"""The library's in-memory index: per facet value, the set of readable practices, as bits.

Each worker keeps one `LibraryIndex` per library, for the current library version
(`practices.library.version`). A query is answered from memory: a filter is the OR of its
values' sets, facets combine with AND, and a facet value's count is the number of practices its
set shares with every other filter (`LibraryIndex.match`). Nothing is read from the database
for a list but the search hits (one query, `practices.library.search`) and the cards of the
page shown (`practices.library.results.fetch_cards`).

Each readable practice has a slot, one bit in each set. Sets are numpy uint64 arrays, one row
per facet value, so a facet's counts are one AND and one population count over its matrix.
The orders are arrays of slots: newest first, and by title (as the database sorts titles).

The index is read from the database in a fixed number of queries, whatever the library's size,
on a worker's first request; when a new version names the practices that changed (a
publication), the worker updates their slots only, in the same few queries over those
practices (`LibraryIndex.updated`), instead of reading the whole library again.

Memory: one bit per practice and facet value, plus about 60 bytes per practice for its id,
publication time, the two orders and the id lookup; on SQLite also each lowered title (about
180 bytes a practice). Measured: the arrays take 0.65 MB for 10,000 practices and 113 facet
values, 6.3 MB for 100,000; the SQLite titles 1.8 MB more for 10,000 (`memory()` counts both:
2.5 MB), so about 18 MB more for 100,000; a gunicorn worker that serves the library holds
160 MB resident with 10,000 practices and 250 MB with 100,000 (Django, Wagtail and the SQLite
search's row map included).
"""

from __future__ import annotations

import bisect
import copy
import itertools
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower

from ..models import ExpertOpinion, OpinionState, PracticeFund, PracticePage
from .facets import (
    FACETS,
    FACETS_BY_KEY,
    REUSED,
    WITH_OPINION,
    Facet,
    Vocabulary,
    load_vocabulary,
)
from .matching import library_base, m2m_columns
from .query import SORT_RELEVANCE, SORT_REUSED, SORT_TITLE, LibraryQuery
from .version import changes_since, library_version

#: Room for practices published after the index was read, before it is read again.
SPARE_SLOTS = 1024
#: A publication time for practices never published: after every real one, newest first
#: (one above the minimum, so that it can be negated).
NEVER = np.iinfo(np.int64).min + 1
SINGLE_VALUED = ("city", "country", "partnership", "year", "status", "opinion")


def _rows(queryset) -> list[tuple]:
    """The rows of a values_list queryset, straight from the cursor.

    Django's iterator converts each value through its field; for tens of thousands of plain
    integers the cursor's own tuples are several times faster.
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # `pk__in=[]`: nothing to read
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _words(bits: int) -> int:
    return max(1, (bits + 63) // 64)


def _bits(slots: np.ndarray, words: int) -> np.ndarray:
    flags = np.zeros(words * 64, dtype=bool)
    flags[slots] = True
    return np.packbits(flags, bitorder="little").view(np.uint64)


def _flags(bits: np.ndarray) -> np.ndarray:
    return np.unpackbits(bits.view(np.uint8), bitorder="little").view(bool)


def _timestamp(value) -> int:
    if value is None:
        return NEVER
    if isinstance(value, str):  # SQLite may hand datetimes over as text
        value = datetime.fromisoformat(value)
    return int(value.timestamp() * 1_000_000)


@dataclass
class FacetSets:
    """One facet's values (term ids, years or statuses) and their sets, one row each."""

    values: list[Any]
    matrix: np.ndarray
    rows: dict[Any, int] = field(init=False)

    def __post_init__(self):
        self.rows = {value: row for row, value in enumerate(self.values)}

    def row(self, value) -> int:
        """The row of `value`, added if the index has not seen it yet (a new year, say)."""
        if value not in self.rows:
            self.rows[value] = len(self.values)
            self.values.append(value)
            self.matrix = np.vstack([self.matrix, np.zeros((1, self.matrix.shape[1]), np.uint64)])
        return self.rows[value]

    def any_of(self, values, words: int) -> np.ndarray:
        """The practices with any of `values`: the OR of their rows (none for unknown ones)."""
        rows = [self.rows[value] for value in values if value in self.rows]
        if not rows:
            return np.zeros(words, dtype=np.uint64)
        return np.bitwise_or.reduce(self.matrix[rows], axis=0)

    def counts(self, within: np.ndarray) -> dict[Any, int]:
        """{value: practices within `within`}, without the values that have none."""
        if not self.values:
            return {}
        numbers = np.bitwise_count(self.matrix & within).sum(axis=1)
        return {self.values[row]: int(numbers[row]) for row in np.flatnonzero(numbers)}


class LibraryIndex:
    """The readable practices of one library at one library version, as sets per value."""

    def __init__(self, library, version: str, vocabulary: Vocabulary):
        self.library = library
        self.version = version
        self.vocabulary = vocabulary
        self.readable = PracticePage.objects.filter(library_base(library))
        practices = self._practices(self.readable.order_by(*self._newest()))
        self.capacity = len(practices) + SPARE_SLOTS
        self.words = _words(self.capacity)
        self.used = 0
        self.ids = np.zeros(self.capacity, dtype=np.int64)
        self.published = np.full(self.capacity, NEVER, dtype=np.int64)
        #: Per slot, the id of the practice it was adapted from (0: none), and the number of
        #: readable practices adapted from it (transfer lineage, `_count_reuses`).
        self.adapted_from = np.zeros(self.capacity, dtype=np.int64)
        self.reuses = np.zeros(self.capacity, dtype=np.int64)
        self.alive = np.zeros(self.words, dtype=np.uint64)
        self.facets = {
            facet.key: FacetSets([], np.zeros((0, self.words), dtype=np.uint64)) for facet in FACETS
        }
        self._place(practices, self._pairs(None))
        self._count_reuses()
        #: Slots in the library's orders.
        self.newest_order = np.arange(self.used, dtype=np.int64)
        by_title = _rows(
            self.readable.annotate(t=Lower("title")).order_by("t", "pk").values_list("pk", "t")
        )
        self.title_order = self.slots(np.array([pk for pk, _t in by_title], dtype=np.int64))
        #: On SQLite, (lowered title, id) in title order, to place a practice published later
        #: without asking the database: SQLite's LOWER() and its binary comparison of text are
        #: Python's own `<` on the strings it returns. Other databases compare titles by their
        #: collation, which only they know.
        self.title_keys = [(t, pk) for pk, t in by_title] if connection.vendor == "sqlite" else None

    # --- Reading the database (the same queries for a build and an update) ----------------

    @staticmethod
    def _newest():
        return (F("first_published_at").desc(nulls_last=True), "-pk")

    def _practices(self, queryset) -> list[tuple]:
        # Whether a published expert opinion is on the practice: a column of the same query
        # (EXISTS), so the index still costs the same number of queries.
        with_opinion = Exists(
            ExpertOpinion.objects.filter(practice=OuterRef("pk"), state=OpinionState.PUBLISHED)
        )
        rows = _rows(
            queryset.annotate(has_opinion=with_opinion).values_list(
                "pk",
                "first_published_at",
                "city_id",
                "city__country_id",
                "partnership_id",
                "year",
                "status",
                "has_opinion",
                "adapted_from_id",
            )
        )
        # The database's true or 1 becomes the opinion facet's value; false is no value, so no
        # bit. The original a practice was adapted from stays last (see `_place`).
        return [(*row[:7], WITH_OPINION if row[7] else None, row[8]) for row in rows]

    def _pairs(self, ids: list[int] | None) -> dict[str, list[tuple]]:
        """(practice id, value) of each many-valued facet: of every practice, or of `ids`."""
        pairs = {}
        for facet in FACETS:
            if facet.kind == "m2m":
                through, page_column, term_column = m2m_columns(facet.field)
                rows = through.objects.values_list(page_column, term_column)
                if ids is not None:
                    rows = rows.filter(**{f"{page_column}__in": ids})
            elif facet.kind == "fund":
                rows = PracticeFund.objects.values_list("page_id", "fund_id").distinct()
                if ids is not None:
                    rows = rows.filter(page_id__in=ids)
            else:
                continue
            pairs[facet.key] = _rows(rows.order_by())
        return pairs

    # --- Slots --------------------------------------------------------------------------

    def _place(self, practices: list[tuple], pairs: dict[str, list[tuple]]) -> None:
        """Give each of `practices` (rows of `_practices`) a slot, and set its bits."""
        first = self.used
        slots = np.arange(first, first + len(practices), dtype=np.int64)
        self.used += len(practices)
        if practices:
            columns = list(zip(*practices, strict=True))
            self.ids[slots] = columns[0]
            self.published[slots] = [_timestamp(value) for value in columns[1]]
            singles = dict(zip(SINGLE_VALUED, columns[2:-1], strict=True))
            self.adapted_from[slots] = [value or 0 for value in columns[-1]]
        else:
            singles = {key: () for key in SINGLE_VALUED}
        self.alive |= _bits(slots, self.words)
        self._refresh_lookup()
        for key, column in singles.items():
            self._set(key, slots, list(column))
        for key, rows in pairs.items():
            if not rows:
                continue
            pages, values = (np.array(column) for column in zip(*rows, strict=True))
            found = self.slots(pages.astype(np.int64), keep_unknown=True)
            # Pairs of drafts, private practices and other libraries' practices are left out.
            known = found >= first
            self._set(key, found[known], values[known].tolist())

    def _set(self, key: str, slots: np.ndarray, values: list) -> None:
        """Set the bit of each slot in the row of its value (None: no value, no bit)."""
        sets = self.facets[key]
        kept = [index for index, value in enumerate(values) if value is not None]
        if not kept:
            return
        slots = np.asarray(slots, dtype=np.int64)[kept]
        uniques, inverse = np.unique(
            np.array([values[index] for index in kept]), return_inverse=True
        )
        rows = np.array([sets.row(value) for value in uniques.tolist()], dtype=np.int64)[inverse]
        bits = np.left_shift(np.uint64(1), (slots & 63).astype(np.uint64))
        np.bitwise_or.at(sets.matrix, (rows, slots >> 6), bits)

    def _count_reuses(self) -> None:
        """Each practice's number of reuses, and the "reused" facet's set, from the
        `adapted_from` of every readable practice: in memory, after each build or update, so
        that publishing a reuse counts for its original without reading the original again."""
        live = np.flatnonzero(_flags(self.alive)[: self.used])
        originals = self.adapted_from[live]
        # An original that is not readable (a draft, another library's) has no slot: not counted.
        targets = self.slots(originals[originals > 0])
        self.reuses = np.bincount(targets, minlength=self.capacity).astype(np.int64)
        sets = self.facets["reused"]
        row = sets.row(REUSED)
        sets.matrix[row] = _bits(np.flatnonzero(self.reuses), self.words)

    def _refresh_lookup(self) -> None:
        live = np.flatnonzero(_flags(self.alive)[: self.used])
        order = np.argsort(self.ids[live])
        self._sorted_ids = self.ids[live][order]
        self._slot_of_sorted = live[order]

    def slots(self, ids: np.ndarray, *, keep_unknown: bool = False) -> np.ndarray:
        """The slots of practice `ids`, in their order; ids not in the index are left out (or
        given -1 with `keep_unknown`)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self._sorted_ids):
            return np.full(len(ids), -1, dtype=np.int64) if keep_unknown else ids[:0]
        found = np.minimum(np.searchsorted(self._sorted_ids, ids), len(self._sorted_ids) - 1)
        hit = self._sorted_ids[found] == ids
        slots = np.where(hit, self._slot_of_sorted[found], -1)
        return slots if keep_unknown else slots[hit]

    # --- Following a publication ----------------------------------------------------------

    def updated(self, version: str, practices: Iterable[int]) -> LibraryIndex | None:
        """A copy of this index at `version`, where only `practices` changed; None when it
        cannot be updated (no spare slots left) and must be read again.

        A copy, so that a request of another thread still reading this one never sees half
        an update; the arrays are small (a bit per practice and value).
        """
        ids = sorted(set(practices))
        rows = self._practices(self.readable.filter(pk__in=ids).order_by()) if ids else []
        if self.used + len(rows) > self.capacity:
            return None
        index = copy.copy(self)
        index.version = version
        if ids:
            index.ids = self.ids.copy()
            index.published = self.published.copy()
            index.adapted_from = self.adapted_from.copy()
            index.alive = self.alive.copy()
            index.facets = {
                key: FacetSets(list(sets.values), sets.matrix.copy())
                for key, sets in self.facets.items()
            }
            index._remove(ids)
            index._place(rows, index._pairs([row[0] for row in rows]))
            index._count_reuses()
            index._reorder([row[0] for row in rows])
        return index

    def _remove(self, ids: list[int]) -> None:
        slots = self.slots(np.array(ids, dtype=np.int64))
        if not len(slots):
            return
        gone = ~_bits(slots, self.words)
        self.alive &= gone
        for sets in self.facets.values():
            sets.matrix &= gone
        self.newest_order = self.newest_order[~np.isin(self.newest_order, slots)]
        kept = ~np.isin(self.title_order, slots)
        self.title_order = self.title_order[kept]
        if self.title_keys is not None:
            self.title_keys = list(itertools.compress(self.title_keys, kept.tolist()))
        self._refresh_lookup()

    def _reorder(self, ids: list[int]) -> None:
        """Put the practices `ids` (placed again) in the two orders."""
        if not ids:
            return
        live = np.flatnonzero(_flags(self.alive)[: self.used])
        # Newest first, then the highest id, as the database orders them.
        self.newest_order = live[np.lexsort((-self.ids[live], -self.published[live]))]
        if self.title_keys is not None:
            self._place_by_title_key(ids)
            return
        # Where each one falls by title, as the database compares titles: the number of
        # readable practices before it.
        title = Lower("title")
        # COUNT as a plain function: the whole subquery is one number, not a GROUP BY.
        before = (
            self.readable.annotate(t=title)
            .filter(Q(t__lt=OuterRef("t")) | Q(t=OuterRef("t"), pk__lt=OuterRef("pk")))
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        ranks = _rows(
            self.readable.filter(pk__in=ids)
            .annotate(t=title, rank=Coalesce(Subquery(before), 0))
            .order_by("rank")
            .values_list("pk", "rank")
        )
        order = self.title_order
        for pk, rank in ranks:
            order = np.insert(order, rank, self.slots(np.array([pk]))[0])
        self.title_order = order

    def _place_by_title_key(self, ids: list[int]) -> None:
        rows = _rows(self.readable.filter(pk__in=ids).values_list(Lower("title"), "pk"))
        order = self.title_order
        keys = list(self.title_keys)
        for key in sorted(rows):
            rank = bisect.bisect_left(keys, key)
            keys.insert(rank, key)
            order = np.insert(order, rank, self.slots(np.array([key[1]]))[0])
        self.title_order, self.title_keys = order, keys

    # --- Answering a query --------------------------------------------------------------

    def filter_set(self, facet: Facet, values) -> np.ndarray:
        if facet.has_vocabulary:
            terms = self.vocabulary[facet.key]
            values = [terms[slug].id for slug in values]
        return self.facets[facet.key].any_of(values, self.words)

    def match(self, query: LibraryQuery, hits: list[int] | None) -> tuple[np.ndarray, dict]:
        """The ids matching a resolved `query`, in its order, and the count of every facet value.

        `hits` are the search engine's ids, best first (None when not searching). Facets
        combine with AND, values of one facet with OR, and each facet is counted under every
        filter but its own.
        """
        base, hit_slots, filters, matching = self._matching(query, hits)
        counts = {}
        for facet in FACETS:
            within = base.copy()
            for key, bits in filters.items():
                if key != facet.key:
                    within &= bits
            counts[facet.key] = self.facets[facet.key].counts(within)
        return self._ordered(matching, query.effective_sort, hit_slots), counts

    def match_ids(self, query: LibraryQuery, hits: list[int] | None) -> np.ndarray:
        """The ids matching a resolved `query`, as `match` finds them, without the counts
        (an alert needs the practices, not the facets)."""
        _base, hit_slots, _filters, matching = self._matching(query, hits)
        return self._ordered(matching, query.effective_sort, hit_slots)

    def _matching(self, query: LibraryQuery, hits: list[int] | None):
        base = self.alive
        hit_slots = None
        if hits is not None:
            hit_slots = self.slots(np.array(hits, dtype=np.int64))
            base = _bits(hit_slots, self.words)
        filters = {
            key: self.filter_set(FACETS_BY_KEY[key], values)
            for key, values in query.filters.items()
        }
        matching = base.copy()
        for bits in filters.values():
            matching &= bits
        return base, hit_slots, filters, matching

    def _ordered(self, matching: np.ndarray, sort: str, hit_slots) -> np.ndarray:
        flags = _flags(matching)
        if sort == SORT_RELEVANCE and hit_slots is not None:
            slots = hit_slots[flags[hit_slots]]
        elif sort == SORT_TITLE:
            slots = self.title_order[flags[self.title_order]]
        elif sort == SORT_REUSED:
            # Most reused first; among as many reuses, newest first.
            slots = self.newest_order[flags[self.newest_order]]
            slots = slots[np.argsort(-self.reuses[slots], kind="stable")]
        else:
            slots = self.newest_order[flags[self.newest_order]]
        return self.ids[slots]

    def values_of(self, key: str, ids: list[int]) -> dict[int, list]:
        """{practice id: its values of facet `key`}, read from the sets: no query."""
        slots = self.slots(np.array(ids, dtype=np.int64), keep_unknown=True)
        sets = self.facets[key]
        known = slots >= 0
        found = np.zeros((len(sets.values), len(ids)), dtype=bool)
        if known.any():
            columns = slots[known]
            bits = np.left_shift(np.uint64(1), (columns & 63).astype(np.uint64))
            found[:, known] = (sets.matrix[:, columns >> 6] & bits) != 0
        return {
            pk: [sets.values[row] for row in np.flatnonzero(found[:, column])]
            for column, pk in enumerate(ids)
            if known[column]
        }

    def memory(self) -> int:
        """Bytes of the arrays this index holds, and of the lowered titles on SQLite (the
        vocabulary not counted)."""
        arrays = [self.ids, self.published, self.alive, self.newest_order, self.title_order]
        arrays += [self.adapted_from, self.reuses]
        arrays += [self._sorted_ids, self._slot_of_sorted]
        arrays += [sets.matrix for sets in self.facets.values()]
        size = sum(array.nbytes for array in arrays)
        if self.title_keys is not None:
            size += sys.getsizeof(self.title_keys) + sum(
                sys.getsizeof(key) + sys.getsizeof(key[0]) for key in self.title_keys
            )
        return size


_indexes: dict[int, LibraryIndex] = {}
_building = threading.Lock()


def library_index(library, version: str | None = None) -> LibraryIndex:
    """This worker's index of `library` at the current library version: the one it has,
    updated for the practices that changed since, or read again."""
    version = version or library_version()
    index = _indexes.get(library.pk)
    if index is not None and index.version == version:
        return index
    with _building:
        index = _indexes.get(library.pk)
        if index is not None and index.version == version:
            return index
        changed = changes_since(index.version, version) if index is not None else None
        index = index.updated(version, changed) if changed is not None else None
        if index is None:
            index = LibraryIndex(library, version, load_vocabulary())
        _indexes[library.pk] = index
    return index

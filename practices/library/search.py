"""Full-text search of the practices: the ids of those that contain a search's terms, best first.

`ranked_ids()` is the whole interface: the terms of a library query in, every matching practice
id out, best match first, in ONE query that reads Wagtail's own search index table and nothing
else. The library's in-memory index (`practices.library.index`) then keeps the readable ones
and applies the filters, the counts and the order, so the search engine never has to.

Wagtail's own querysets are far too slow for a word that most of 10,000 practices contain: on
SQLite they look each practice up in the FTS table in turn and rank with a subquery per result;
on PostgreSQL they join every page to its index entry and concatenate two tsvectors per row.
Reading the index table straight answers in milliseconds on both.

Both engines stem English words, so that "migrant" finds "migrants" and the reverse: SQLite's
FTS table uses the Porter tokenizer (core migration 0003), PostgreSQL the "english" text search
configuration (`WAGTAILSEARCH_BACKENDS` in the settings). A term with spaces is a quoted phrase
(`practices.library.query.search_terms`) and matches those words side by side only. The terms
hold no full-text syntax, and they are sent as parameters.
"""

from __future__ import annotations

import threading

import numpy as np
from django.db import connection
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_descendants_content_types_pks

from ..models import PracticePage
from .version import changes_since, library_version


def ranked_ids(terms: tuple[str, ...]) -> list[int]:
    """Every practice (live or not) containing all `terms`, best match first, in one query."""
    if not terms:
        return []
    backend = type(get_search_backend()).__name__
    if backend == "SQLiteSearchBackend":
        return SQLiteHits(terms).ranked_ids()
    if backend == "PostgresSearchBackend":
        return PostgresHits(terms).ranked_ids()
    return _backend_ids(terms)


def _backend_ids(terms: tuple[str, ...]) -> list[int]:
    """Another backend (Elasticsearch, say): whatever it returns, in its order."""
    query = " ".join(f'"{term}"' if " " in term else term for term in terms)
    results = PracticePage.objects.all().search(query, operator="and", order_by_relevance=True)
    return [page.pk for page in results]


def _index_tables() -> tuple[str, str]:
    entries = connection.ops.quote_name(IndexEntry._meta.db_table)
    return entries, connection.ops.quote_name(IndexEntry._meta.db_table + "_fts")


def _content_types() -> list[int]:
    return list(get_descendants_content_types_pks(PracticePage))


class EntryMap:
    """Which practice each row of Wagtail's SQLite index belongs to, kept by each worker.

    The FTS table knows only its rows' ids; joining each hit to the index-entry table for its
    practice doubled the cost of a search for a common word. Rows are added to the index, not
    renumbered (Wagtail updates an entry in place), so the worker reads the whole map once and
    asks only for rows it has not seen (one more query, when a practice was indexed since).
    SQLite gives a deleted last row's id to the next new row: the rows of the practices that a
    new library version names are forgotten and asked for again, and a change that names no
    practices forgets them all.
    """

    def __init__(self):
        self.version: str | None = None
        self.rows = np.empty(0, dtype=np.int64)  # sorted entry ids
        self.practices = np.empty(0, dtype=np.int64)  # the practice of each, or 0
        self.lock = threading.Lock()

    def practice_ids(self, rows: np.ndarray, version: str) -> np.ndarray:
        """The practice of each entry row (0 for an entry of something else)."""
        with self.lock:
            if version != self.version:
                changed = changes_since(self.version, version) if self.version else None
                if changed is None:
                    self.rows, self.practices = self._read(None)
                elif changed:
                    keep = ~np.isin(self.practices, np.array(sorted(changed), dtype=np.int64))
                    self.rows, self.practices = self.rows[keep], self.practices[keep]
                self.version = version
            found = self._find(rows)
            if (found < 0).any():
                more_rows, more_practices = self._read(rows[found < 0])
                order = np.argsort(np.concatenate([self.rows, more_rows]), kind="stable")
                self.rows = np.concatenate([self.rows, more_rows])[order]
                self.practices = np.concatenate([self.practices, more_practices])[order]
                found = self._find(rows)
            return np.where(found >= 0, self.practices[np.maximum(found, 0)], 0)

    def _find(self, rows: np.ndarray) -> np.ndarray:
        if not len(self.rows):
            return np.full(len(rows), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.rows, rows), len(self.rows) - 1)
        return np.where(self.rows[at] == rows, at, -1)

    @staticmethod
    def _read(rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Entry rows (all of them, or `rows`) and their practices, sorted by row; a row
        asked for that no longer exists belongs to no practice."""
        entries = IndexEntry.objects.order_by("pk")
        if rows is not None:
            entries = entries.filter(pk__in=rows.tolist())
        content_types = set(_content_types())
        read = {
            pk: int(object_id) if content_type in content_types else 0
            for pk, content_type, object_id in entries.values_list(
                "pk", "content_type_id", "object_id"
            )
        }
        if rows is not None:
            for row in rows.tolist():
                read.setdefault(row, 0)
        keys = np.array(sorted(read), dtype=np.int64)
        return keys, np.array([read[key] for key in keys.tolist()], dtype=np.int64)


_entry_map = EntryMap()


class SQLiteHits:
    """The practices matching a search in Wagtail's SQLite FTS5 index, read straight from it.

    One query over the FTS table alone: its row ids and their BM25 score, with a title word
    counting twice a word of the text (FTS5's own column weights: autocomplete, body, title).
    The rows' practices come from the worker's `EntryMap`.
    """

    #: bm25() weights of the FTS table's columns: autocomplete, body, title.
    WEIGHTS = (0.0, 1.0, 2.0)

    def __init__(self, terms: tuple[str, ...]):
        _entries, fts = _index_tables()
        # Each term in double quotes is an FTS5 string: one word, or a phrase of several.
        self.match = "{title body} : (" + " AND ".join(f'"{term}"' for term in terms) + ")"
        weights = ", ".join(str(weight) for weight in self.WEIGHTS)
        # Table names come from the models; the visitor's words are a parameter.
        self.sql = f"SELECT rowid, bm25({fts}, {weights}) FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608

    def ranked_ids(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [self.match])
            rows = cursor.fetchall()
        if not rows:
            return []
        entry_rows = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
        practices = _entry_map.practice_ids(entry_rows, library_version())
        # Lower is better in SQLite's BM25; then the newest id, as before.
        order = np.lexsort((-practices, scores))
        ranked = practices[order]
        return ranked[ranked > 0].tolist()


class PostgresHits:
    """The practices matching a search in Wagtail's PostgreSQL index entries, read straight.

    Each entry keeps its title and body as tsvectors, with a GIN index each. A practice
    matches when every term is in its title or its body, as in Wagtail's own search, written
    term by term (`title @@ t OR body @@ t`) so that PostgreSQL can use those indexes, where
    Wagtail's `(title || body) @@ query` builds a new vector for every practice. The rank is
    Wagtail's: the title's rank weighted by its length norm, plus the body's.

    A term that the configuration drops entirely (a stop word: "the", "of") would match
    nothing that way; it matches everything, as in Wagtail's search, and is left out. Which
    terms those are, each worker asks once per term (`_stop_words`).
    """

    def __init__(self, terms: tuple[str, ...]):
        entries, _fts = _index_tables()
        content_types = _content_types()
        config = get_search_backend().config or "english"
        terms = tuple(term for term in terms if not _is_stop_word(config, term))
        term_queries = [_tsquery(term) for term in terms]
        params = [value for term in terms for value in (config, term)]
        conditions = [
            f"(entry.title @@ {query} OR entry.body @@ {query})" for query in term_queries
        ]
        query = " && ".join(term_queries) or "''::tsquery"
        # In the order of the SQL: the ranking query, the content types, the conditions.
        self.params = (
            params
            + list(content_types)
            + [value for term in terms for value in (config, term, config, term)]
        )
        # Table names come from the models; the visitor's words are parameters.
        self.sql = (
            "SELECT CAST(entry.object_id AS INTEGER) AS pk, "  # noqa: S608
            "ts_rank(entry.title, q.query) * entry.title_norm "
            "+ ts_rank(entry.body, q.query) AS score "
            f"FROM (SELECT {query} AS query) AS q, {entries} AS entry "
            f"WHERE entry.content_type_id IN ({', '.join(['%s'] * len(content_types))}) "
            + "".join(f"AND {condition} " for condition in conditions)
            + "ORDER BY score DESC, pk DESC"
        )

    def ranked_ids(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return [row[0] for row in cursor.fetchall()]


def _tsquery(term: str) -> str:
    if " " in term:
        return "phraseto_tsquery(%s::regconfig, %s)"
    return "plainto_tsquery(%s::regconfig, %s)"


#: {(configuration, term): whether the configuration drops it}, learnt once per term.
_stop_words: dict[tuple[str, str], bool] = {}
MAX_KNOWN_TERMS = 50_000


def _is_stop_word(config: str, term: str) -> bool:
    key = (config, term)
    if key not in _stop_words:
        if len(_stop_words) > MAX_KNOWN_TERMS:
            _stop_words.clear()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT numnode({_tsquery(term)})", [config, term])
            _stop_words[key] = cursor.fetchone()[0] == 0
    return _stop_words[key]

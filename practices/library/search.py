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

from django.db import connection
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_descendants_content_types_pks

from ..models import PracticePage


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


class SQLiteHits:
    """The practices matching a search in Wagtail's SQLite FTS5 index, read straight from it.

    The FTS table is read first (CROSS JOIN fixes the order), then each hit's entry for its
    content type. The score is Wagtail's own: BM25 weighted by the title's length norm.
    """

    def __init__(self, terms: tuple[str, ...]):
        entries, fts = _index_tables()
        content_types = _content_types()
        # Each term in double quotes is an FTS5 string: one word, or a phrase of several.
        match = "{title body} : (" + " AND ".join(f'"{term}"' for term in terms) + ")"
        self.params = [match, *content_types]
        # Table names come from the models; the visitor's words are parameters.
        self.sql = (
            "SELECT CAST(entry.object_id AS INTEGER) AS pk, "  # noqa: S608
            f"bm25({fts}) * (entry.title_norm + 1) AS score "
            f"FROM {fts} CROSS JOIN {entries} AS entry ON entry.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s "
            f"AND entry.content_type_id IN ({', '.join(['%s'] * len(content_types))}) "
            # Lower is better in SQLite's BM25.
            "ORDER BY score, pk DESC"
        )

    def ranked_ids(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return [row[0] for row in cursor.fetchall()]


class PostgresHits:
    """The practices matching a search in Wagtail's PostgreSQL index entries, read straight.

    Each entry keeps its title and body as tsvectors (with a GIN index each). A practice
    matches when every term is in its title or its body, as in Wagtail's own search; the rank
    is Wagtail's too: the title's rank weighted by its length norm, plus the body's.
    """

    def __init__(self, terms: tuple[str, ...]):
        entries, _fts = _index_tables()
        content_types = _content_types()
        config = get_search_backend().config or "english"
        term_queries = [
            "phraseto_tsquery(%s::regconfig, %s)"
            if " " in term
            else "plainto_tsquery(%s::regconfig, %s)"
            for term in terms
        ]
        # A word that the configuration drops (a stop word: "the", "of") matches everything,
        # as it does in Wagtail's search: `&&` leaves empty queries out.
        query = " && ".join(term_queries)
        self.params = [value for term in terms for value in (config, term)] + content_types
        # Table names come from the models; the visitor's words are parameters.
        self.sql = (
            "SELECT CAST(entry.object_id AS INTEGER) AS pk, "  # noqa: S608
            "ts_rank(entry.title, q.query) * entry.title_norm "
            "+ ts_rank(entry.body, q.query) AS score "
            f"FROM (SELECT {query} AS query) AS q, {entries} AS entry "
            f"WHERE entry.content_type_id IN ({', '.join(['%s'] * len(content_types))}) "
            "AND (numnode(q.query) = 0 OR (entry.title || entry.body) @@ q.query) "
            "ORDER BY score DESC, pk DESC"
        )

    def ranked_ids(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return [row[0] for row in cursor.fetchall()]

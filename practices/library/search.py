"""Full-text search of the practices: which practices contain the words of a library query.

Wagtail's search backend does the work (PostgreSQL's full-text search, or SQLite's FTS5 in
development and on a small site). On SQLite, `SQLiteHits` reads the FTS table straight, because
Wagtail's own queryset is far too slow there for a word that most practices contain. The words
come from `practices.library.query.search_terms`, so they hold no full-text syntax.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import get_descendants_content_types_pks

from ..models import PracticePage


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
        # Lazy import: the module looks its FTS model up when it is imported, and that model
        # exists only on SQLite with FTS5; on PostgreSQL the import itself would fail.
        from wagtail.search.backends.database.sqlite.sqlite import IndexEntry, SQLiteFTSIndexEntry

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
